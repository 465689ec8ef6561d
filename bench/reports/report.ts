// The `## Reports` section of BENCHMARKS.md: everything between its markers is replaced by a run, the rest
// of the file (other sections, and notes written under the block) is left as it is.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { markdownTable, ms } from '../tracker/report.ts';
import type { Latency } from '../stats/report.ts';

const START = '<!-- bench:reports -->';
const END = '<!-- /bench:reports -->';
const TITLE = '## Reports';

export function writeReportsBlock(path: string, content: string): void {
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

export interface ReportTiming {
  level: string;
  groupBy: string;
  /** Where the report was read: `rollups` or `clicks` (meta.source). */
  source: string;
  rows: number;
  api: Latency;
  naive: Latency;
  /** Set when the naive GROUP BY did not answer within this many seconds (it was stopped). */
  naiveOverS?: number;
}

export interface ReportsRun {
  dialect: 'sqlite' | 'postgres';
  clicks: number;
  loadSeconds: number;
  /** report_cube rows after the load ('full days': the cube keeps days at every dimension only). */
  cubeRows: Record<string, number>;
  timings: ReportTiming[];
}

const sizeLabel = (size: number) =>
  size >= 1_000_000 ? `${size / 1_000_000}M` : size >= 1_000 ? `${size / 1_000}k` : String(size);
const DIALECT_NAMES = { sqlite: 'SQLite', postgres: 'PostgreSQL' } as const;

/** One table per dialect: each report's p50/p95 at every size, the ratio of the largest to the smallest, and the naive GROUP BY's. */
export function renderReports(
  runs: readonly ReportsRun[],
  about: { command: string; machine: string; commit: string; measuredAt: string },
): string {
  const parts = [
    `- Measured ${about.measuredAt} UTC at commit ${about.commit}; machine: ${about.machine}`,
    `- Command: \`${about.command}\``,
    "- 30-day range, 20 campaigns of two accounts (the measured one has 16, ~80% of the clicks), the statistics benchmark's traffic (bench/stats/traffic.ts); `limit=100`. Naive: the same report as one GROUP BY over the raw clicks and their conversions, no rollups.",
    '',
    `Load: ${runs.map((run) => `${DIALECT_NAMES[run.dialect]} ${sizeLabel(run.clicks)} ${Math.round(run.loadSeconds)} s`).join(', ')}.`,
    `Report cube rows (both accounts): ${runs
      .map(
        (run) =>
          `${DIALECT_NAMES[run.dialect]} ${sizeLabel(run.clicks)}: ${Object.entries(run.cubeRows)
            .map(([name, n]) => `${n.toLocaleString('en-US')} ${name}`)
            .join(', ')}`,
      )
      .join('; ')}.`,
  ];
  for (const dialect of ['sqlite', 'postgres'] as const) {
    const mine = runs.filter((run) => run.dialect === dialect).sort((a, b) => a.clicks - b.clicks);
    if (mine.length === 0) continue;
    const smallest = mine[0]!;
    const largest = mine.at(-1)!;
    const header = [
      'group_by',
      'level',
      'served from',
      ...mine.flatMap((run) => [`${sizeLabel(run.clicks)} p50`, `${sizeLabel(run.clicks)} p95`]),
      ...(mine.length > 1 ? [`${sizeLabel(largest.clicks)}/${sizeLabel(smallest.clicks)} p95`] : []),
      ...mine.map((run) => `naive ${sizeLabel(run.clicks)} p50`),
    ];
    const rows = smallest.timings.map((timing) => {
      const at = (run: ReportsRun) => run.timings.find((t) => t.groupBy === timing.groupBy);
      const ratio = (at(largest)?.api.p95 ?? NaN) / timing.api.p95;
      return [
        `\`${timing.groupBy}\``,
        timing.level,
        timing.source,
        ...mine.flatMap((run) => [ms(at(run)?.api.p50), ms(at(run)?.api.p95)]),
        ...(mine.length > 1 ? [Number.isNaN(ratio) ? '–' : `${ratio.toFixed(2)}×`] : []),
        ...mine.map((run) => {
          const naive = at(run);
          return naive?.naiveOverS === undefined ? ms(naive?.naive.p50) : `> ${naive.naiveOverS} s`;
        }),
      ];
    });
    parts.push('', `### ${DIALECT_NAMES[dialect]}: GET /api/v2/reports, ms`, '', markdownTable(header, rows));
  }
  return parts.join('\n');
}
