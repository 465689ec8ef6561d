// The baseline: the same numbers the rollups give, computed the naive way, by GROUP BY over the raw
// clicks (and their counted conversions) of the range on every request.
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../src/storage/database.ts';

export type NaiveGroup = 'campaign' | 'country' | 'device' | 'os' | 'browser' | 'city' | 'sub1' | 'hour' | 'day';

const GROUP_EXPRESSIONS: Readonly<Record<NaiveGroup, RawBuilder<unknown>>> = {
  campaign: sql`c.campaign_id`,
  country: sql`c.country`,
  device: sql`c.device`,
  os: sql`c.os`,
  browser: sql`c.browser`,
  city: sql`case when c.city is null then null else c.city || ', ' || coalesce(c.country, '??') end`,
  sub1: sql`c.sub1`,
  hour: sql`(c.created_at / 3600000) % 24`,
  day: sql`c.created_at / 86400000`,
};

export interface NaiveQuery {
  userId: number;
  campaignId?: number;
  group: NaiveGroup;
  from: number;
  toExclusive: number;
}

/** Every counter of a rollup row, per group, straight from the raw rows. */
export async function naiveQuery(db: Db, query: NaiveQuery): Promise<Array<Record<string, unknown>>> {
  const group = GROUP_EXPRESSIONS[query.group];
  const campaign = query.campaignId === undefined ? sql`` : sql`and c.campaign_id = ${query.campaignId}`;
  const fraud = (type: string) =>
    sql.raw(
      `sum(case when c.primary_fraud_type = '${type}' and c.is_verified_bot = 0 then 1 else 0 end) as fraud_${type}`,
    );
  const result = await sql<Record<string, unknown>>`
    select ${group} as grp,
      count(*) as clicks,
      sum(c.is_unique) as unique_clicks,
      sum(case when c.status = 'real' then 1 else 0 end) as real_clicks,
      sum(case when c.status = 'bot' then 1 else 0 end) as bot_clicks,
      sum(case when c.status = 'vpn' then 1 else 0 end) as vpn_clicks,
      sum(case when c.status = 'cloaked' then 1 else 0 end) as cloaked_clicks,
      sum(c.is_verified_bot) as verified_bot_clicks,
      sum(case when c.primary_fraud_type is not null and c.is_verified_bot = 0 then 1 else 0 end) as fraud_clicks,
      ${fraud('bot')}, ${fraud('rapid_fire')}, ${fraud('click_farm')}, ${fraud('datacenter')}, ${fraud('vpn')}, ${fraud('duplicate')},
      count(v.id) as conversions,
      coalesce(sum(v.payout), 0) as revenue
    from clicks c
    left join conversions v on v.click_id = c.id and v.status <> 'rejected'
    where c.user_id = ${query.userId} and c.created_at >= ${query.from} and c.created_at < ${query.toExclusive} ${campaign}
    group by ${group}`.execute(db);
  return result.rows;
}
