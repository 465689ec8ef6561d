import { Worker } from 'node:worker_threads';
import type { ClickGroup, ClickGroupQuery } from '../clicks/click-groups.repository.ts';
import type {
  FromReportColumnsThread,
  ReportColumnsCall,
  ReportColumnsThreadData,
  ThreadAnswer,
  ToReportColumnsThread,
} from './report-columns-messages.ts';
import { unpackClickGroups, type PackedClickGroups } from './packed-click-groups.ts';
import type { ReportColumns } from './report-columns.service.ts';

export interface ReportColumnsThreadDeps extends Omit<ReportColumnsThreadData, 'entry'> {
  /** The database's own GROUP BY, for the reports should the thread die. */
  readonly groupClicks: (query: ClickGroupQuery) => Promise<ClickGroup[]>;
  readonly log: {
    warn(object: object, message: string): void;
    error(object: object, message: string): void;
  };
  /** The module the thread runs (default report-columns.worker; tests give one that dies). */
  readonly entry?: URL;
}

interface Waiting {
  resolve(value: ThreadAnswer): void;
  reject(error: Error): void;
}

/**
 * The columnar copy on a worker thread with its own database connection (issue 20): copying every click
 * (read back from the database, appended to DuckDB) cost the event loop ~25 µs a click and held it for
 * a step of 20,000 clicks at a time, which took 14 % off the tracker's top rate and put ~200 ms on its
 * tail (BENCHMARKS.md, "Sub-id reports under a second"). Here the event loop only posts a report's
 * query and gets its groups back. Should the thread die, reports read the database again (right, slower).
 */
export function startReportColumnsThread(deps: ReportColumnsThreadDeps): ReportColumns {
  const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
  const data: ReportColumnsThreadData = {
    entry: (deps.entry ?? new URL(`./report-columns.worker.${ext}`, import.meta.url)).href,
    database: deps.database,
    path: deps.path,
    lagMs: deps.lagMs,
    memoryMb: deps.memoryMb,
  };
  const worker = new Worker(new URL('../../ts-worker.mjs', import.meta.url), { workerData: data });
  // Only a call waiting for an answer keeps the process alive; the background syncs never do.
  worker.unref();
  const waiting = new Map<number, Waiting>();
  let nextId = 0;
  let dead = false;
  let closing: Promise<void> | undefined;

  const answered = (id: number): Waiting | undefined => {
    const call = waiting.get(id);
    waiting.delete(id);
    if (waiting.size === 0 && !closing) worker.unref();
    return call;
  };
  worker.on('message', (message: FromReportColumnsThread) => {
    if (message.type === 'warn') deps.log.warn(message.object, message.message);
    else if (message.type === 'done') answered(message.id)?.resolve(message.value);
    else answered(message.id)?.reject(new Error(`columnar copy thread: ${message.message}`));
  });
  const died = (reason: string) => {
    if (dead) return;
    dead = true;
    const error = new Error(`the columnar copy's thread stopped (${reason})`);
    for (const [id] of waiting) answered(id)?.reject(error);
    if (!closing) deps.log.error({ reason }, "the columnar copy's thread stopped; reports read the database");
  };
  worker.on('error', (error) => died(error.message));
  worker.on('exit', (code) => died(`exit code ${code}`));

  const ask = (call: ReportColumnsCall): Promise<ThreadAnswer> =>
    new Promise((resolve, reject) => {
      if (dead) {
        reject(new Error("the columnar copy's thread is closed"));
        return;
      }
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      if (waiting.size === 1) worker.ref();
      const message: ToReportColumnsThread = { type: 'call', id, call };
      worker.postMessage(message);
    });

  return {
    async sync() {
      if (!dead) await ask({ type: 'sync' });
    },
    async groupClicks(query) {
      // A query the thread failed on (its file unreadable, say) is read from the database: a report is never lost to the copy.
      if (dead) return deps.groupClicks(query);
      try {
        const asked = ownFields(query);
        return unpackClickGroups((await ask({ type: 'group', query: asked })) as PackedClickGroups, asked);
      } catch (error) {
        deps.log.warn({ err: error }, 'the columnar copy could not answer; read from the database');
        return deps.groupClicks(query);
      }
    },
    async topGroups(query, top) {
      // A top read the thread cannot give is the whole ranking read, from wherever groupClicks reads.
      if (dead) return undefined;
      try {
        const asked = ownFields(query);
        const answer = (await ask({ type: 'top', query: asked, top })) as {
          top: PackedClickGroups;
          rows: number;
        } | null;
        return answer ? { groups: unpackClickGroups(answer.top, asked), rows: answer.rows } : undefined;
      } catch (error) {
        deps.log.warn({ err: error }, 'the columnar copy could not rank; the whole ranking is read');
        return undefined;
      }
    },
    async rows() {
      return dead ? 0 : ((await ask({ type: 'rows' })) as number);
    },
    start(intervalMs) {
      if (dead) return;
      const message: ToReportColumnsThread = { type: 'start', intervalMs };
      worker.postMessage(message);
    },
    close() {
      closing ??= (async () => {
        if (dead) return;
        const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
        worker.ref();
        try {
          await ask({ type: 'close' });
        } catch {
          // It died on the way, or could not close its file: it exits either way.
        }
        await exited;
      })();
      return closing;
    },
  };
}

/** Every field of a query, named once: a field added to ClickGroupQuery and not here does not compile. */
const QUERY_FIELDS: Record<keyof ClickGroupQuery, true> = {
  userId: true,
  from: true,
  to: true,
  campaignIds: true,
  columns: true,
  hourly: true,
  daily: true,
  filters: true,
  pricedAlike: true,
  counters: true,
  acrossCampaigns: true,
  cityShown: true,
  inside: true,
  ids: true,
  events: true,
};

/** A query's own fields: a report's query carries more (its time zone, with functions), which cannot be posted. */
function ownFields(query: ClickGroupQuery): ClickGroupQuery {
  return Object.fromEntries(
    Object.keys(QUERY_FIELDS).map((name) => [name, query[name as keyof ClickGroupQuery]]),
  ) as unknown as ClickGroupQuery;
}
