import type { Db } from '../../storage/database.ts';
import type { ConversionRow } from '../conversions/conversion.table.ts';
import type { IpExclusionList } from '../fraud-reports/ip-exclusions.ts';
import type { CallVerdict } from './call-result.ts';
import type { ConnectionLogOutcome } from './connection.enums.ts';
import type { ConnectionJobRow, ConnectionRow } from './connection.table.ts';
import type { ConnectionSettings } from './connection.ts';
import type { PushClick } from './conversion-payloads.ts';
import type { GoogleAdsClient } from './google-ads-client.ts';
import type { MetaClient } from './meta-capi-client.ts';

/** What the jobs read of other features, through their services (ARCHITECTURE.md, "Services, not repositories"). */
export interface ConnectorSources {
  conversion(id: number): Promise<ConversionRow | undefined>;
  click(id: string): Promise<PushClick | undefined>;
  /** The campaign's owner and Google Ads campaign id; undefined when it is gone. */
  campaignLink(campaignId: number): Promise<{ userId: number; googleAdsCampaignId: string | null } | undefined>;
  /** The fraud report's IP exclusion list of a campaign over [from, to). */
  exclusions(userId: number, campaignId: number, from: number, to: number): Promise<IpExclusionList>;
}

export interface LogLine {
  action: string;
  outcome: ConnectionLogOutcome;
  statusCode: number | null;
  message: string;
  request?: unknown;
  response?: string | null;
  changes?: unknown;
}

/** One job's attempt: the connection, its opened secrets, and the log of what it did. */
export interface JobContext {
  db: Db;
  job: ConnectionJobRow;
  connection: ConnectionRow;
  settings: ConnectionSettings;
  credentials: Record<string, string>;
  google: GoogleAdsClient;
  meta: MetaClient;
  sources: ConnectorSources;
  exclusionDays: number;
  now: () => number;
  log(line: LogLine): Promise<void>;
}

/** How an attempt ended: `skipped` is done with nothing to send. */
export interface JobOutcome {
  verdict: CallVerdict | 'skipped';
  message: string;
  retryAfterMs?: number;
}

/** The log outcome of a call's verdict. */
export const outcomeOf = (verdict: CallVerdict): ConnectionLogOutcome =>
  verdict === 'ok' ? 'ok' : verdict === 'retry' ? 'retry' : 'error';
