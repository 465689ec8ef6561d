// Tracker benchmark: how many clicks per second `GET /c/{uuid}` takes, at what latency and memory, against
// a bare node:http server answering the same 302 (the ceiling).
//
//   npm run bench:tracker                               ceiling, SQLite, PostgreSQL; 15 s per phase
//   npm run bench:tracker -- --duration 10 --only sqlite
//   npm run bench:tracker -- --soak --clicks 2000000    memory over N clicks (SQLite and PostgreSQL)
//
// Options (flag, or environment variable): --duration S (BENCH_DURATION, 15), --connections N
// (BENCH_CONNECTIONS, 50), --warmup S (BENCH_WARMUP, 3), --only ceiling|sqlite|postgres[,…] (BENCH_ONLY),
// --campaign full[,plain,source,flow] (BENCH_CAMPAIGN, full: what the benchmark campaign uses, each measured in turn;
// full is source + flow, every feature a click can use; see targets.ts CAMPAIGN_KINDS), --soak, --clicks N (BENCH_CLICKS, 1000000), --ips N (BENCH_IPS, 50000: distinct client IPv4 addresses, plus 10%
// IPv6; the server caches 50,000 IP lookups, so this decides how warm that cache gets), --pg-url URL (BENCH_PG_URL, postgres://postgres@127.0.0.1:5432/test:
// the server the throwaway database is created on), --write / --no-write (BENCHMARKS.md is written after a clean
// run of every target; --only runs write only with --write). Environment only: BENCH_PROFILE_DIR (the server
// writes a V8 CPU profile there), BENCH_SERVER_NODE_FLAGS (node flags for the server process alone).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClientPool, createTraffic, type ClientPool } from './traffic.ts';
import { runPhase, type PhaseResult } from './load.ts';
import { percentile, runPaced } from './paced.ts';
import { backgroundLoad, measureCpu, readMemory, sampleMemory, shutdown, tailOf } from './processes.ts';
import {
  CAMPAIGN_KINDS,
  type CampaignKind,
  TARGET_NAMES,
  countClicksViaApi,
  createPostgresDatabase,
  startCeiling,
  startTracker,
  type RunningTarget,
  type TargetName,
} from './targets.ts';
import { describeCommit, describeMachine, int, markdownTable, mib, ms, writeSectionBlock } from './report.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const MAX_FAILURE_RATE = 0.001;
const TRAFFIC_SEED = 0x9e3779b9;
/** A paced request slower than this marks its 100 ms window as a stall in the notes. */
const STALL_MS = 50;

// ---- options ---------------------------------------------------------------------------------------------

const { values: flags } = parseArgs({
  options: {
    duration: { type: 'string' },
    connections: { type: 'string' },
    warmup: { type: 'string' },
    only: { type: 'string' },
    soak: { type: 'boolean', default: false },
    clicks: { type: 'string' },
    ips: { type: 'string' },
    'pg-url': { type: 'string' },
    campaign: { type: 'string' },
    write: { type: 'boolean' },
    'no-write': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
});

if (flags.help) {
  const source = readFileSync(new URL(import.meta.url), 'utf8');
  const lines = source.split('\n');
  const header = lines.slice(
    0,
    lines.findIndex((line) => !line.startsWith('//')),
  );
  console.log(header.map((line) => line.slice(3)).join('\n'));
  process.exit(0);
}

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new Error(`${name} must be a positive number, got "${value}"`);
  return number;
}

