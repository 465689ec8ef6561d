import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../storage/database.ts';
import { ALL_CAMPAIGNS } from '../stats/periods.ts';

/** The click columns a report may group or filter by (a fixed list: never a name from the request). */
export const GROUP_COLUMNS = [
  'campaign_id',
  'offer_id',
  'lander_id',
  'rule',
  'path',
  'placement',
  'country',
  'region',
  'city',
  'device',
  'os',
  'browser',
  'asn',
  'as_org',
  'language',
  'sub1',
  'sub2',
  'sub3',
  'sub4',
  'sub5',
  'sub6',
  'sub7',
  'sub8',
  'sub9',
  'sub10',
  'status',
  'primary_fraud_type',
  'is_verified_bot',
] as const;
export type GroupColumn = (typeof GROUP_COLUMNS)[number];

/** The group columns holding numbers (the rest hold text). */
export const NUMERIC_GROUP_COLUMNS: ReadonlySet<GroupColumn> = new Set([
  'campaign_id',
  'offer_id',
  'lander_id',
  'path',
  'asn',
  'is_verified_bot',
]);

/** `column IN values` (numbers or text, as the column holds), or null with `orNull`. */
export interface ColumnFilter {
  readonly column: GroupColumn;
  readonly values: readonly (string | number)[];
  readonly orNull?: boolean;
}

/** Rows of values, in `columns` order (null for none): the groups a report page shows. */
export interface InsideRows {
  readonly columns: readonly GroupColumn[];
  readonly rows: ReadonlyArray<ReadonlyArray<string | number | null>>;
}

/** Whether a filter can match nothing: no values, and not null either. */
export const matchesNothing = (filter: ColumnFilter): boolean => filter.values.length === 0 && !filter.orNull;

export interface ClickGroupQuery {
  readonly userId: number;
  /** created_at bounds, epoch ms, `to` exclusive. */
  readonly from: number;
  readonly to: number;
  /** Only these campaigns; every campaign of the account when absent. */
  readonly campaignIds?: readonly number[];
  /** Grouped by, beside campaign_id (always: each campaign has its own cost terms). */
  readonly columns: readonly GroupColumn[];
  /** Also grouped by UTC hour (time dimensions and filters, read in the report's zone afterwards). */
  readonly hourly: boolean;
  /** Also grouped by UTC day: the days whose cost was set share their amount by clicks per day. */
  readonly daily: boolean;
  readonly filters: readonly ColumnFilter[];
  /**
   * Campaign → the campaign it is priced like (the same cost terms): their clicks group as that one's, so a
   * report over many campaigns charged alike reads one group where it read one per campaign.
   */
  readonly pricedAlike?: ReadonlyMap<number, number>;
  /**
   * Only these counters are wanted (the others may be 0): a reader that counts column by column (the
   * columnar copy) counts just these. A report ranks its rows by one metric this way before it counts
   * the page's rows in full. The database's GROUP BY counts every one regardless.
   */
  readonly counters?: readonly (keyof ClickGroupCounters)[];
  /**
   * Campaigns not told apart: every group's campaignId is ALL_CAMPAIGNS (for counts a report does not
   * price). Only with another key to group by: a column, the hour or the day.
   */
  readonly acrossCampaigns?: boolean;
  /**
   * The city grouped as a report shows its row (stats/dimensions.ts cityWithCountry): its name with its country,
   * none for no name in any country, and `inside` rows matched so; the country then is only the city's, not
   * a grouping of its own. Heeded by the columnar copy, where a report ranks its rows on their top; a reader
   * may ignore it (the database does): the report merges the city's and country's groups into the same rows.
   */
  readonly cityShown?: boolean;
  /**
   * Clicks whose values in `columns` are not one of `rows` are counted too, but together: per campaign
   * (and hour, day), a group marked `outside` whose other keys are null. A report counts its page's rows
   * and its totals in one read this way. A reader may instead group every click by its keys as usual
   * (the database does): the groups are then all inside, and the caller picks its rows by their values.
   */
  readonly inside?: InsideRows;
  /** Only these clicks (the ones a columnar copy holds out of date: modules/report-columns). */
  readonly ids?: readonly string[];
  /**
   * Rows per conversion event instead of per click: conversions and revenue of the counted conversions,
   * grouped by their event too (optionally only these events), at their click's dimensions.
   */
  readonly events?: { readonly only?: readonly string[] };
}

