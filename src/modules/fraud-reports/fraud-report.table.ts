import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { CostModel } from '../campaigns/campaign.table.ts';
import type { AdPlatform, FraudReportStatus } from './fraud-report.enums.ts';

export type { AdPlatform, FraudReportStatus };

export interface FraudReportTable {
  id: Generated<number>;
  user_id: number;
  campaign_id: number;
  platform: AdPlatform;
  /** The dates as asked (YYYY-MM-DD, inclusive), shown back unchanged. */
  from_day: string;
  to_day: string;
  /** The clicks covered, epoch ms [range_from, range_to): the end is capped at creation so a re-download reads the same rows. */
  range_from: number;
  range_to: number;
  /** The campaign's cost model when the report was asked for: a later price change does not rewrite a refund claim. */
  cost_model: CostModel;
  cost_value: number;
  status: FraudReportStatus;
  /** Why the report failed; null otherwise. */
  error: string | null;
  /** JSON of FraudReportSummary once ready. */
  summary: string | null;
  /** JSON of IpExclusionList once ready, google reports only. */
  ip_exclusions: string | null;
  /** Claims so far: a job that keeps killing the process is given up instead of retried forever. */
  attempts: Generated<number>;
  /** Lease of the runner computing it (epoch ms); null or past means anyone may claim it. */
  claimed_until: number | null;
  created_at: number;
  completed_at: number | null;
}

export type FraudReportRow = Selectable<FraudReportTable>;
export type NewFraudReportRow = Insertable<FraudReportTable>;
export type FraudReportUpdate = Updateable<FraudReportTable>;