const durationS = positive('--duration', flags.duration ?? process.env.BENCH_DURATION, 15);
const connections = Math.round(positive('--connections', flags.connections ?? process.env.BENCH_CONNECTIONS, 50));
const warmupS = positive('--warmup', flags.warmup ?? process.env.BENCH_WARMUP, 3);
// The server keeps 50,000 IP lookups in an LRU: a pool of about that size ends up almost all cache hits after a
// few hundred thousand clicks, a much larger one measures the uncached path. 10% more addresses are IPv6.
const ipv4Clients = Math.round(positive('--ips', flags.ips ?? process.env.BENCH_IPS, 50_000));
const soakClicks = Math.round(positive('--clicks', flags.clicks ?? process.env.BENCH_CLICKS, 1_000_000));
const pgAdminUrl = flags['pg-url'] ?? process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const onlyText = flags.only ?? process.env.BENCH_ONLY;
const only = onlyText ? onlyText.split(',').map((name) => name.trim()) : undefined;
for (const name of only ?? []) {
  if (!TARGET_NAMES.includes(name as TargetName))
    throw new Error(`--only takes ${TARGET_NAMES.join(', ')}; got "${name}"`);
}
const campaignKinds = (flags.campaign ?? process.env.BENCH_CAMPAIGN ?? 'full').split(',').map((kind) => kind.trim());
for (const kind of campaignKinds) {
  if (!CAMPAIGN_KINDS.includes(kind as CampaignKind))
    throw new Error(`--campaign takes ${CAMPAIGN_KINDS.join(', ')}; got "${kind}"`);
}
/** The soak uses the first. */
const campaignKind = campaignKinds[0] as CampaignKind;
const targets: TargetName[] = flags.soak
  ? ((only as TargetName[] | undefined) ?? ['sqlite', 'postgres'])
  : ((only as TargetName[] | undefined) ?? [...TARGET_NAMES]);
const write = !flags['no-write'] && (flags.write === true || only === undefined);
const command =
  process.env.npm_lifecycle_event === 'bench:tracker'
    ? `npm run bench:tracker${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`
    : `node --import tsx bench/tracker/run.ts ${process.argv.slice(2).join(' ')}`.trim();

// ---- shared pieces ---------------------------------------------------------------------------------------

// The server runs as `npm start` runs it: from dist/, compiled now if a source is newer (else bin/ falls back to tsx).
execFileSync(process.execPath, [join(ROOT, 'scripts/build-server.mjs'), '--if-stale'], { stdio: 'inherit' });
const logDir = mkdtempSync(join(tmpdir(), 'cloakradar-bench-logs-'));
const pool: ClientPool = createClientPool(ipv4Clients, Math.round(ipv4Clients / 10));
let postgresVersion: string | undefined;
const log = (message: string): void => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);

/** One click through the tracker before the load: a broken route is a reported problem, not 0 req/s. */
async function probeTracker(
  target: RunningTarget,
  report: { problems: string[]; sent: number; redirects: number },
): Promise<boolean> {
  const probe = await probeClick(target);
  if (!probe.ok) {
    report.problems.push(`tracker route not usable: ${probe.problem}`);
    return false;
  }
  report.sent += 1;
  report.redirects += 1;
  return true;
}

async function startTarget(name: TargetName, campaign: CampaignKind = campaignKind): Promise<RunningTarget> {
  if (name === 'ceiling') return startCeiling(ROOT, logDir);
  if (name === 'sqlite') return startTracker({ cwd: ROOT, logDir, campaign });
  const database = await createPostgresDatabase(pgAdminUrl);
  postgresVersion = database.version;
  log(`created PostgreSQL database ${database.name}`);
  try {
    return await startTracker({ cwd: ROOT, logDir, database, campaign });
  } catch (error) {
    await database.drop();
    throw error;
  }
}

/** One click by hand before any load: the route exists and answers 302 to a browser. */
async function probeClick(target: RunningTarget): Promise<{ ok: boolean; problem?: string }> {
  const click = createTraffic(target.campaignUuid, pool, 1, target.clickQuery).next();
  const response = await fetch(`http://${target.host}:${target.port}${click.path}`, {
    headers: click.headers,
    redirect: 'manual',
    signal: AbortSignal.timeout(10_000),
  });
  const body = await response.text();
  if (response.status === 302 && response.headers.get('location')) return { ok: true };
  return {
    ok: false,
    problem: `GET /c/${target.campaignUuid} answered ${response.status}${body ? `: ${body.slice(0, 200)}` : ''}`,
  };
}

/** Numbers taken while something else keeps the CPU busy say little: warn, and put it in the report. */
async function checkQuiet(notes: string[]): Promise<void> {
  const busy = await backgroundLoad(1000);
  if (busy > 0.25) {
    const message = `machine not idle: other processes kept ${busy.toFixed(2)} cores busy just before this target started`;
    log(`WARNING: ${message}`);
    notes.push(`**${message}**`);
  }
}

interface ClickCount {
  readonly api?: number;
  readonly database?: number;
  readonly apiProblem?: string;
}

