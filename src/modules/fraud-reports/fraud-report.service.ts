import { inCampaignScope, type CampaignScope } from '../../campaign-scope.ts';
import type { Readable } from 'node:stream';
import type { Db } from '../../storage/database.ts';
import { notFound, validationError } from '../../errors.ts';
import type { Page, PageRequest } from '../../pagination.ts';
import type { CostModel } from '../campaigns/campaign.table.ts';
import { exclusionsOf, toFraudReport, type FraudReport } from './fraud-report.ts';
import { findFraudReport, insertFraudReport, listFraudReports } from './fraud-report.repository.ts';
import { auditedCreate } from '../audit/audited.ts';
import type { FraudReportRow } from './fraud-report.table.ts';
import { checkReportRange, type FraudReportInput } from './fraud-report-input.ts';
import { DEFAULT_CHUNK_SIZE, fraudulentClicksOf, type FraudClickSource } from './fraud-click-chunks.ts';
import { computeFraudReport } from './fraud-report-job.ts';
import { fraudReportCsv } from './fraud-report-csv.ts';
import { isClientGone } from '../../csv-writer.ts';
import { createFraudReportRunner, type RunnerLog } from './fraud-report-runner.ts';
import type { IpExclusionList } from './ip-exclusions.ts';

export interface FraudReportServiceDeps {
  db: Db;
  clicks: FraudClickSource;
  /**
   * The caller's live campaign, or a 404 (through the campaigns service,
   * ARCHITECTURE.md, "Services, not repositories").
   */
  getCampaign(userId: number, id: number): Promise<{ id: number; cost_model: CostModel; cost_value: number }>;
  /** Raw clicks older than this many days may be deleted, so no report may reach further back. */
  clickRetentionDays: number;
  /** Inside the transaction that makes a report ready: the `report.ready` webhook event. */
  onReady?(trx: Db, userId: number, report: FraudReport): Promise<void>;
  log: RunnerLog;
  now?: () => number;
  /** Clicks per database read, for the CSV and the job (tests make it small to cross chunk borders). */
  chunkSize?: number;
  leaseMs?: number;
  pollMs?: number;
  /** Claims pass over rows another node is claiming (the dialect's FOR UPDATE SKIP LOCKED). */
  skipLocked?: boolean;
}

export interface FraudReportCsv {
  filename: string;
  stream: Readable;
}

/** Only a ready report has a CSV or exclusions; otherwise say why, in the reference's error codes. */
function requireReady(row: FraudReportRow): void {
  if (row.status === 'processing')
    throw validationError('id', 'The report is still processing; try again when its status is ready');
  if (row.status === 'failed') throw validationError('id', `The report failed: ${row.error ?? 'unknown reason'}`);
}

export function createFraudReportService(deps: FraudReportServiceDeps) {
  const { db, clicks, log } = deps;
  const now = deps.now ?? Date.now;
  const chunkSize = deps.chunkSize ?? DEFAULT_CHUNK_SIZE;

  const runner = createFraudReportRunner({
    db,
    log,
    now,
    leaseMs: deps.leaseMs,
    pollMs: deps.pollMs,
    skipLocked: deps.skipLocked,
    compute: (report, between) => computeFraudReport(clicks, report, { chunkSize, between }),
    onReady: deps.onReady && ((trx, row) => deps.onReady!(trx, row.user_id, toFraudReport(row))),
  });

  /** `campaigns`: the caller's campaign scope; a report of a campaign outside it is as unknown as another account's. */
  const getRow = async (userId: number, id: number, campaigns: CampaignScope): Promise<FraudReportRow> => {
    const row = await findFraudReport(db, userId, id);
    if (!row || !inCampaignScope(campaigns, row.campaign_id)) throw notFound('Fraud report');
    return row;
  };

  return {
    /** Records the report as processing and returns at once; the runner computes it. */
    async create(userId: number, input: FraudReportInput): Promise<FraudReport> {
      const at = now();
      const range = checkReportRange(input, at, deps.clickRetentionDays);
      const campaign = await deps.getCampaign(userId, input.campaign_id);
      // A refund claim is a member's act the audit log names (SPEC section 11); the runner's later progress is not.
      const row = await auditedCreate(db, userId, 'fraud_report', (trx) =>
        insertFraudReport(trx, {
          user_id: userId,
          campaign_id: campaign.id,
          platform: input.platform,
          from_day: range.fromDay,
          to_day: range.toDay,
          range_from: range.from,
          // Clicks after the request belong to a later report: the CSV downloaded tomorrow matches today's summary.
          range_to: Math.min(range.toExclusive, at + 1),
          cost_model: campaign.cost_model,
          cost_value: campaign.cost_value,
          status: 'processing',
          error: null,
          summary: null,
          ip_exclusions: null,
          claimed_until: null,
          created_at: at,
          completed_at: null,
        }),
      );
      runner.kick();
      return toFraudReport(row);
    },

    get: async (userId: number, id: number, campaigns: CampaignScope = null): Promise<FraudReport> =>
      toFraudReport(await getRow(userId, id, campaigns)),

    async list(
      userId: number,
      page: PageRequest,
      filter: { campaign_id?: number; campaigns?: CampaignScope },
    ): Promise<Page<FraudReport>> {
      const { rows, total } = await listFraudReports(db, {
        userId,
        campaignId: filter.campaign_id,
        campaignIds: filter.campaigns,
        limit: page.perPage,
        offset: page.offset,
      });
      return { items: rows.map(toFraudReport), total };
    },

    async openCsv(userId: number, id: number, campaigns: CampaignScope = null): Promise<FraudReportCsv> {
      const row = await getRow(userId, id, campaigns);
      requireReady(row);
      const stream = fraudReportCsv(row, fraudulentClicksOf(clicks, row, chunkSize), (error) => {
        // A client that hangs up mid-download is routine; anything else is worth a look.
        if (!isClientGone(error)) log.error({ err: error, reportId: id }, 'fraud report CSV failed');
      });
      return { filename: `fraud-report-${row.id}.csv`, stream };
    },

    async ipExclusions(userId: number, id: number, campaigns: CampaignScope = null): Promise<IpExclusionList> {
      const row = await getRow(userId, id, campaigns);
      if (row.platform !== 'google') {
        throw validationError(
          'id',
          `IP exclusion lists are made for Google Ads; report ${row.id} is for ${row.platform}`,
        );
      }
      requireReady(row);
      return exclusionsOf(row) ?? { entries: [], truncated: false };
    },

    /** Starts the job runner: picks up reports a previous process left processing. */
    start: () => runner.start(),
    /** Stops the runner; a job cut off goes back to the queue for the next start. */
    close: () => runner.close(),
  };
}

export type FraudReportService = ReturnType<typeof createFraudReportService>;
