// The `## Statistics` section of BENCHMARKS.md: everything between its markers is replaced by a run,
// the rest of the file (other sections, and notes written under the block) is left as it is.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { markdownTable, ms } from '../tracker/report.ts';

const START = '<!-- bench:stats -->';
const END = '<!-- /bench:stats -->';
const TITLE = '## Statistics';

export function writeStatsBlock(path: string, content: string): void {
  const original = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
  const replacement = `${START}\n${content.trim()}\n${END}`;
  const from = original.indexOf(START);
  const to = original.indexOf(END);
  if (from >= 0 && to > from) {
    writeFileSync(path, original.slice(0, from) + replacement + original.slice(to + END.length));
    return;
  }
  writeFileSync(path, `${original.replace(/\n*$/, '\n\n')}${TITLE}\n\n${replacement}\n`);
}

export interface Latency {
  p50: number;
  p95: number;
  max: number;
  n: number;
}

export interface EndpointResult {
  name: string;
  api: Latency;
  naive: Latency;
}

export interface FraudCsvResult {
  campaignClicks: number;
  rows: number;
  bytes: number;
  jobSeconds: number;
  streamSeconds: number;
  rssBeforeMiB: number;
  rssPeakMiB: number;
  heapBeforeMiB: number;
  heapPeakMiB: number;
}

export interface LoadSummary {
  clicks: number;
  conversions: number;
  rollupRows: number;
  /** Absent in results from before the journal. */
  journalRows?: number;
  unfoldedClicks?: number;
  seconds: number;
  generateSeconds: number;
  dbMiB: number;
}

export interface RunResult {
  dialect: 'sqlite' | 'postgres';
  size: number;
  load: LoadSummary;
  endpoints: EndpointResult[];
  fraudCsv?: FraudCsvResult;
  requests: number;
  budgetSeconds: number;
  naiveRuns: number;
}

export function percentiles(samples: readonly number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
  return { p50: at(0.5), p95: at(0.95), max: sorted.at(-1)!, n: sorted.length };
}

const sizeLabel = (size: number) =>
  size >= 1_000_000 ? `${size / 1_000_000}M` : size >= 1_000 ? `${size / 1_000}k` : String(size);
const int = (value: number) => Math.round(value).toLocaleString('en-US');
const ratio = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined || b === 0 ? '–' : `${(a / b).toFixed(2)}×`;
const DIALECT_NAMES = { sqlite: 'SQLite', postgres: 'PostgreSQL' } as const;

export interface RenderContext {
  machine: string;
  commit: string;
  command: string;
  date: string;
  postgresVersion?: string;
  note?: string;
}