async function countClicks(target: RunningTarget): Promise<ClickCount> {
  if (target.name === 'ceiling') return {};
  const [viaApi, database] = await Promise.all([countClicksViaApi(target), target.countClicksInDatabase()]);
  return { api: viaApi.total, database, apiProblem: viaApi.problem };
}

/** Redirects answered must all be stored: group commit means a 302 only leaves after its click committed. */
function durabilityProblem(
  target: RunningTarget,
  clicks: ClickCount,
  redirects: number,
  sent: number,
): string | undefined {
  if (target.name === 'ceiling') return undefined;
  const stored = clicks.api ?? clicks.database;
  if (stored === undefined)
    return `could not count the stored clicks (${clicks.apiProblem ?? 'no API total and no database count'})`;
  if (stored < redirects)
    return `${int(stored)} clicks stored < ${int(redirects)} redirects answered: ${int(redirects - stored)} acknowledged clicks are missing`;
  if (stored > sent) return `${int(stored)} clicks stored > ${int(sent)} requests sent`;
  return undefined;
}

function describeStatuses(counts: Record<string, number>): string {
  return Object.entries(counts)
    .filter(([status]) => status !== '302')
    .map(([status, count]) => `${int(count)}× ${status}`)
    .join(', ');
}

function mergeCounts(...all: Record<string, number>[]): Record<string, number> {
  const merged: Record<string, number> = {};
  for (const counts of all)
    for (const [status, count] of Object.entries(counts)) merged[status] = (merged[status] ?? 0) + count;
  return merged;
}

/** Set when a server wrote to its log: the logs are then kept after the run, since the report points at them. */
let keepLogs = false;

function serverLogSummary(target: RunningTarget): string | undefined {
  const text = tailOf(target.logPath, 1_000_000).trim();
  const lines =
    text === '' || text === '(no log)' ? [] : text.split('\n').filter((line) => !line.startsWith('ceiling listening'));
  if (lines.length === 0) return undefined;
  keepLogs = true;
  return `${lines.length} line(s) in the server log (${target.logPath}); last: ${lines.slice(-3).join(' ⏎ ').slice(0, 600)}`;
}

// ---- throughput and latency ------------------------------------------------------------------------------

interface PacedSummary {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly serviceP50: number;
  readonly serviceP99: number;
  readonly max: number;
  readonly sent: number;
  readonly redirects: number;
  readonly failures: number;
  readonly statusCounts: Record<string, number>;
}

interface TargetReport {
  readonly name: TargetName;
  /** Absent on the ceiling. */
  readonly campaign?: CampaignKind;
  problems: string[];
  notes: string[];
  startupMs?: number;
  max?: PhaseResult;
  halfRate?: number;
  half?: PhaseResult;
  paced?: PacedSummary;
  /** CPU time the server process spent per request at full load, µs. */
  serverCpuUsPerRequest?: number;
  /** CPU time of everything but the harness and the server per request (PostgreSQL, mostly), µs. */
  postgresCpuUsPerRequest?: number;
  hwmKb?: number;
  idleKb?: number;
  afterWarmupKb?: number;
  endKb?: number;
  sent: number;
  redirects: number;
  failures: number;
  clicks?: ClickCount;
}

