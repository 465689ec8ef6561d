// Checks that two loads of the same plan hold the same data, table by table and row by row: the reference
// loader (loader.ts) against the fast one (fast-loader.ts). Load both first with the report benchmark, e.g.
//
//   node --import tsx bench/reports/run.ts --clicks 30000 --dialects sqlite --keep /tmp/id-old --load-only --loader old
//   node --import tsx bench/reports/run.ts --clicks 30000 --dialects sqlite --keep /tmp/id-new --load-only
//   node --import tsx bench/stats/loader-identity.ts sqlite:/tmp/id-old/reports-sqlite-30000-s20260101.db \
//     sqlite:/tmp/id-new/reports-sqlite-30000-s20260101.db
//
// PostgreSQL: two databases (the kept schema's name is the same for both), e.g. `postgres://…/id_old#bench_keep_30000_s20260101`
// (the schema after `#`). Click ids are random (click-id.ts, time-prefixed), so a click is compared by every
// other column, a conversion by its own columns less those naming its click id plus its click's columns, and
// the click ids are checked to be what the conversion names. Everything else is compared whole. Exits 1 on a
// difference, printing the first rows that differ.
//
// The report cube is folded on both first (as the benchmark does before it times a report): the app the
// benchmark loads beside runs its background cube folder during the load, so which days of report_cube had
// been moved to report_cube_folded when the load ended depends on timing, on either loader; what both hold
// once folded does not. The same for the rollup journal (folded by the loader and by the app's stats folder).
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/storage/database.ts';
import { openStorage, type Storage } from '../../src/storage/open-database.ts';
import { createReportCubeFolder } from '../../src/modules/reports/report-cube-folder.ts';

const TABLES = [
  'click_stats_periods',
  'click_stats_journal_counts',
  'report_cube',
  'report_cube_folded',
  'click_stats_weeks',
  'clicks',
  'conversions',
] as const;

function open(location: string): Storage {
  const [url, schema] = location.split('#');
  return openStorage(url!, schema ? { schema } : {});
}

/** A row as one comparable string: numbers as numbers whatever the driver's type (bigint, numeric text). */
function canonical(row: Record<string, unknown>): string {
  return JSON.stringify(
    Object.keys(row)
      .sort()
      .map((key) => {
        const value = row[key];
        if (typeof value === 'bigint') return [key, Number(value)];
        if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value) && key !== 'value') return [key, Number(value)];
        return [key, value ?? null];
      }),
  );
}

async function rowsOf(db: Kysely<Database>, table: (typeof TABLES)[number]): Promise<string[]> {
  const raw = db as unknown as Kysely<Record<string, Record<string, unknown>>>;
  let rows: Record<string, unknown>[];
  if (table === 'clicks') {
    rows = (await raw.selectFrom('clicks').selectAll().execute()).map(({ id: _id, ...rest }) => rest);
  } else if (table === 'conversions') {
    const joined = await sql<Record<string, unknown>>`select v.id, v.user_id, v.campaign_id, v.payout, v.status,
        v.created_at, v.updated_at, v.once_key, v.suspicious, v.suspicious_reasons, v.event, v.suspicious_in_rollups,
        case when v.transaction_id = 'tx-' || v.click_id and v.dedupe_key = 'tx:tx-' || v.click_id then 1 else 0 end as names_click,
        c.created_at as click_at, c.ip as click_ip, c.user_id as click_user, c.campaign_id as click_campaign, c.status as click_status
      from conversions v left join clicks c on c.id = v.click_id`.execute(db);
    rows = joined.rows;
  } else if (table === 'click_stats_journal_counts') {
    // Journal ids and rows differ by design (one row per chunk's key instead of per batch's): what is left
    // unfolded must be nothing on both.
    const left = await sql<{ n: unknown }>`select count(*) as n from click_stats_journal`.execute(db);
    rows = [{ rows: Number(left.rows[0]?.n ?? 0) }];
  } else {
    rows = await raw.selectFrom(table).selectAll().execute();
  }
  return rows.map(canonical).sort();
}

const [a, b] = process.argv.slice(2);
if (!a || !b) {
  console.error('usage: loader-identity.ts LOCATION_A LOCATION_B (sqlite:FILE or postgres://…#schema)');
  process.exit(2);
}
const left = open(a);
const right = open(b);
let differ = false;
try {
  for (const storage of [left, right])
    await createReportCubeFolder({ db: storage.db, dialect: storage.dialect, log: console, intervalMs: 0 }).foldAll();
  for (const table of TABLES) {
    const [x, y] = await Promise.all([rowsOf(left.db, table), rowsOf(right.db, table)]);
    let first = -1;
    for (let i = 0; i < Math.max(x.length, y.length); i++)
      if (x[i] !== y[i]) {
        first = i;
        break;
      }
    if (first === -1) {
      console.log(`${table}: ${x.length} rows, identical`);
      continue;
    }
    differ = true;
    console.log(`${table}: ${x.length} vs ${y.length} rows, DIFFERENT from sorted row ${first}:`);
    console.log(`  A ${x[first] ?? '(none)'}`);
    console.log(`  B ${y[first] ?? '(none)'}`);
  }
  // The conversions name their clicks (checked per row above); none may name a click that is not there.
  for (const [name, storage] of [
    ['A', left],
    ['B', right],
  ] as const) {
    const orphans = await sql<{
      n: unknown;
    }>`select count(*) as n from conversions v where not exists (select 1 from clicks c where c.id = v.click_id)`.execute(
      storage.db,
    );
    if (Number(orphans.rows[0]?.n) !== 0) {
      differ = true;
      console.log(`${name}: ${String(orphans.rows[0]?.n)} conversions without their click`);
    }
  }
} finally {
  await left.close();
  await right.close();
}
console.log(differ ? 'DIFFERENT' : 'IDENTICAL');
process.exit(differ ? 1 : 0);