/**
 * A ranking read cut to its top (ReportColumns.topGroups): groups for at least every row that may be among the
 * first `count` rows by `counter`, largest first, ties included, each such row's groups all there, and how many
 * rows there are in all. A row is a group's values as a report shows them, so the reader keys rows that way.
 */
export interface TopRows {
  readonly counter: keyof ClickGroupCounters;
  readonly count: number;
  /** Columns whose '' a report shows as none: one row with their nulls. */
  readonly emptyIsNone: readonly GroupColumn[];
  /** Columns a report cuts to `cutAt` characters: a longer value may join another row, so no top read then. */
  readonly cut: readonly GroupColumn[];
  readonly cutAt: number;
}

export interface TopGroups {
  readonly groups: ClickGroup[];
  /** Rows in all (not only those of `groups`). */
  readonly rows: number;
}

/** What one group of clicks adds up to: the rollups' counters a report shows or charges by. */
export interface ClickGroupCounters {
  clicks: number;
  unique_clicks: number;
  real_clicks: number;
  bot_clicks: number;
  vpn_clicks: number;
  cloaked_clicks: number;
  fraud_clicks: number;
  priced_clicks: number;
  priced_cost: number;
  fraud_priced_clicks: number;
  fraud_priced_cost: number;
  lp_clicks: number;
  conversions: number;
  revenue: number;
  /** Counted conversions judged fake leads (SPEC section 10), as the rollups count them. */
  suspicious_conversions: number;
}

export interface ClickGroup {
  /** The grouped columns' values, in `columns` order, then `campaign_id`. */
  readonly keys: Record<GroupColumn, string | number | null>;
  readonly campaignId: number;
  /** Epoch ms of the UTC hour (hourly) and day (daily); 0 when not grouped by them. */
  readonly hour: number;
  readonly day: number;
  /** '' unless grouped by event. */
  readonly event: string;
  readonly counters: ClickGroupCounters;
  /** The clicks outside the query's `inside` rows. */
  readonly outside?: boolean;
}

const HOUR = 3_600_000;
const DAY = 86_400_000;

/**
 * What the click counters count clicks by, as the rollups count them (stats-delta.ts clickCounters):
 * a fraud type and not a verified crawler is fraud; a price from the click's cost parameter is priced.
 */
export const CLICK_CONDITIONS = {
  real: sql`c.status = 'real'`,
  bot: sql`c.status = 'bot'`,
  vpn: sql`c.status = 'vpn'`,
  cloaked: sql`c.status = 'cloaked'`,
  fraud: sql`c.primary_fraud_type is not null and c.is_verified_bot <> 1`,
  priced: sql`c.cost_source = 'param' and c.cost is not null`,
  lp: sql`c.lp_clicked_at is not null`,
} as const;
export type ClickCondition = keyof typeof CLICK_CONDITIONS;

export type ClickCounterName = Exclude<keyof ClickGroupCounters, 'conversions' | 'revenue' | 'suspicious_conversions'>;

/** Each click counter: what it adds up (each click, its is_unique, its cost) over the clicks meeting every condition. */
export const CLICK_COUNTERS: Record<
  ClickCounterName,
  { readonly of: 'click' | 'unique' | 'cost'; readonly when: readonly ClickCondition[] }