async function measure(name: TargetName, campaign?: CampaignKind): Promise<TargetReport> {
  const report: TargetReport = { name, campaign, problems: [], notes: [], sent: 0, redirects: 0, failures: 0 };
  log(`${name}${campaign ? ` (${campaign} campaign)` : ''}: starting`);
  let target: RunningTarget | undefined;
  try {
    await checkQuiet(report.notes);
    target = await startTarget(name, campaign);
    report.startupMs = target.startupMs;
    log(`${name}: ready after ${(target.startupMs / 1000).toFixed(1)} s on port ${target.port} (pid ${target.pid})`);
    if (name !== 'ceiling' && !(await probeTracker(target, report))) return report;
    const url = `http://${target.host}:${target.port}/c/${target.campaignUuid}`;
    const traffic = (): ReturnType<typeof createTraffic> =>
      createTraffic(target!.campaignUuid, pool, TRAFFIC_SEED, target!.clickQuery);
    report.idleKb = readMemory(target.pid)?.rssKb;
    const memory = sampleMemory(target.pid, 200);

    const account = (phase: PhaseResult): void => {
      report.sent += phase.sent;
      report.redirects += phase.redirects;
      report.failures += phase.failures;
    };

    log(`${name}: warm-up ${warmupS} s`);
    const warm = await runPhase({ url, connections, durationS: warmupS, traffic: traffic(), recordLatencies: false });
    account(warm);
    report.afterWarmupKb = readMemory(target.pid)?.rssKb;
    await sleep(500);

    log(`${name}: max throughput, ${connections} connections, ${durationS} s`);
    const cpu = measureCpu([process.pid, target.pid]);
    report.max = await runPhase({ url, connections, durationS, traffic: traffic() });
    const used = cpu.stop();
    report.serverCpuUsPerRequest = (used.processes[1]! * 1e6) / report.max.rps;
    if (name === 'postgres') report.postgresCpuUsPerRequest = (used.other * 1e6) / report.max.rps;
    report.notes.push(
      `CPU at full load: load generator ${used.processes[0]!.toFixed(2)}, server ${used.processes[1]!.toFixed(2)}, ` +
        `everything else ${used.other.toFixed(2)} cores${name === 'postgres' ? ' (PostgreSQL included)' : ''}`,
    );
    if (used.processes[0]! > 0.9) {
      report.notes.push(
        `the load generator used a whole core at full load: ${name === 'ceiling' ? "this max is the client's limit, the bare server can do more" : 'the server may be able to do more than this max'}`,
      );
    }
    account(report.max);
    log(`${name}: ${int(report.max.rps)} req/s, p50 ${ms(report.max.p50)} ms, p99 ${ms(report.max.p99)} ms`);
    await sleep(500);

    const rate = Math.max(1, Math.floor(report.max.rps / 2));
    report.halfRate = rate;
    log(`${name}: autocannon overallRate ${int(rate)} req/s, ${durationS} s`);
    report.half = await runPhase({ url, connections, durationS, overallRate: rate, traffic: traffic() });
    account(report.half);
    log(
      `${name}: p50 ${ms(report.half.p50)} ms, p99 ${ms(report.half.p99)} ms (autocannon's own: ${report.half.autocannonP50} / ${report.half.autocannonP99} ms)`,
    );
    await sleep(500);

    log(`${name}: paced ${int(rate)} req/s, ${durationS} s`);
    const paced = await runPaced({
      host: target.host,
      port: target.port,
      rate,
      durationS,
      connections,
      next: traffic().next,
    });
    const pacedRedirects = paced.statusCounts['302'] ?? 0;
    report.paced = {
      rps: paced.completed / paced.durationS,
      p50: percentile(paced.latencies, 50),
      p99: percentile(paced.latencies, 99),
      max: percentile(paced.latencies, 100),
      serviceP50: percentile(paced.serviceTimes, 50),
      serviceP99: percentile(paced.serviceTimes, 99),
      sent: paced.sent,
      redirects: pacedRedirects,
      failures: paced.sent - pacedRedirects,
      statusCounts: paced.statusCounts,
    };
    report.sent += paced.sent;
    report.redirects += pacedRedirects;
    report.failures += paced.sent - pacedRedirects;
    log(`${name}: paced p50 ${ms(report.paced.p50)} ms, p99 ${ms(report.paced.p99)} ms`);
    const stalls = [...paced.worstPer100Ms]
      .map((worst, i) => ({ atS: i / 10, worst }))
      .filter((window) => window.worst > STALL_MS);
    if (stalls.length > 0) {
      const shown = stalls
        .slice(0, 12)
        .map((window) => `${window.atS.toFixed(1)} s (${ms(window.worst)} ms)`)
        .join(', ');
      report.notes.push(
        `paced phase: ${stalls.length} of ${paced.worstPer100Ms.length} 100-ms windows had a request over ${STALL_MS} ms, at ${shown}${stalls.length > 12 ? ', …' : ''} ` +
          `(the harness's own event loop stalled at most ${ms(paced.clientLoopMaxMs)} ms)`,
      );
    }

    const sampled = memory.stop();
    report.hwmKb = sampled.hwmKb;
    report.endKb = sampled.samples.at(-1)?.rssKb;

    const statuses = describeStatuses(
      mergeCounts(warm.statusCounts, report.max.statusCounts, report.half.statusCounts, paced.statusCounts),
    );
    const socketErrors = warm.errors + report.max.errors + report.half.errors + paced.errors;
    const timeouts = warm.timeouts + report.max.timeouts + report.half.timeouts + paced.timeouts;
    if (statuses || socketErrors || timeouts) {
      report.notes.push(`non-302 answers: ${statuses || 'none'}; socket errors ${socketErrors}, timeouts ${timeouts}`);
    }
    if (report.failures > report.sent * MAX_FAILURE_RATE) {
      report.problems.push(
        `${int(report.failures)} of ${int(report.sent)} requests failed (${((report.failures / report.sent) * 100).toFixed(2)}% > ${MAX_FAILURE_RATE * 100}%)`,
      );
    }
    report.clicks = await countClicks(target);
    const durability = durabilityProblem(target, report.clicks, report.redirects, report.sent);
    if (durability) report.problems.push(`durability: ${durability}`);
    if (report.clicks.apiProblem) report.notes.push(report.clicks.apiProblem);
    const logSummary = serverLogSummary(target);
    if (logSummary) report.notes.push(logSummary);
  } catch (error) {
    report.problems.push((error as Error).message);
  } finally {
    if (target) {
      const logSummary = report.problems.length > 0 ? serverLogSummary(target) : undefined;
      if (logSummary && !report.notes.includes(logSummary)) report.notes.push(logSummary);
      await target.stop();
    }
  }
  return report;
}

