// Migration 010's count of stored clicks into click_stats_periods, for a database that had clicks but no
// rollups yet. Frozen with the migration: a copy of how the rollup writer (modules/stats/stats-delta.ts,
// dimensions.ts, periods.ts) counted a click when 010 was released, so today's writer may change without
// changing what this migration does. Never edit it to follow the writer.
import { sql, type Kysely } from 'kysely';
import { COUNTER_NAMES_004 } from './004-click-stats.counters.ts';

const COUNTER_NAMES = COUNTER_NAMES_004;
type CounterName = (typeof COUNTER_NAMES)[number];
type Counters = Record<CounterName, number>;

const KEY_COLUMNS = ['user_id', 'dimension', 'campaign_id', 'hours', 'start', 'value', 'shard'] as const;

const DIMENSIONS = [
  'country',
  'device',
  'os',
  'browser',
  'city',
  'asn',
  'referrer',
  'sub1',
  'sub2',
  'sub3',
  'sub4',
  'sub5',
] as const;
type Dimension = (typeof DIMENSIONS)[number];
const TOTAL = '';
const MAX_VALUE_LENGTH = 200;

const HOUR = 3_600_000;
const DAY = 86_400_000;
const HOURLY = 1;
const DAILY = 24;
const WEEKLY = 168;
const ALL_CAMPAIGNS = 0;

const FRAUD_COLUMN: Readonly<Record<string, CounterName>> = {
  bot: 'fraud_bot',
  rapid_fire: 'fraud_rapid_fire',
  click_farm: 'fraud_click_farm',
  datacenter: 'fraud_datacenter',
  vpn: 'fraud_vpn',
  duplicate: 'fraud_duplicate',
};

/** The columns of `clicks` this count reads, as they were at migration 010. */
interface StoredClick {
  id: string;
  user_id: number;
  campaign_id: number;
  created_at: number;
  status: string;
  is_unique: number;
  is_verified_bot: number;
  primary_fraud_type: string | null;
  country: string | null;
  city: string | null;
  device: string | null;
  os: string | null;
  browser: string | null;
  asn: number | null;
  as_org: string | null;
  referrer: string | null;
  sub1: string | null;
  sub2: string | null;
  sub3: string | null;
  sub4: string | null;
  sub5: string | null;
}

interface PeriodRow extends Counters {
  user_id: number;
  dimension: string;
  campaign_id: number;
  hours: number;
  start: number;
  value: string;
  shard: number;
}

const CHUNK = 5_000;
/** Rows per INSERT: 23 parameters each stays well under SQLite's and PostgreSQL's limits. */
const ROWS_PER_INSERT = 500;

/** Counts stored clicks and their counted conversions into empty rollups, in keyset chunks (flat memory). */
export async function rebuildStatsAt010(db: Kysely<unknown>): Promise<void> {
  let after = '';
  for (;;) {
    const { rows: clicks } = await sql<StoredClick>`
      select id, user_id, campaign_id, created_at, status, is_unique, is_verified_bot, primary_fraud_type,
             country, city, device, os, browser, asn, as_org, referrer, sub1, sub2, sub3, sub4, sub5
        from clicks where id > ${after} order by id limit ${CHUNK}`.execute(db);
    if (clicks.length === 0) return;
    const { rows: conversions } = await sql<{ click_id: string; payout: number }>`
      select click_id, payout from conversions
       where click_id in (${sql.join(clicks.map((click) => click.id))}) and status != 'rejected'`.execute(db);
    const byClick = new Map(clicks.map((click) => [click.id, click]));
    const own = new Map<string, PeriodRow>();
    for (const click of clicks) addClick(own, click, clickCounters(click));
    for (const conversion of conversions) {
      const click = byClick.get(conversion.click_id);
      if (click) addClick(own, click, { conversions: 1, revenue: Number(conversion.payout) });
    }
    await addRows(db, withCopies(own));
    after = clicks[clicks.length - 1]!.id;
  }
}

function clickCounters(click: StoredClick): Partial<Counters> {
  const counters: Partial<Counters> = {
    clicks: 1,
    unique_clicks: Number(click.is_unique),
    [`${click.status}_clicks`]: 1,
  };
  const verifiedBot = Number(click.is_verified_bot) === 1;
  if (verifiedBot) counters.verified_bot_clicks = 1;
  const fraudColumn = click.primary_fraud_type === null ? undefined : FRAUD_COLUMN[click.primary_fraud_type];
  if (fraudColumn && !verifiedBot) {
    counters.fraud_clicks = 1;
    counters[fraudColumn] = 1;
  }
  return counters;
}