> = {
  clicks: { of: 'click', when: [] },
  unique_clicks: { of: 'unique', when: [] },
  real_clicks: { of: 'click', when: ['real'] },
  bot_clicks: { of: 'click', when: ['bot'] },
  vpn_clicks: { of: 'click', when: ['vpn'] },
  cloaked_clicks: { of: 'click', when: ['cloaked'] },
  fraud_clicks: { of: 'click', when: ['fraud'] },
  priced_clicks: { of: 'click', when: ['priced'] },
  priced_cost: { of: 'cost', when: ['priced'] },
  fraud_priced_clicks: { of: 'click', when: ['priced', 'fraud'] },
  fraud_priced_cost: { of: 'cost', when: ['priced', 'fraud'] },
  lp_clicks: { of: 'click', when: ['lp'] },
};

/** The click counters as aggregates over the clicks `c`. */
export const CLICK_COUNTER_SQL = Object.fromEntries(
  Object.entries(CLICK_COUNTERS).map(([name, { of, when }]) => {
    if (when.length === 0) return [name, of === 'unique' ? sql<number>`sum(c.is_unique)` : sql<number>`count(*)`];
    const condition = sql.join(
      when.map((each) => sql`(${CLICK_CONDITIONS[each]})`),
      sql` and `,
    );
    const added = of === 'cost' ? sql`c.cost` : of === 'unique' ? sql`c.is_unique` : sql`1`;
    return [name, sql<number>`sum(case when ${condition} then ${added} else 0 end)`];
  }),
) as Record<ClickCounterName, RawBuilder<number>>;

/** A counted conversion is among suspicious_conversions once the rollups count it so (migration 024's suspicious_in_rollups). */
export const SUSPICIOUS_SQL = (alias: 'v.' | '') =>
  sql`sum(case when ${sql.raw(alias)}suspicious = 1 and ${sql.raw(alias)}suspicious_in_rollups = 1 then 1 else 0 end)`;

export function zeroGroupCounters(): ClickGroupCounters {
  return {
    clicks: 0,
    unique_clicks: 0,
    real_clicks: 0,
    bot_clicks: 0,
    vpn_clicks: 0,
    cloaked_clicks: 0,
    fraud_clicks: 0,
    priced_clicks: 0,
    priced_cost: 0,
    fraud_priced_clicks: 0,
    fraud_priced_cost: 0,
    lp_clicks: 0,
    conversions: 0,
    revenue: 0,
    suspicious_conversions: 0,
  };
}

/**
 * A report straight from the clicks (and their counted conversions): one GROUP BY over the account's
 * clicks of the range, through the (user_id, created_at) index, for the groupings the rollups do not
 * keep (two dimensions, filters, region, status, …). Counted as the rollups count (stats-delta.ts), so
 * the two agree while the raw clicks are kept.
 */