function throughputTable(reports: readonly TargetReport[]): string {
  const ceiling = reports.find((report) => report.name === 'ceiling' && report.max);
  const rows = reports.map((report) => [
    report.name === 'ceiling'
      ? 'ceiling (bare node:http)'
      : `CloakRadar, ${report.name === 'sqlite' ? 'SQLite' : 'PostgreSQL'}${report.campaign === 'plain' ? '' : `, ${report.campaign} campaign`}`,
    int(report.max?.rps),
    report.max ? `${ms(report.max.p50)} / ${ms(report.max.p99)}` : '–',
    int(report.halfRate),
    report.half ? `${ms(report.half.p50)} / ${ms(report.half.p99)}` : '–',
    report.paced ? `${ms(report.paced.p50)} / ${ms(report.paced.p99)}` : '–',
    report.sent > 0 ? `${int(report.failures)} of ${int(report.sent)}` : '–',
    report.clicks ? int(report.clicks.api ?? report.clicks.database) : report.name === 'ceiling' ? 'n/a' : '–',
    report.serverCpuUsPerRequest === undefined
      ? '–'
      : `${report.serverCpuUsPerRequest.toFixed(0)}${report.postgresCpuUsPerRequest !== undefined ? ` + ${report.postgresCpuUsPerRequest.toFixed(0)} PG` : ''}`,
    mib(report.hwmKb),
    ceiling?.max && report.max ? (report === ceiling ? '1' : (report.max.rps / ceiling.max.rps).toFixed(2)) : '–',
  ]);
  return markdownTable(
    [
      'target',
      'max req/s',
      'p50 / p99 at max (ms)',
      '½ rate (req/s)',
      'p50 / p99 at ½ rate, autocannon (ms)',
      'p50 / p99 at ½ rate, paced (ms)',
      'errors (non-302)',
      'clicks stored',
      'server CPU (µs/req)',
      'peak RSS (MiB)',
      '× ceiling',
    ],
    rows,
  );
}

function footnotes(reports: readonly TargetReport[]): string[] {
  const lines: string[] = [];
  for (const report of reports) {
    const details: string[] = [];
    if (report.startupMs !== undefined) details.push(`ready in ${(report.startupMs / 1000).toFixed(1)} s`);
    if (report.afterWarmupKb !== undefined && report.endKb !== undefined) {
      details.push(
        `RSS ${mib(report.idleKb)} MiB ready → ${mib(report.afterWarmupKb)} MiB after warm-up → ${mib(report.endKb)} MiB at the end`,
      );
    }
    if (report.max) details.push(`max latency at full load ${ms(report.max.max)} ms`);
    if (report.half)
      details.push(`autocannon's own ½-rate p50 / p99 ${report.half.autocannonP50} / ${report.half.autocannonP99} ms`);
    if (report.paced) {
      details.push(
        `paced: ${int(report.paced.rps)} req/s done, service time p50 / p99 ${ms(report.paced.serviceP50)} / ${ms(report.paced.serviceP99)} ms, max ${ms(report.paced.max)} ms`,
      );
    }
    if (report.clicks && report.name !== 'ceiling') {
      const stored = report.clicks.api ?? report.clicks.database;
      details.push(
        `${int(stored)} clicks stored (API ${int(report.clicks.api)}, database ${int(report.clicks.database)}) for ${int(report.redirects)} redirects answered and ${int(report.sent)} requests sent`,
      );
    }
    details.push(...report.notes);
    details.push(...report.problems.map((problem) => `**PROBLEM:** ${problem}`));
    lines.push(`- **${report.name}**: ${details.join('; ')}.`);
  }
  return lines;
}