export function renderStats(results: readonly RunResult[], context: RenderContext): string {
  const sizes = [...new Set(results.map((r) => r.size))].sort((a, b) => a - b);
  const small = sizes[0];
  const large = sizes.at(-1);
  const out: string[] = [];
  out.push(
    'Stats, analytics and fraud statistics read the rollups (`click_stats_periods`: campaign totals per hour, day and week, dimension values per day and week, each also summed over all campaigns; a range reads whole weeks plus edge days); the baseline is the naive ' +
      'query, the same counters computed by `GROUP BY` over the raw `clicks` of the range (left join of counted conversions), ' +
      'run in the same process on the same database. Measured by `bench/stats/run.ts`: clicks spread evenly over 30 days, ' +
      '20 campaigns of two accounts (the measured one has 16 campaigns and ~80% of the clicks), Zipf-skewed countries, cities, ' +
      'ASNs, referrers and sub ids, ~25% fraudulent (six types), 1% verified crawlers, ~2% conversions; written with their ' +
      "rollups by the recorder's code (insertClicks + statsWriter into the rollup journal) in transactions of 50,000 clicks, each folded into the periods before the next; " +
      "the last clicks (the journal column) are written 50 at a time, like the tracker's group commit, and left in the journal, as on a live server between two passes of its folder, so the reports read them beside the periods. Every request asks for " +
      'the 30-day range, all campaigns of the account unless it names its busiest campaign (the campaign endpoint, and city for one campaign), through ' +
      "`buildApp` + `app.inject` with the account's token (enterprise plan, requests paced under its 1,000/min).",
  );
  out.push(
    [
      `- Machine: ${context.machine}${context.postgresVersion ? `; ${context.postgresVersion} on the same machine` : ''}`,
      `- Commit: ${context.commit}, ${context.date}`,
      `- Command: \`${context.command}\``,
    ].join('\n'),
  );
  out.push('### Load');
  out.push(
    markdownTable(
      [
        'Dialect',
        'Clicks',
        'Conversions',
        'Rollup rows',
        'Journal rows (last clicks, unfolded)',
        'Load time',
        'Clicks/s',
        'Database size',
      ],
      results.map((r) => [
        DIALECT_NAMES[r.dialect],
        int(r.load.clicks),
        int(r.load.conversions),
        int(r.load.rollupRows),
        r.load.journalRows === undefined ? '–' : `${int(r.load.journalRows)} (${int(r.load.unfoldedClicks ?? 0)})`,
        `${r.load.seconds.toFixed(0)} s (${r.load.generateSeconds.toFixed(0)} s generating rows)`,
        int(r.load.clicks / r.load.seconds),
        `${int(r.load.dbMiB)} MiB`,
      ]),
    ),
  );
  for (const dialect of ['sqlite', 'postgres'] as const) {
    const bySize = new Map(results.filter((r) => r.dialect === dialect).map((r) => [r.size, r]));
    if (bySize.size === 0) continue;
    const first = [...bySize.values()][0]!;
    out.push(`### ${DIALECT_NAMES[dialect]}: 30-day range, ms`);
    const header = ['Endpoint'];
    for (const size of sizes) if (bySize.has(size)) header.push(`${sizeLabel(size)} p50`, `${sizeLabel(size)} p95`);
    const both =
      small !== undefined && large !== undefined && small !== large && bySize.has(small) && bySize.has(large);
    if (both) header.push(`${sizeLabel(large)}/${sizeLabel(small)} p50`);
    for (const size of sizes) if (bySize.has(size)) header.push(`naive ${sizeLabel(size)}`);
    const top = large !== undefined && bySize.has(large) ? large : small!;
    header.push(`naive/rollups ${sizeLabel(top)}`);
    const rows = first.endpoints.map((endpoint, i) => {
      const row = [`\`${endpoint.name}\``];
      for (const size of sizes) {
        const r = bySize.get(size);
        if (r)
          row.push(
            ms(r.endpoints[i]!.api.p50),
            ms(r.endpoints[i]!.api.p95) + (r.endpoints[i]!.api.n < r.requests ? ` (n=${r.endpoints[i]!.api.n})` : ''),
          );
      }
      if (both) row.push(ratio(bySize.get(large)!.endpoints[i]!.api.p50, bySize.get(small)!.endpoints[i]!.api.p50));
      for (const size of sizes) {
        const r = bySize.get(size);
        if (r) row.push(ms(r.endpoints[i]!.naive.p50));
      }
      const t = bySize.get(top)!.endpoints[i]!;
      row.push(ratio(t.naive.p50, t.api.p50));
      return row;
    });
    out.push(markdownTable(header, rows));
    const counts = [...bySize.values()].map(
      (r) =>
        `${sizeLabel(r.size)}: ${r.requests} requests per endpoint after warm-up (fewer, shown as n=, where the ${r.budgetSeconds} s budget per endpoint ran out), naive ${r.naiveRuns} run(s) (median shown)`,
    );
    out.push(
      `Rollups: p50/p95 of the HTTP request through \`app.inject\`; naive: the query alone through Kysely, one run per request. ${counts.join('; ')}.`,
    );
  }
  const csv = results.filter((r) => r.fraudCsv);
  if (csv.length > 0) {
    out.push('### Fraud report CSV (30 days, busiest campaign)');
    out.push(
      'POST /api/v2/fraud/report, wait for the job, then `GET …/csv` over a real socket (`app.listen` + `node:http`) counting bytes and rows ' +
        'without keeping them; `process.memoryUsage()` sampled every 50 ms during the download (server and client share the process; GC forced before).',
    );
    out.push(
      markdownTable(
        [
          'Dialect',
          'Clicks',
          'Campaign clicks',
          'CSV rows',
          'CSV MiB',
          'Job',
          'Download',
          'Rows/s',
          'RSS before → peak, MiB',
          'Heap before → peak, MiB',
        ],
        csv.map((r) => {
          const f = r.fraudCsv!;
          return [
            DIALECT_NAMES[r.dialect],
            sizeLabel(r.size),
            int(f.campaignClicks),
            int(f.rows),
            (f.bytes / 2 ** 20).toFixed(1),
            `${f.jobSeconds.toFixed(1)} s`,
            `${f.streamSeconds.toFixed(1)} s`,
            int(f.rows / f.streamSeconds),
            `${int(f.rssBeforeMiB)} → ${int(f.rssPeakMiB)}`,
            `${int(f.heapBeforeMiB)} → ${int(f.heapPeakMiB)}`,
          ];
        }),
      ),
    );
  }
  out.push('### Goals');
  const goals: string[] = [];
  for (const dialect of ['sqlite', 'postgres'] as const) {
    const bySize = new Map(results.filter((r) => r.dialect === dialect).map((r) => [r.size, r]));
    // Each dialect is judged at the largest size it reached in this run.
    const large = Math.max(...bySize.keys());
    if (!Number.isFinite(large)) continue;
    const top = bySize.get(large)!;
    const fast = top.endpoints.filter((e) => e.api.p95 < 20);
    const slow = top.endpoints.filter((e) => e.api.p95 >= 20).map((e) => `\`${e.name}\` ${ms(e.api.p95)}`);
    goals.push(
      `- ${DIALECT_NAMES[dialect]}, p95 < 20 ms at ${sizeLabel(large)}: ${fast.length} of ${top.endpoints.length} endpoints` +
        (slow.length ? ` (missed: ${slow.join(', ')})` : ''),
    );
    if (small !== undefined && small !== large && bySize.has(small)) {
      const base = bySize.get(small)!;
      const over = top.endpoints
        .map((e, i) => ({ name: e.name, r: e.api.p50 / base.endpoints[i]!.api.p50 }))
        .filter((e) => e.r >= 1.5)
        .map((e) => `\`${e.name}\` ${e.r.toFixed(2)}×`);
      goals.push(
        `- ${DIALECT_NAMES[dialect]}, ${sizeLabel(large)}/${sizeLabel(small)} p50 < 1.5: ${top.endpoints.length - over.length} of ${top.endpoints.length} endpoints` +
          (over.length ? ` (missed: ${over.join(', ')})` : ''),
      );
      if (top.fraudCsv && base.fraudCsv) {
        goals.push(
          `- ${DIALECT_NAMES[dialect]}, CSV peak RSS growth during the download: ${int(base.fraudCsv.rssPeakMiB - base.fraudCsv.rssBeforeMiB)} MiB for ${int(base.fraudCsv.rows)} rows, ` +
            `${int(top.fraudCsv.rssPeakMiB - top.fraudCsv.rssBeforeMiB)} MiB for ${int(top.fraudCsv.rows)} rows`,
        );
      }
    }
  }
  out.push(goals.length ? goals.join('\n') : '- (the largest size was not reached for any dialect in this run)');
  if (context.note) out.push(context.note);
  return out.join('\n\n');
}