export async function groupClicks(db: Db, query: ClickGroupQuery): Promise<ClickGroup[]> {
  const columns = groupedColumns(query);
  const alike = [...(query.pricedAlike ?? [])].filter(([id, like]) => id !== like);
  const keys: RawBuilder<unknown>[] = columns.map((column) =>
    column === 'campaign_id' && query.acrossCampaigns
      ? sql.lit(ALL_CAMPAIGNS)
      : column === 'campaign_id' && alike.length > 0
        ? sql`(case c.campaign_id ${sql.join(
            alike.map(([id, like]) => sql`when ${sql.lit(id)} then ${sql.lit(like)}`),
            sql` `,
          )} else c.campaign_id end)`
        : sql`c.${sql.ref(column)}`,
  );
  // Literals: PostgreSQL must see the same expression in SELECT and GROUP BY.
  if (query.hourly) keys.push(sql`(c.created_at / ${sql.lit(HOUR)})`);
  if (query.daily) keys.push(sql`(c.created_at / ${sql.lit(DAY)})`);
  if (query.events) keys.push(sql`v.event`);

  const where: RawBuilder<unknown>[] = [
    sql`c.user_id = ${query.userId}`,
    sql`c.created_at >= ${query.from}`,
    sql`c.created_at < ${query.to}`,
  ];
  if (query.campaignIds) {
    if (query.campaignIds.length === 0) return [];
    where.push(sql`c.campaign_id in (${sql.join(query.campaignIds)})`);
  }
  if (query.ids) {
    if (query.ids.length === 0) return [];
    where.push(sql`c.id in (${sql.join(query.ids)})`);
  }
  for (const filter of query.filters) {
    if (matchesNothing(filter)) return [];
    const column = sql`c.${sql.ref(filter.column)}`;
    const listed = filter.values.length > 0 ? sql`${column} in (${sql.join(filter.values)})` : undefined;
    const isNull = filter.orNull ? sql`${column} is null` : undefined;
    where.push(listed && isNull ? sql`(${listed} or ${isNull})` : (listed ?? isNull)!);
  }

  const selected = keys.map((key, index) => sql`${key} as ${sql.ref(`k${index}`)}`);
  // A constant is selected, not grouped by: both databases read a number in GROUP BY as a column's position.
  const grouping = query.acrossCampaigns ? keys.slice(1) : keys;
  const counterNames = Object.keys(CLICK_COUNTER_SQL) as (keyof typeof CLICK_COUNTER_SQL)[];
  let statement: RawBuilder<Record<string, unknown>>;
  if (query.events) {
    if (query.events.only) where.push(sql`v.event in (${sql.join(query.events.only)})`);
    statement = sql`select ${sql.join(selected)}, count(*) as conversions, sum(v.payout) as revenue,
      ${SUSPICIOUS_SQL('v.')} as suspicious_conversions
      from conversions v join clicks c on c.id = v.click_id
      where v.user_id = ${query.userId} and v.status <> 'rejected' and ${sql.join(where, sql` and `)}
      group by ${sql.join(grouping)}`;
  } else {
    const counters = counterNames.map((name) => sql`${CLICK_COUNTER_SQL[name]} as ${sql.ref(name)}`);
    // Each click's counted conversions, summed first so a click with several still counts once as a click.
    statement = sql`select ${sql.join(selected)}, ${sql.join(counters)},
      coalesce(sum(v.n), 0) as conversions, coalesce(sum(v.revenue), 0) as revenue,
      coalesce(sum(v.suspicious), 0) as suspicious_conversions
      from clicks c left join (
        select click_id, count(*) as n, sum(payout) as revenue, ${SUSPICIOUS_SQL('')} as suspicious from conversions
        where user_id = ${query.userId} and status <> 'rejected' group by click_id
      ) v on v.click_id = c.id
      where ${sql.join(where, sql` and `)}
      group by ${sql.join(grouping)}`;
  }
  const result = await statement.execute(db);
  return result.rows.map((row) => clickGroupOfRow(row, query));
}

/** The columns a query groups by, campaign_id first: its keys k0… in this order, then hour, day and event. */
export function groupedColumns(query: ClickGroupQuery): GroupColumn[] {
  return [...new Set<GroupColumn>(['campaign_id', ...query.columns])];
}

/** A group from a row of keys k0… (groupedColumns, then hour, day, event) and the counters by name. */
export function clickGroupOfRow(row: Record<string, unknown>, query: ClickGroupQuery): ClickGroup {
  const columns = groupedColumns(query);
  const values = {} as Record<GroupColumn, string | number | null>;
  columns.forEach((column, index) => {
    const value = row[`k${index}`];
    values[column] = value === null || value === undefined ? null : (value as string | number);
  });
  let next = columns.length;
  const hour = query.hourly ? Number(row[`k${next++}`]) * HOUR : 0;
  const day = query.daily ? Number(row[`k${next++}`]) * DAY : 0;
  const event = query.events ? String(row[`k${next}`]) : '';
  const counters = zeroGroupCounters();
  for (const name of Object.keys(counters) as (keyof ClickGroupCounters)[]) counters[name] = Number(row[name] ?? 0);
  return { keys: values, campaignId: Number(values.campaign_id), hour, day, event, counters };
}