function settingsLine(): string {
  return (
    `autocannon 8 in the benchmark process, ${connections} keep-alive connections, no pipelining; per target: ${warmupS} s warm-up, ` +
    `then ${durationS} s at full speed, ${durationS} s with autocannon \`overallRate\` = ½ of the measured max, ${durationS} s paced at the same rate. ` +
    `Each click: \`/c/{uuid}?sub1=bench&gclid=…\` (gclid varies), Chrome 131 navigation headers (Windows/macOS/Android user agents, ` +
    `Sec-CH-UA*, Sec-Fetch-*, Accept, Accept-Language, Accept-Encoding, Referer), \`X-Forwarded-For\` from ${int(pool.v4)} public IPv4 + ` +
    `${int(pool.v6)} IPv6 addresses (the server trusts 127.0.0.1). Server: \`node bin/cloakradar.js serve\`, LOG_LEVEL=warn, fresh DATA_DIR; ` +
    `PostgreSQL runs on a fresh \`bench_*\` database on the same machine, dropped afterwards.` +
    (campaignKinds.some((kind) => kind !== 'plain')
      ? ' Source campaign: a traffic source with click_id_param visitor_id, cost_param cost, placement_param zoneid; clicks ' +
        '`/c/{uuid}?sub1=bench&cost=0.0042&zoneid=z…&visitor_id=…` (200 zones). Flow campaign: 20 rules the traffic never ' +
        'matches (tablets in 5 countries; a `src` parameter it never carries), then a default of 10 weighted paths to 10 offers. ' +
        'Full campaign (the default): source and flow together, so every click carries a per-click cost, a placement and the ' +
        "network's click id, tries all 20 rules and takes a weighted path; detection and rollups are always on."
      : '')
  );
}

const HALF_RATE_NOTE =
  'Server CPU: user + system time of the server process during the full-load phase, per request (with PostgreSQL: plus the ' +
  'rest of the machine, which is mostly PostgreSQL); unlike req/s it does not depend on whether the load generator, sharing the ' +
  'two cores, kept up. ' +
  '½ rate, autocannon: `overallRate` gives each connection a budget per wall-clock second that it spends back to back, so the ' +
  'server sees full-load bursts followed by idle time; these columns are close to the full-load ones by construction. ' +
  '½ rate, paced: an open-loop client in the harness sends request i at start + i/rate on the same number of connections and ' +
  'counts latency from that due time (queueing for a free connection included): what a visitor sees when the server has headroom. ' +
  "Latencies are recorded per response with sub-millisecond resolution (autocannon's own histogram keeps whole milliseconds).";

async function runThroughput(): Promise<number> {
  const reports: TargetReport[] = [];
  for (const name of targets) {
    if (name === 'ceiling') reports.push(await measure(name));
    else for (const kind of campaignKinds) reports.push(await measure(name, kind as CampaignKind));
  }
  const date = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const machine = describeMachine(postgresVersion ? [`PostgreSQL ${postgresVersion} (same machine)`] : []);
  const table = throughputTable(reports);
  const block = [
    `Measured ${date} UTC on ${machine}; code ${describeCommit(ROOT)}.`,
    `Command: \`${command}\``,
    `Settings: ${settingsLine()}`,
    table,
    footnotes(reports).join('\n'),
    HALF_RATE_NOTE,
  ].join('\n\n');
  console.log(`\n${block}\n`);
  const problems = reports.flatMap((report) => report.problems.map((problem) => `${report.name}: ${problem}`));
  if (problems.length > 0) {
    console.error(
      `\n${'!'.repeat(72)}\nBENCHMARK FAILED\n${problems.map((problem) => `  - ${problem}`).join('\n')}\n${'!'.repeat(72)}`,
    );
    console.error('BENCHMARKS.md was not changed.');
    return 1;
  }
  if (write) {
    writeSectionBlock(join(ROOT, 'BENCHMARKS.md'), 'main', block);
    console.error('BENCHMARKS.md: tracker section updated.');
  } else {
    console.error('BENCHMARKS.md not written (--only runs write with --write; --no-write given?).');
  }
  return 0;
}