function referrerDomain(referrer: string | null): string {
  if (!referrer) return '';
  try {
    return new URL(referrer).hostname.replace(/^www\./, '');
  } catch {
    return '';
  }
}

function dimensionValues(click: StoredClick): Record<Dimension, string> {
  const cut = (value: string | null) => (value ?? '').slice(0, MAX_VALUE_LENGTH);
  return {
    country: cut(click.country),
    device: cut(click.device),
    os: cut(click.os),
    browser: cut(click.browser),
    city: click.city ? cut(`${click.city}, ${click.country ?? '??'}`) : '',
    asn: click.asn === null ? '' : cut(`AS${click.asn}${click.as_org ? ` ${click.as_org}` : ''}`),
    referrer: cut(referrerDomain(click.referrer)),
    sub1: cut(click.sub1),
    sub2: cut(click.sub2),
    sub3: cut(click.sub3),
    sub4: cut(click.sub4),
    sub5: cut(click.sub5),
  };
}

function zeroRow(key: Omit<PeriodRow, CounterName>): PeriodRow {
  return { ...key, ...(Object.fromEntries(COUNTER_NAMES.map((name) => [name, 0])) as Counters) };
}

function addTo(rows: Map<string, PeriodRow>, row: Omit<PeriodRow, CounterName>, counters: Partial<Counters>): void {
  const key = KEY_COLUMNS.map((column) => row[column]).join('\u0000');
  let stored = rows.get(key);
  if (!stored) rows.set(key, (stored = zeroRow(row)));
  for (const [name, amount] of Object.entries(counters) as [CounterName, number][]) stored[name] += amount;
}

/** The click's campaign's totals for its hour and day, and each dimension value it has on its day. */
function addClick(own: Map<string, PeriodRow>, click: StoredClick, counters: Partial<Counters>): void {
  const entries = Object.entries(counters).filter(([, value]) => value !== 0);
  if (entries.length === 0) return;
  const nonZero = Object.fromEntries(entries) as Partial<Counters>;
  const row = (hours: number, start: number, dimension: string, value: string) =>
    addTo(
      own,
      { user_id: click.user_id, dimension, campaign_id: click.campaign_id, hours, start, value, shard: 0 },
      nonZero,
    );
  const day = Math.floor(click.created_at / DAY) * DAY;
  row(HOURLY, Math.floor(click.created_at / HOUR) * HOUR, TOTAL, TOTAL);
  row(DAILY, day, TOTAL, TOTAL);
  const values = dimensionValues(click);
  for (const dimension of DIMENSIONS) if (values[dimension] !== '') row(DAILY, day, dimension, values[dimension]);
}

/** Each campaign row also for all campaigns, and each day row in its week (Monday to Monday, UTC). */
function withCopies(own: Map<string, PeriodRow>): PeriodRow[] {
  const ownRows = [...own.values()].filter(isNonZero);
  const derived = new Map<string, PeriodRow>();
  const counters = (row: PeriodRow) => Object.fromEntries(COUNTER_NAMES.map((name) => [name, row[name]]));
  for (const row of ownRows) {
    addTo(derived, { ...row, campaign_id: ALL_CAMPAIGNS }, counters(row));
    if (row.hours !== DAILY) continue;
    // Epoch day 0 was a Thursday: three days past a Monday.
    const week = row.start - ((Math.floor(row.start / DAY) + 3) % 7) * DAY;
    addTo(derived, { ...row, hours: WEEKLY, start: week }, counters(row));
    addTo(derived, { ...row, campaign_id: ALL_CAMPAIGNS, hours: WEEKLY, start: week }, counters(row));
  }
  return [...ownRows, ...[...derived.values()].filter(isNonZero)];
}

const isNonZero = (row: PeriodRow) => COUNTER_NAMES.some((name) => row[name] !== 0);

async function addRows(db: Kysely<unknown>, rows: readonly PeriodRow[]): Promise<void> {
  const columns = [...KEY_COLUMNS, ...COUNTER_NAMES];
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const values = rows
      .slice(i, i + ROWS_PER_INSERT)
      .map((row) => sql`(${sql.join(columns.map((column) => row[column]))})`);
    await sql`insert into click_stats_periods (${sql.join(columns.map((column) => sql.ref(column)))})
      values ${sql.join(values)}
      on conflict (${sql.join(KEY_COLUMNS.map((column) => sql.ref(column)))}) do update set
      ${sql.join(COUNTER_NAMES.map((name) => sql`${sql.ref(name)} = click_stats_periods.${sql.ref(name)} + excluded.${sql.ref(name)}`))}`.execute(
      db,
    );
  }
}
