import type { Kysely } from 'kysely';
import type { Db } from '../../storage/database.ts';
import type { DialectAdapter } from '../../storage/dialect-adapter.ts';
import { anonymizeIp } from './ip-anonymize.ts';
import {
  anonymizeClicks,
  claimMaintenanceJob,
  deleteClicksBefore,
  listClicksToAnonymize,
  readWatermark,
  renewMaintenanceJob,
  writeWatermark,
} from './retention.repository.ts';

const DAY_MS = 86_400_000;
const JOB = 'click-retention';
const ANONYMIZE_WATERMARK = 'ip-anonymize';

export interface RetentionLog {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
}

export interface RetentionJobOptions {
  /** Time between runs (default hourly); 0 = never on its own, only `runOnce` (tests). */
  readonly intervalMs?: number;
  /** Wait after start before the first run, so it does not compete with start-up (default 10 s). */
  readonly firstRunDelayMs?: number;
  /** Rows deleted or anonymised per statement/transaction; the tracker's writes wait at most one batch. */
  readonly batchSize?: number;
  /** Days ahead of now that weekly partitions are kept ready for (PostgreSQL; default 7). */
  readonly partitionDaysAhead?: number;
}

export interface RetentionJobDeps extends RetentionJobOptions {
  db: Db;
  dialect: DialectAdapter;
  log: RetentionLog;
  now: () => number;
  /** Raw clicks older than this many days are deleted (CLICK_RETENTION_DAYS). */
  retentionDays: number;
  /** Clicks older than this many days keep only their /24 or /48 network (IP_ANONYMIZE_DAYS); null = off. */
  anonymizeAfterDays: number | null;
  /**
   * Deletes up to `limit` rows of the report cube whose periods ended at or before `cutoff` and returns
   * how many (reports' pruneCube): the cube answers only what the raw clicks could, so it is kept as long.
   */
  pruneCube?: (cutoff: number, limit: number) => Promise<number>;
}

/** What one run did. */
export interface RetentionRun {
  /** False when another node held the job: nothing was done here. */
  readonly ran: boolean;
  readonly partitionsCreated: readonly string[];
  readonly partitionsDropped: readonly string[];
  readonly clicksDeleted: number;
  readonly clicksAnonymized: number;
  readonly cubeRowsDeleted: number;
}

const NOTHING: RetentionRun = {
  ran: false,
  partitionsCreated: [],
  partitionsDropped: [],
  clicksDeleted: 0,
  clicksAnonymized: 0,
  cubeRowsDeleted: 0,
};

/** Thrown between batches when the server shuts down or the lease was lost: the next run carries on. */
class Stopped extends Error {}

/**
 * Keeps data in bounds, in this process, hourly: deletes raw clicks older than the retention
 * (PostgreSQL: drops whole weekly partitions; SQLite, and PostgreSQL's default partition: deletes in
 * small batches, yielding between them) and anonymises addresses older than IP_ANONYMIZE_DAYS.
 * Rollups (click_stats_periods) and conversions are never touched; the report cube's periods are deleted
 * with the clicks they count. One node at a time runs it (a lease row).
 */