// ---- soak ------------------------------------------------------------------------------------------------

interface SoakReport {
  readonly name: TargetName;
  problems: string[];
  notes: string[];
  /** RSS in kB at 0, 10, …, 100% of the clicks. */
  deciles: (number | undefined)[];
  /** Requests per second within each tenth of the clicks. */
  decileRates: number[];
  hwmKb?: number;
  phase?: PhaseResult;
  sent: number;
  redirects: number;
  clicks?: ClickCount;
}

async function soak(name: TargetName): Promise<SoakReport> {
  const report: SoakReport = { name, problems: [], notes: [], deciles: [], decileRates: [], sent: 0, redirects: 0 };
  let target: RunningTarget | undefined;
  log(`${name}: starting for a soak of ${int(soakClicks)} clicks`);
  try {
    await checkQuiet(report.notes);
    target = await startTarget(name);
    if (name !== 'ceiling' && !(await probeTracker(target, report))) return report;
    const url = `http://${target.host}:${target.port}/c/${target.campaignUuid}`;
    const warm = await runPhase({
      url,
      connections,
      durationS: warmupS,
      traffic: createTraffic(target.campaignUuid, pool, TRAFFIC_SEED, target.clickQuery),
      recordLatencies: false,
    });
    report.sent += warm.sent;
    report.redirects += warm.redirects;
    let done = 0;
    let nextReport = soakClicks / 10;
    const started = performance.now();
    const memory = sampleMemory(target.pid, 1000, () => done);
    const pid = target.pid;
    report.phase = await runPhase({
      url,
      connections,
      amount: soakClicks,
      traffic: createTraffic(target.campaignUuid, pool, TRAFFIC_SEED ^ 0x55, target.clickQuery),
      onResponse: () => {
        done++;
        if (done >= nextReport) {
          nextReport += soakClicks / 10;
          const rss = readMemory(pid)?.rssKb;
          log(
            `${name}: ${int(done)} clicks, ${int(done / ((performance.now() - started) / 1000))} req/s, RSS ${mib(rss)} MiB`,
          );
        }
      },
    });
    const sampled = memory.stop();
    report.hwmKb = sampled.hwmKb;
    for (let decile = 0; decile <= 10; decile++) {
      const threshold = (soakClicks * decile) / 10;
      const sample =
        decile === 0
          ? sampled.samples[0]
          : (sampled.samples.find((s) => s.mark >= threshold) ?? sampled.samples.at(-1));
      report.deciles.push(sample?.rssKb);
    }
    // Throughput within each tenth, from the same per-second samples: does the server slow down as tables grow?
    let previous = sampled.samples[0];
    for (let decile = 1; decile <= 10; decile++) {
      const sample = sampled.samples.find((s) => s.mark >= (soakClicks * decile) / 10) ?? sampled.samples.at(-1);
      if (previous && sample && sample.atMs > previous.atMs)
        report.decileRates.push(((sample.mark - previous.mark) * 1000) / (sample.atMs - previous.atMs));
      previous = sample;
    }
    report.sent += report.phase.sent;
    report.redirects += report.phase.redirects;
    const failures = warm.failures + report.phase.failures;
    const statuses = describeStatuses(mergeCounts(warm.statusCounts, report.phase.statusCounts));
    if (statuses || report.phase.errors || report.phase.timeouts) {
      report.notes.push(
        `non-302 answers: ${statuses || 'none'}; socket errors ${report.phase.errors + warm.errors}, timeouts ${report.phase.timeouts + warm.timeouts}`,
      );
    }
    if (failures > report.sent * MAX_FAILURE_RATE)
      report.problems.push(`${int(failures)} of ${int(report.sent)} requests failed`);
    report.clicks = await countClicks(target);
    const durability = durabilityProblem(target, report.clicks, report.redirects, report.sent);
    if (durability) report.problems.push(`durability: ${durability}`);
    if (report.clicks.apiProblem) report.notes.push(report.clicks.apiProblem);
    const logSummary = serverLogSummary(target);
    if (logSummary) report.notes.push(logSummary);
  } catch (error) {
    report.problems.push((error as Error).message);
  } finally {
    if (target) await target.stop();
  }
  return report;
}

