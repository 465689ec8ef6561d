import type { Selectable } from 'kysely';

/**
 * Spend set for a date range (POST /api/v1/campaigns/{id}/costs), one row per UTC day of the range: a
 * later range that overlaps replaces exactly the days it covers, and a report reads the days it spans.
 * The range a day came from is kept beside it, so the list shows what was set.
 */
export interface CampaignCostDayTable {
  campaign_id: number;
  user_id: number;
  /** Epoch ms of the UTC day's start. */
  day: number;
  /** The range's amount spread evenly over its days. */
  amount: number;
  /** The range this day was set by: its first day and the day after its last (epoch ms), and its amount. */
  range_from: number;
  range_to: number;
  range_amount: number;
  set_at: number;
}

export type CampaignCostDayRow = Selectable<CampaignCostDayTable>;
