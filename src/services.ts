import type { AccountService } from './modules/accounts/account.service.ts';
import type { ApiKeyService } from './modules/accounts/api-key.service.ts';
import type { MemberService } from './modules/accounts/member.service.ts';
import type { CampaignService } from './modules/campaigns/campaign.service.ts';
import type { TrafficSourceService } from './modules/traffic-sources/traffic-source.service.ts';
import type { PlacementReportService } from './modules/traffic-sources/placement-report.service.ts';
import type { OfferService } from './modules/flows/offer.service.ts';
import type { LanderService } from './modules/flows/lander.service.ts';
import type { ClickService } from './modules/clicks/click.service.ts';
import type { RetentionJob } from './modules/retention/retention-job.ts';
import type { ConversionService } from './modules/conversions/conversion.service.ts';
import type { BeaconService } from './modules/clicks/beacon.service.ts';
import type { DetectionSettingsService } from './modules/detection-settings/detection-settings.service.ts';
import type { StatsFolder } from './modules/stats/stats-folder.ts';
import type { ReportCubeFolder } from './modules/reports/report-cube-folder.ts';
import type { ReportService } from './modules/reports/report.service.ts';
import type { ReportColumns } from './modules/report-columns/report-columns.service.ts';
import type { StatsService } from './modules/stats/stats.service.ts';
import type { CampaignCostService } from './modules/campaign-costs/campaign-cost.service.ts';
import type { WebhookService } from './modules/webhooks/webhook.service.ts';
import type { PostbackService } from './modules/postbacks/postback.service.ts';
import type { FraudReportService } from './modules/fraud-reports/fraud-report.service.ts';
import type { ConnectionService } from './modules/connections/connection.service.ts';
import type { Config } from './config.ts';
import type { AuditService } from './modules/audit/audit.service.ts';
import type { EventBus } from './events.ts';

/**
 * What route handlers may call: services only, never repositories or Kysely
 * (ARCHITECTURE.md, "Services, not repositories").
 */
export interface Services {
  readonly config: Config;
  /** Deletes raw clicks past the retention and anonymises old addresses, hourly; `runOnce` for an immediate pass. */
  readonly retention: RetentionJob;
  readonly accounts: AccountService;
  readonly apiKeys: ApiKeyService;
  /** The workspace's members: invitations, roles, campaign limits. */
  readonly members: MemberService;
  /** Who created, changed or deleted what in the workspace (GET /api/v1/audit-log). */
  readonly audit: AuditService;
  readonly trafficSources: TrafficSourceService;
  /** A traffic source's placements report and exclusion list. */
  readonly placements: PlacementReportService;
  readonly offers: OfferService;
  readonly landers: LanderService;
  readonly campaigns: CampaignService;
  /** Spend set for date ranges (POST /campaigns/{id}/costs), which statistics read in place of the modelled cost. */
  readonly campaignCosts: CampaignCostService;
  readonly clicks: ClickService;
  readonly detectionSettings: DetectionSettingsService;
  readonly conversions: ConversionService;
  /** What the lander tag reports (POST /api/v1/beacon), and the missing-beacon sweep. */
  readonly beacons: BeaconService;
  readonly stats: StatsService;
  /** Reports (SPEC section 9): up to three groupings, filters, every metric, CSV. */
  readonly reports: ReportService;
  /** The columnar copy of the clicks the reports read (REPORT_COLUMNS); absent when off. */
  readonly reportColumns?: ReportColumns;
  /** Adds the rollup journal into the periods in the background; `foldAll` to wait for it. */
  readonly statsFolder: StatsFolder;
  /** Folds the report cube's day rows into days and weeks at two grains in the background; `foldAll` to wait for it. */
  readonly reportCubeFolder: ReportCubeFolder;
  readonly webhooks: WebhookService;
  /** Postbacks to traffic sources: the delivery log and the test call. */
  readonly postbacks: PostbackService;
  readonly fraudReports: FraudReportService;
  /** Google Ads and Meta connections: credentials, the push outbox, its log. */
  readonly connections: ConnectionService;
  /** What happened, after the fact (the live click feed listens). */
  readonly events: EventBus;
}

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
  }
}
