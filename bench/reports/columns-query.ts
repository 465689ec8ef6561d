// The columnar copy's own share of a sub-id report: the GROUP BY a report issues, run straight on a kept copy
// (profile-report.ts --columns keeps it in DIR/columns-NAME), timed apart from turning its rows into JS objects.
//
//   node --import tsx bench/reports/columns-query.ts /work/bench-keep/columns-reports-sqlite-10000000-s20260101/report-columns-0.duckdb
//
// Four shapes over the busiest account: a count, the keys alone, and the report's fifteen counters grouped by
// sub3 × country with and without the campaign (the campaign is what prices a group).
import { DuckDBInstance } from '@duckdb/node-api';

const path = process.argv[2];
if (!path) throw new Error('usage: columns-query.ts FILE.duckdb');
const instance = await DuckDBInstance.create(path, { threads: '2', memory_limit: '256MB', access_mode: 'READ_ONLY' });
const connection = await instance.connect();
const accounts = (
  await connection.runAndReadAll('select user_id, count(*)::DOUBLE as n from clicks group by 1 order by 2 desc')
).getRowObjectsJS();
const userId = Number(accounts[0]?.user_id);
const flag = (condition: string) => `sum(case when ${condition} then 1 else 0 end)`;
const priced = "c.cost_source = 'param' and c.cost is not null";
const fraud = 'c.primary_fraud_type is not null and c.is_verified_bot <> 1';
const counters = [
  'count(*)',
  'sum(c.is_unique)',
  ...['real', 'bot', 'vpn', 'cloaked'].map((status) => flag(`c.status = '${status}'`)),
  flag(fraud),
  flag(priced),
  `sum(case when ${priced} then c.cost else 0 end)`,
  flag(`${priced} and ${fraud}`),
  `sum(case when ${priced} and ${fraud} then c.cost else 0 end)`,
  flag('c.lp_clicked_at is not null'),
  'sum(c.conversions)',
  'sum(c.revenue)',
  'sum(c.suspicious_conversions)',
].join(', ');
const where = `c.user_id = ${userId}`;
for (const [label, text] of [
  ['count', `select count(*) from clicks c where ${where}`],
  ['sub3, country: keys only', `select c.sub3, c.country, count(*) from clicks c where ${where} group by 1, 2`],
  [
    'sub3, country, campaign: 15 counters',
    `select c.campaign_id, c.sub3, c.country, ${counters} from clicks c where ${where} group by 1, 2, 3`,
  ],
  ['sub3, country: 15 counters', `select c.sub3, c.country, ${counters} from clicks c where ${where} group by 1, 2`],
] as const) {
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const reader = await connection.runAndReadAll(text);
    const t1 = performance.now();
    reader.getRowObjectsJS();
    console.log(
      `${label}: query ${(t1 - t0).toFixed(0)} ms, rows to JS ${(performance.now() - t1).toFixed(0)} ms, ${reader.currentRowCount} rows`,
    );
  }
}
connection.closeSync();
instance.closeSync();
