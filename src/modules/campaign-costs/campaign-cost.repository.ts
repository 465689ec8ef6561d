import type { Db } from '../../storage/database.ts';
import type { CampaignCostDayRow, CampaignCostDayTable } from './campaign-cost.table.ts';

/** Replaces the campaign's days in [from, to) with `days`, in the caller's transaction. */
export async function replaceCostDays(
  trx: Db,
  campaignId: number,
  from: number,
  to: number,
  days: readonly CampaignCostDayTable[],
): Promise<void> {
  await trx
    .deleteFrom('campaign_cost_days')
    .where('campaign_id', '=', campaignId)
    .where('day', '>=', from)
    .where('day', '<', to)
    .execute();
  if (days.length > 0)
    await trx
      .insertInto('campaign_cost_days')
      .values([...days])
      .execute();
}

/** The account's set days in [from, to), of one campaign or all of them, in day order. */
export async function findCostDays(
  db: Db,
  filter: { userId: number; campaignId?: number; from?: number; to?: number },
): Promise<CampaignCostDayRow[]> {
  return db
    .selectFrom('campaign_cost_days')
    .selectAll()
    .where('user_id', '=', filter.userId)
    .$if(filter.campaignId !== undefined, (q) => q.where('campaign_id', '=', filter.campaignId!))
    .$if(filter.from !== undefined, (q) => q.where('day', '>=', filter.from!))
    .$if(filter.to !== undefined, (q) => q.where('day', '<', filter.to!))
    .orderBy('campaign_id')
    .orderBy('day')
    .execute();
}
