// The click-farm trade-off, measured: the same simulated traffic (offices, campuses, carrier NAT, ordinary
// people and click farms) through the real tracker at several thresholds — the farm over several lines of a
// subnet, and behind one address — humans flagged against farms caught at each.
//
//   npm run bench:detection-curve                       6,000 clicks a point, seed 20260101
//   npm run bench:detection-curve -- --clicks 3000 --no-write
//
// Options: --clicks N (6000 per point), --seed N (20260101), --hours H (24), --no-write.
// Each point is its own run (fresh database and windows) of the same seed, so the traffic is identical
// and only the thresholds differ; they are set through PUT /api/v1/detection-settings as an account would.
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { PopulationId } from '../../src/demo/types.ts';
import { describeCommit, describeMachine } from '../tracker/report.ts';
import type { Judged } from './accuracy.ts';
import { runThroughTracker } from './pipeline.ts';
import { int, pct, printUsageAndExit, wholeFlag, writeMarkedBlock } from './report.ts';

const ROOT = resolve(import.meta.dirname, '../..');

const { values: flags } = parseArgs({
  options: {
    clicks: { type: 'string' },
    seed: { type: 'string' },
    hours: { type: 'string' },
    'no-write': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
});
if (flags.help) printUsageAndExit(import.meta.url);

const clickCount = wholeFlag('clicks', flags.clicks, 6_000);
const seed = wholeFlag('seed', flags.seed, 20_260_101);
const hours = wholeFlag('hours', flags.hours, 24);
const command = `npm run bench:detection-curve${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;

/** The populations a threshold behind one address can hurt or catch. */
const MIX: Partial<Record<PopulationId, number>> = {
  'human-residential': 12,
  'human-mobile': 12,
  office: 8,
  campus: 12,
  'carrier-nat': 12,
  'click-farm': 12,
};
const HUMANS: readonly PopulationId[] = ['office', 'campus', 'carrier-nat', 'human-mobile', 'human-residential'];

const NO_HISTORY = 600_000;
/** The highest limit the API takes: more devices than the subnet window keeps, so the lines rule never fires. */
const LINES_OFF = 127;
interface Point {
  readonly label: string;
  /** `click_farm_lines_max_devices`. */
  readonly linesLimit: number;
  readonly privateLimit: number;
  readonly sharedLimit: number;
  readonly history: boolean;
}
const POINTS: readonly Point[] = [
  { label: 'no lines rule', linesLimit: LINES_OFF, privateLimit: 10, sharedLimit: 16, history: true },
  { label: '', linesLimit: 4, privateLimit: 10, sharedLimit: 16, history: true },
  { label: 'defaults', linesLimit: 6, privateLimit: 10, sharedLimit: 16, history: true },
  { label: '', linesLimit: 8, privateLimit: 10, sharedLimit: 16, history: true },
  { label: '', linesLimit: 6, privateLimit: 12, sharedLimit: 16, history: true },
  { label: '', linesLimit: 6, privateLimit: 14, sharedLimit: 16, history: true },
];

const flaggedHuman = ({ verdict }: Judged) =>
  verdict !== null && verdict.fraudTypes.some((type) => type !== 'duplicate');

interface Row {
  readonly point: Point;
  readonly humans: ReadonlyMap<PopulationId, { clicks: number; flagged: number }>;
  readonly farms: { clicks: number; clickFarm: number; anyBot: number };
  readonly seconds: number;
}

function measure(point: Point, judged: readonly Judged[], seconds: number): Row {
  const humans = new Map(
    HUMANS.map((id) => {
      const mine = judged.filter((entry) => entry.click.population === id);
      return [id, { clicks: mine.length, flagged: mine.filter(flaggedHuman).length }] as const;
    }),
  );
  const farm = judged.filter((entry) => entry.click.population === 'click-farm');
  return {
    point,
    humans,
    farms: {
      clicks: farm.length,
      clickFarm: farm.filter((entry) => entry.verdict?.fraudTypes.includes('click_farm')).length,
      anyBot: farm.filter((entry) => entry.verdict?.status === 'bot').length,
    },
    seconds,
  };
}

function render(rows: readonly Row[], totalSeconds: number): string {
  const header = [
    'lines limit (devices in a /24 when 2+ lines show 3+ browsers)',
    'address limit: home line / shared (clicks in 10 min from 3+ browsers)',
    'earlier browsers raise it',
    ...HUMANS.map((id) => `${id} flagged`),
    'farm clicks caught (click_farm)',
    'farm clicks `bot`',
  ];
  const lines = rows.map(({ point, humans, farms }) =>
    [
      `${point.linesLimit === LINES_OFF ? 'off' : point.linesLimit}${point.label ? ` (${point.label})` : ''}`,
      `${point.privateLimit} / ${point.sharedLimit}`,
      point.history ? 'yes (1 h)' : 'no',
      ...HUMANS.map((id) => {
        const { clicks, flagged } = humans.get(id)!;
        return `${pct(flagged, clicks, 2)} (${int(flagged)} of ${int(clicks)})`;
      }),
      `${pct(farms.clickFarm, farms.clicks)} (${int(farms.clickFarm)} of ${int(farms.clicks)})`,
      pct(farms.anyBot, farms.clicks),
    ].join(' | '),
  );
  return [
    `Measured ${new Date().toISOString().replace('T', ' ').slice(0, 16)} UTC on ${describeMachine()}, commit ${describeCommit(ROOT)}: \`${command}\`. ` +
      `${int(clickCount)} clicks a point over ${hours} h (seed ${seed}), offices, campuses, carrier NAT's busiest addresses, ordinary ` +
      `people at home and on phones, and click farms, through the real tracker (as \`npm run bench:detection\`), ` +
      `${rows.length} points in ${Math.round(totalSeconds)} s. Each point sets \`click_farm_lines_max_devices\` ` +
      `(${LINES_OFF}, the highest the API takes, turns the lines rule off), \`click_farm_address_max_clicks\` / ` +
      `\`click_farm_shared_address_max_clicks\`, and \`click_farm_history_window_ms\` 3,600,000 (yes) or 600,000 (no: ` +
      `the farm window itself, so no earlier browsers); everything else at its default. "Flagged": any fraud type but duplicate.`,
    '',
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...lines.map((line) => `| ${line} |`),
  ].join('\n');
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const started = performance.now();
  for (const [index, point] of POINTS.entries()) {
    const run = await runThroughTracker({
      clicks: clickCount,
      seed,
      hours,
      mix: Object.fromEntries(
        (
          [
            'human-residential',
            'human-mobile',
            'relay',
            'office',
            'campus',
            'carrier-nat',
            'old-webview',
            'declared-bot',
            'header-forging',
            'cloud-browser',
            'vpn',
            'tor',
            'rapid-fire',
            'click-farm',
            'verified-crawler',
            'fake-crawler',
          ] as const
        ).map((id) => [id, MIX[id] ?? 0]),
      ),
      thresholds: {
        click_farm_lines_max_devices: point.linesLimit,
        click_farm_address_max_clicks: point.privateLimit,
        click_farm_shared_address_max_clicks: point.sharedLimit,
        click_farm_history_window_ms: point.history ? 3_600_000 : NO_HISTORY,
      },
      progressLabel: `curve point ${index + 1}/${POINTS.length}`,
    });
    rows.push(measure(point, run.judged, run.seconds));
  }
  const table = render(rows, (performance.now() - started) / 1000);
  console.log(table);
  if (!flags['no-write']) {
    writeMarkedBlock(
      join(ROOT, 'BENCHMARKS.md'),
      'detection:farm-curve',
      '## Click farms behind one address: the trade-off',
      table,
    );
    console.log('\nBENCHMARKS.md: "## Click farms behind one address: the trade-off" written.');
  }
}

await main();
