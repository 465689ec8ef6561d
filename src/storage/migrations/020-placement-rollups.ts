import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/** The rollups' counters when this migration was written (click_stats_periods' columns then). */
const COUNTERS = [
  'clicks',
  'unique_clicks',
  'real_clicks',
  'bot_clicks',
  'vpn_clicks',
  'cloaked_clicks',
  'verified_bot_clicks',
  'fraud_clicks',
  'fraud_bot',
  'fraud_rapid_fire',
  'fraud_click_farm',
  'fraud_datacenter',
  'fraud_vpn',
  'fraud_duplicate',
  'conversions',
  'revenue',
] as const;
const FRAUD_TYPES = ['bot', 'rapid_fire', 'click_farm', 'datacenter', 'vpn', 'duplicate'] as const;
const STATUSES = ['real', 'bot', 'vpn', 'cloaked'] as const;
const KEY = ['user_id', 'dimension', 'campaign_id', 'hours', 'start', 'value', 'shard'] as const;
const DAY = 86_400_000;
const DAILY = 24;
const WEEKLY = 168;
const ALL_CAMPAIGNS = 0;

/**
 * `placement` becomes a rollup dimension (a traffic source's placement report reads it). Clicks stored
 * since migration 015 already carry a placement: their day and week rows, per campaign and for all
 * campaigns, are counted here from the stored clicks and their counted conversions, as the rollup
 * writer counted a click when this was written (frozen: the SQL below, not today's writer). Clicks the
 * retention already deleted, or that were counted without a row of their own, cannot be recounted: a
 * report shows them among the clicks without a placement. One INSERT … SELECT on each dialect, so no
 * click travels to JavaScript; only clicks with a placement are read.
 */
export function placementRollups(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      const ref = (name: string) => sql.ref(name);
      const verdict = sql`is_verified_bot <> 1`;
      const perClick = sql.join([
        sql`1 as clicks`,
        sql`is_unique as unique_clicks`,
        ...STATUSES.map(
          (status) => sql`case when status = ${sql.lit(status)} then 1 else 0 end as ${ref(`${status}_clicks`)}`,
        ),
        sql`case when is_verified_bot = 1 then 1 else 0 end as verified_bot_clicks`,
        sql`case when primary_fraud_type is not null and ${verdict} then 1 else 0 end as fraud_clicks`,
        ...FRAUD_TYPES.map(
          (type) =>
            sql`case when primary_fraud_type = ${sql.lit(type)} and ${verdict} then 1 else 0 end as ${ref(`fraud_${type}`)}`,
        ),
        sql`(select count(*) from conversions v where v.click_id = clicks.id and v.status <> 'rejected') as conversions`,
        sql`(select coalesce(sum(v.payout), 0) from conversions v where v.click_id = clicks.id and v.status <> 'rejected') as revenue`,
      ]);
      const sums = sql.join(COUNTERS.map((name) => sql`sum(${ref(name)}) as ${ref(name)}`));
      const counters = sql.join(COUNTERS.map(ref));
      const day = sql.lit(DAY);
      // Epoch day 0 was a Thursday, three days past a Monday.
      const week = sql`(start - ((start / ${day} + 3) % 7) * ${day})`;
      const dimension = sql.lit('placement');
      const [daily, weekly, all] = [sql.lit(DAILY), sql.lit(WEEKLY), sql.lit(ALL_CAMPAIGNS)];
      await sql`with counted as (
          select user_id, campaign_id, placement as value, (created_at / ${day}) * ${day} as start, ${perClick}
            from clicks where placement is not null and placement <> ''
        ), days as (
          select user_id, campaign_id, start, value, ${sums} from counted group by user_id, campaign_id, start, value
        )
        insert into click_stats_periods (${sql.join(KEY.map(ref))}, ${counters})
        select * from (
          select user_id, ${dimension} as dimension, campaign_id, ${daily} as hours, start, value, 0 as shard, ${counters} from days
          union all select user_id, ${dimension}, ${all}, ${daily}, start, value, 0, ${sums} from days group by user_id, start, value
          union all select user_id, ${dimension}, campaign_id, ${weekly}, ${week}, value, 0, ${sums} from days group by user_id, campaign_id, ${week}, value
          union all select user_id, ${dimension}, ${all}, ${weekly}, ${week}, value, 0, ${sums} from days group by user_id, ${week}, value
        ) as rows where true
        on conflict (${sql.join(KEY.map(ref))}) do update set
        ${sql.join(COUNTERS.map((name) => sql`${ref(name)} = click_stats_periods.${ref(name)} + excluded.${ref(name)}`))}`.execute(
        db,
      );
    },
  };
}