export function createRetentionJob(deps: RetentionJobDeps) {
  const { db, dialect, log, now } = deps;
  const intervalMs = deps.intervalMs ?? 3_600_000;
  // The tracker's group commit waits for one delete batch on SQLite, so small batches keep its latency flat
  // (BENCHMARKS.md, "Measurements behind the code").
  const batchSize = deps.batchSize ?? 1_000;
  const daysAhead = deps.partitionDaysAhead ?? 7;
  // Long enough for a big first run; renewed after every batch, so only a dead node lets it lapse.
  const leaseMs = 10 * 60_000;
  const raw = db as unknown as Kysely<unknown>;
  let closing = false;
  let running: Promise<RetentionRun> | null = null;
  let timer: NodeJS.Timeout | undefined;
  let lease = 0;

  /** Between batches: lets the tracker's writes in, then checks we should and may go on. */
  const between = async () => {
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (closing) throw new Stopped();
    const renewed = now() + leaseMs;
    if (!(await renewMaintenanceJob(db, JOB, lease, renewed))) throw new Stopped();
    lease = renewed;
  };

  const deleteOldClicks = async (cutoff: number) => {
    // PostgreSQL: only strays in the default partition are left to delete by row.
    const table = dialect.clickPartitions?.defaultPartition ?? 'clicks';
    let deleted = 0;
    for (;;) {
      const count = await deleteClicksBefore(db, table, cutoff, batchSize);
      deleted += count;
      if (count < batchSize) return deleted;
      await between();
    }
  };

  const pruneOldCube = async (cutoff: number) => {
    if (!deps.pruneCube) return 0;
    let deleted = 0;
    for (;;) {
      const count = await deps.pruneCube(cutoff, batchSize);
      deleted += count;
      if (count < batchSize) return deleted;
      await between();
    }
  };

  const anonymizeOldClicks = async (before: number) => {
    let watermark = await readWatermark(db, ANONYMIZE_WATERMARK);
    let anonymized = 0;
    while (watermark < before) {
      const rows = await listClicksToAnonymize(db, watermark, before, batchSize);
      if (rows.length === 0) break;
      const byNetwork = new Map<string, string[]>();
      for (const row of rows) {
        const network = anonymizeIp(row.ip);
        byNetwork.set(network, [...(byNetwork.get(network) ?? []), row.id]);
      }
      const from = Number(rows[0]!.created_at);
      const to = Number(rows[rows.length - 1]!.created_at);
      await db.transaction().execute(async (trx) => {
        for (const [network, ids] of byNetwork) await anonymizeClicks(trx, network, ids, from, to);
      });
      anonymized += rows.length;
      // Rows of the same millisecond may remain: the next batch starts at it again and skips the done ones.
      watermark = to;
      await writeWatermark(db, ANONYMIZE_WATERMARK, watermark);
      if (rows.length < batchSize) break;
      await between();
    }
    await writeWatermark(db, ANONYMIZE_WATERMARK, before);
    return anonymized;
  };

  const run = async (): Promise<RetentionRun> => {
    const at = now();
    lease = at + leaseMs;
    if (!(await claimMaintenanceJob(db, JOB, at, lease))) return NOTHING;
    const partitions = dialect.clickPartitions;
    const cutoff = at - deps.retentionDays * DAY_MS;
    let result: RetentionRun = { ...NOTHING, ran: true };
    try {
      if (partitions) {
        // A partition step that cannot get its lock in time must not hold back the deletes and anonymisation.
        const partitionsCreated = await partitions
          .ensure(raw, at, at + (daysAhead + 1) * DAY_MS)
          .catch((error: unknown) => {
            log.warn({ err: error }, 'click partitions not created; retrying at the next run');
            return [];
          });
        const partitionsDropped = await partitions.dropBefore(raw, cutoff).catch((error: unknown) => {
          log.warn({ err: error }, 'old click partitions not dropped; retrying at the next run');
          return [];
        });
        result = { ...result, partitionsCreated, partitionsDropped };
      }
      result = { ...result, clicksDeleted: await deleteOldClicks(cutoff) };
      result = { ...result, cubeRowsDeleted: await pruneOldCube(cutoff) };
      if (deps.anonymizeAfterDays !== null) {
        result = { ...result, clicksAnonymized: await anonymizeOldClicks(at - deps.anonymizeAfterDays * DAY_MS) };
      }
    } catch (error) {
      if (!(error instanceof Stopped)) throw error;
    } finally {
      await renewMaintenanceJob(db, JOB, lease, null).catch(() => false);
    }
    const { partitionsCreated, partitionsDropped, clicksDeleted, clicksAnonymized, cubeRowsDeleted } = result;
    if (partitionsCreated.length + partitionsDropped.length + clicksDeleted + clicksAnonymized + cubeRowsDeleted > 0) {
      log.info(
        { partitionsCreated, partitionsDropped, clicksDeleted, clicksAnonymized, cubeRowsDeleted },
        'click retention ran',
      );
    }
    return result;
  };

  /** One pass now; a call while a pass is running waits for that one. */
  const runOnce = (): Promise<RetentionRun> => {
    if (closing) return Promise.resolve(NOTHING);
    running ??= run().finally(() => {
      running = null;
    });
    return running;
  };

  const tick = () => {
    runOnce().catch((error: unknown) => log.warn({ err: error }, 'click retention failed; retrying at the next run'));
  };

  return {
    start() {
      if (intervalMs <= 0 || closing) return;
      timer = setTimeout(function next() {
        tick();
        timer = setTimeout(next, intervalMs);
        timer.unref();
      }, deps.firstRunDelayMs ?? 10_000);
      timer.unref();
    },
    runOnce,
    /** Stops the schedule and cuts a running pass off at its next batch. */
    async close() {
      closing = true;
      clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}

export type RetentionJob = ReturnType<typeof createRetentionJob>;
