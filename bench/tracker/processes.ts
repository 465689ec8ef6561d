// Child processes of the benchmark: start, watch memory, and make sure none outlives the run.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

const children = new Set<ChildProcess>();
const cleanups: (() => Promise<void>)[] = [];
let shuttingDown: Promise<void> | undefined;

/** Something to undo when the run ends, however it ends (dropping a database, removing a folder). */
export function onCleanup(cleanup: () => Promise<void>): void {
  cleanups.push(cleanup);
}

function killNow(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
    try {
      process.kill(child.pid, signal);
    } catch {
      // already gone
    }
  }
}

/** SIGTERM, then SIGKILL after `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    children.delete(child);
    return;
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  killNow(child, 'SIGTERM');
  const timer = setTimeout(() => killNow(child, 'SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
  children.delete(child);
}

/** Stops every child, then runs the cleanups in reverse order. Safe to call more than once. */
export function shutdown(): Promise<void> {
  shuttingDown ??= (async () => {
    await Promise.all([...children].map((child) => stopChild(child)));
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        console.error(`cleanup failed: ${(error as Error).message}`);
      }
    }
  })();
  return shuttingDown;
}

// Last line of defence: whatever happens, no server is left running. 'exit' handlers must be synchronous.
process.on('exit', () => {
  for (const child of children) killNow(child, 'SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the servers`);
    void shutdown().finally(() => process.exit(130));
  });
}

export interface StartedChild {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly logPath: string;
}

/** Starts `node …args` with its output in `logPath`. */
export function startNode(args: readonly string[], env: NodeJS.ProcessEnv, logPath: string, cwd: string): StartedChild {
  const log = createWriteStream(logPath);
  const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  child.once('exit', () => {
    children.delete(child);
    setTimeout(() => log.end(), 50);
  });
  if (child.pid === undefined) throw new Error(`could not start node ${args.join(' ')}`);
  return { child, pid: child.pid, logPath };
}

export function tailOf(path: string, lines = 30): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `url` until it answers 200; fails with the child's log if the child dies or time runs out. */
export async function waitForOk(url: string, started: StartedChild, timeoutMs: number): Promise<number> {
  const begin = performance.now();
  while (performance.now() - begin < timeoutMs) {
    if (started.child.exitCode !== null || started.child.signalCode !== null) {
      throw new Error(
        `the server exited (${started.child.exitCode ?? started.child.signalCode}) before ${url} answered:\n${tailOf(started.logPath)}`,
      );
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      if (response.status === 200) return performance.now() - begin;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs / 1000} s:\n${tailOf(started.logPath)}`);
}

/** kB values of VmRSS and VmHWM (peak resident set) from /proc; undefined once the process is gone. */
export function readMemory(pid: number): { rssKb: number; hwmKb: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = /^VmRSS:\s+(\d+) kB/m.exec(status);
    const hwm = /^VmHWM:\s+(\d+) kB/m.exec(status);
    if (!rss || !hwm) return undefined;
    return { rssKb: Number(rss[1]), hwmKb: Number(hwm[1]) };
  } catch {
    return undefined;
  }
}

export interface MemorySample {
  /** Milliseconds since sampling started. */
  readonly atMs: number;
  readonly rssKb: number;
  /** Extra tag, e.g. the number of clicks sent so far. */
  readonly mark: number;
}

/** Samples VmRSS of `pid` every `everyMs`; `stop()` returns the samples and the VmHWM read at that moment. */
export function sampleMemory(pid: number, everyMs: number, mark: () => number = () => 0) {
  const samples: MemorySample[] = [];
  const begin = performance.now();
  let peakKb = 0;
  const take = (): void => {
    const memory = readMemory(pid);
    if (!memory) return;
    peakKb = Math.max(peakKb, memory.rssKb);
    samples.push({ atMs: performance.now() - begin, rssKb: memory.rssKb, mark: mark() });
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    samples,
    stop(): { samples: MemorySample[]; peakRssKb: number; hwmKb: number } {
      clearInterval(timer);
      take();
      const hwmKb = readMemory(pid)?.hwmKb ?? peakKb;
      return { samples, peakRssKb: peakKb, hwmKb };
    },
  };
}

/** Jiffies of the whole machine (busy, all) and of some processes, for who-used-the-CPU accounting. */
interface CpuSnapshot {
  readonly busy: number;
  readonly total: number;
  readonly processes: number[];
}

function processTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after "pid (comm) ".
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

function cpuSnapshot(pids: readonly number[]): CpuSnapshot {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = ticks.reduce((sum, value) => sum + value, 0);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  return { busy: total - idle, total, processes: pids.map(processTicks) };
}

export interface CpuUse {
  /** Cores kept busy, machine-wide. */
  readonly machine: number;
  /** Cores used by each of the pids given, in order. */
  readonly processes: number[];
  /** machine − the pids given: everything else (PostgreSQL included, when it runs). */
  readonly other: number;
}

/** Starts counting CPU time; `stop()` says how many cores the machine and each pid used meanwhile. */
export function measureCpu(pids: readonly number[]): { stop(): CpuUse } {
  const cores = availableParallelism();
  const before = cpuSnapshot(pids);
  return {
    stop(): CpuUse {
      const after = cpuSnapshot(pids);
      const total = after.total - before.total;
      if (total <= 0) return { machine: 0, processes: pids.map(() => 0), other: 0 };
      const toCores = (ticks: number): number => (ticks / total) * cores;
      const machine = toCores(after.busy - before.busy);
      const processes = after.processes.map((ticks, i) => toCores(ticks - before.processes[i]!));
      return { machine, processes, other: Math.max(0, machine - processes.reduce((sum, value) => sum + value, 0)) };
    },
  };
}

/** Cores busy on the machine over `ms`, not counting this process. */
export async function backgroundLoad(ms = 1000): Promise<number> {
  const meter = measureCpu([process.pid]);
  await sleep(ms);
  return meter.stop().other;
}
