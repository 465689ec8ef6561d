import cluster, { type Worker } from 'node:cluster';
import type { Config } from './config.ts';
import { startServer } from './server.ts';
import { openStorage } from './storage/open-database.ts';

/** A worker that dies sooner than this after its start is not replaced (a crash loop, e.g. a bad config). */
const MIN_UPTIME_MS = 5_000;
/** How long the workers get to finish in-flight clicks after SIGTERM before they are killed. */
const SHUTDOWN_GRACE_MS = 15_000;

function log(level: 'info' | 'warn' | 'error', msg: string, extra: object = {}): void {
  process.stderr.write(
    `${JSON.stringify({ level, time: Date.now(), pid: process.pid, role: 'primary', ...extra, msg })}\n`,
  );
}

/**
 * `serve`: one server process, or with WORKERS > 1 a primary that migrates the database once, forks
 * the workers (each a whole server on the shared port; the primary hands out the connections) and
 * replaces one that dies. SIGTERM/SIGINT are forwarded; the primary exits when every worker has.
 */
export async function serve(config: Config): Promise<void> {
  if (config.workers <= 1 || !cluster.isPrimary) {
    await startServer(config);
    return;
  }
  const storage = openStorage(config.databaseUrl, { sqliteCacheMb: config.sqliteCacheMb });
  try {
    await storage.migrate();
  } finally {
    await storage.close();
  }
  let stopping = false;
  let exitCode = 0;
  const started = new Map<Worker, { at: number; index: number }>();
  // A replacement takes the index of the worker it replaces: its rollup shard stays the same set of rows.
  const fork = (index: number) =>
    started.set(cluster.fork({ CLOAKRADAR_WORKER_INDEX: String(index) }), { at: Date.now(), index });
  cluster.on('exit', (worker, code, signal) => {
    const { at = 0, index = 0 } = started.get(worker) ?? {};
    const uptime = Date.now() - at;
    started.delete(worker);
    if (stopping) {
      // A worker still starting has no SIGTERM handler yet, so the signal we forwarded ends it at
      // once: it was not serving, nothing was lost, and that is a clean stop too.
      const endedByOurSignal = code === null && signal === 'SIGTERM';
      if (code !== 0 && !endedByOurSignal) exitCode = 1;
      if (started.size === 0) process.exit(exitCode);
      return;
    }
    log('error', 'worker exited', { worker: worker.process.pid, code, signal, uptimeMs: uptime });
    if (uptime >= MIN_UPTIME_MS) return void fork(index);
    exitCode = 1;
    if (started.size === 0) {
      log('error', 'every worker died at start; stopping');
      process.exit(1);
    }
  });
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log('info', 'shutting down', { signal, workers: started.size });
    if (started.size === 0) process.exit(exitCode);
    for (const worker of started.keys()) worker.process.kill('SIGTERM');
    setTimeout(() => {
      log('error', 'workers did not stop in time; killing them');
      for (const worker of started.keys()) worker.process.kill('SIGKILL');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  for (let i = 0; i < config.workers; i++) fork(i);
  log('info', 'workers started', { workers: config.workers, port: config.port });
}
