import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/** report_cube_folded's dimension columns when this migration was written (as migrations 028 and 029). */
const DIMENSIONS_031 = ['country', 'device', 'os', 'browser', 'offer_id', 'lander_id', 'language'] as const;
const COUNTERS_031 = [
  'clicks',
  'unique_clicks',
  'real_clicks',
  'bot_clicks',
  'vpn_clicks',
  'cloaked_clicks',
  'fraud_clicks',
  'priced_clicks',
  'priced_cost',
  'fraud_priced_clicks',
  'fraud_priced_cost',
  'lp_clicks',
  'conversions',
  'revenue',
  'suspicious_conversions',
] as const;
/** The narrow grain (os and browser folded) and the campaign id standing for all of an account's campaigns. */
const NARROW_GRAIN_031 = 1;
const ALL_CAMPAIGNS_031 = 0;

/**
 * The report cube's narrow-grain rows over all an account's campaigns (campaign ALL_CAMPAIGNS), beside each
 * campaign's: a report not per campaign (country × device, offer × device) read a set of rows per
 * campaign, each priced under its own terms; it now reads the all-campaigns rows less the few campaigns
 * charged otherwise (modules/reports/report-cube-plan.ts cubeSplit), 5 sets of rows instead of 16 in the
 * benchmark. The folder adds them from now on (report-cube-fold.repository.ts); here they are summed from
 * the narrow rows already folded (days and weeks alike: each is an exact sum over its campaigns), so
 * nothing needs the clicks. Rows not folded yet stay in report_cube, which reads add under ALL_CAMPAIGNS.
 */
export function reportCubeAllCampaigns(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      const ref = (name: string) => sql.ref(name);
      const dims = sql.join(DIMENSIONS_031.map(ref));
      const counters = sql.join(COUNTERS_031.map(ref));
      const sums = sql.join(COUNTERS_031.map((name) => sql`sum(${ref(name)})`));
      await sql`insert into report_cube_folded (user_id, grain, hours, start, campaign_id, ${dims}, ${counters})
        select user_id, grain, hours, start, ${sql.lit(ALL_CAMPAIGNS_031)}, ${dims}, ${sums}
        from report_cube_folded
        where grain = ${sql.lit(NARROW_GRAIN_031)} and campaign_id <> ${sql.lit(ALL_CAMPAIGNS_031)}
        group by user_id, grain, hours, start, ${dims}
        order by user_id, grain, hours, start, ${dims}`.execute(db);
    },
  };
}