async function runSoak(): Promise<number> {
  const reports: SoakReport[] = [];
  for (const name of targets) reports.push(await soak(name));
  const date = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const machine = describeMachine(postgresVersion ? [`PostgreSQL ${postgresVersion} (same machine)`] : []);
  const rows = reports.map((report) => {
    const start = report.deciles[0];
    const tenth = report.deciles[1];
    const end = report.deciles[10];
    return [
      report.name,
      int(report.phase?.completed),
      int(report.phase?.rps),
      report.phase ? `${ms(report.phase.p50)} / ${ms(report.phase.p99)}` : '–',
      mib(start),
      mib(tenth),
      mib(report.deciles[5]),
      mib(end),
      mib(report.hwmKb),
      report.decileRates.length > 0 ? `${int(report.decileRates[0])} → ${int(report.decileRates.at(-1))}` : '–',
      tenth !== undefined && end !== undefined ? `${end >= tenth ? '+' : ''}${((end - tenth) / 1024).toFixed(0)}` : '–',
      report.phase ? int(report.phase.failures) : '–',
    ];
  });
  const table = markdownTable(
    [
      'target',
      'clicks',
      'req/s',
      'p50 / p99 (ms)',
      'RSS start (MiB)',
      'RSS 10%',
      'RSS 50%',
      'RSS 100%',
      'peak RSS',
      'req/s first → last tenth',
      'RSS growth 10%→100% (MiB)',
      'errors',
    ],
    rows,
  );
  const details = reports.map((report) => {
    const parts = [
      `RSS by tenths (MiB): ${report.deciles.map((kb) => mib(kb)).join(' → ')}`,
      `req/s by tenths: ${report.decileRates.map((rate) => int(rate)).join(' → ')}`,
    ];
    if (report.clicks)
      parts.push(
        `${int(report.clicks.api ?? report.clicks.database)} clicks stored for ${int(report.redirects)} redirects answered`,
      );
    parts.push(...report.notes, ...report.problems.map((problem) => `**PROBLEM:** ${problem}`));
    return `- **${report.name}**: ${parts.join('; ')}.`;
  });
  const block = [
    `### Soak: memory over ${int(soakClicks)} clicks`,
    `Measured ${date} UTC on ${machine}; code ${describeCommit(ROOT)}.`,
    `Command: \`${command}\``,
    `Settings: autocannon amount mode, ${connections} connections at full speed after a ${warmupS} s warm-up; same traffic as above; detection windows capped at ${process.env.DETECTION_WINDOW_MEMORY_MB ? `${process.env.DETECTION_WINDOW_MEMORY_MB} MiB (DETECTION_WINDOW_MEMORY_MB)` : 'the default DETECTION_WINDOW_MEMORY_MB'}. RSS (VmRSS) sampled every second; "RSS 10%" is the first sample after 10% of the clicks were answered.`,
    table,
    details.join('\n'),
  ].join('\n\n');
  console.log(`\n${block}\n`);
  const problems = reports.flatMap((report) => report.problems.map((problem) => `${report.name}: ${problem}`));
  if (problems.length > 0) {
    console.error(
      `\n${'!'.repeat(72)}\nSOAK FAILED\n${problems.map((problem) => `  - ${problem}`).join('\n')}\n${'!'.repeat(72)}`,
    );
    return 1;
  }
  if (write) {
    writeSectionBlock(join(ROOT, 'BENCHMARKS.md'), 'soak', block);
    console.error('BENCHMARKS.md: tracker soak block updated.');
  }
  return 0;
}

// ---- main ------------------------------------------------------------------------------------------------

let exitCode = 1;
try {
  log(`targets: ${targets.join(', ')}; server logs in ${logDir}`);
  exitCode = flags.soak ? await runSoak() : await runThroughput();
} catch (error) {
  console.error(error);
} finally {
  await shutdown();
}
if (exitCode === 0 && !keepLogs) rmSync(logDir, { recursive: true, force: true });
else console.error(`server logs kept in ${logDir}`);
process.exit(exitCode);
