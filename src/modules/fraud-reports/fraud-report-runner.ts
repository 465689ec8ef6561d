import type { Db } from '../../storage/database.ts';
import { AppError } from '../../errors.ts';
import { claimFraudReport, listClaimableFraudReportIds, updateClaimedFraudReport } from './fraud-report.repository.ts';
import type { FraudReportRow } from './fraud-report.table.ts';
import type { FraudReportResult } from './fraud-report-job.ts';

export interface RunnerLog {
  error(object: object, message: string): void;
  warn(object: object, message: string): void;
}

export interface FraudReportRunnerDeps {
  db: Db;
  compute(report: FraudReportRow, between: () => Promise<void>): Promise<FraudReportResult>;
  /** Inside the transaction that marks a report ready (the `report.ready` webhook's outbox write). */
  onReady?(trx: Db, report: FraudReportRow): Promise<void>;
  log: RunnerLog;
  now: () => number;
  /** How long a claim holds without renewal; renewed after every chunk, so only a dead runner lets it lapse. */
  leaseMs?: number;
  /** How often to look for reports nobody runs: left by a killed process, or whose lease ran out. */
  pollMs?: number;
  maxAttempts?: number;
  /** Claims pass over rows another node is claiming (FOR UPDATE SKIP LOCKED, PostgreSQL). */
  skipLocked?: boolean;
}

/** Thrown between chunks when the server shuts down: the report goes back to the queue, not to `failed`. */
class Interrupted extends Error {}

class LeaseLost extends Error {}

const DEFAULT_LEASE_MS = 60_000;
const DEFAULT_POLL_MS = 15_000;
const DEFAULT_MAX_ATTEMPTS = 3;
const CANDIDATES_PER_LOOK = 10;

/** A report's failure as its owner reads it: our own errors say what went wrong, anything else stays in the log. */
function reasonOf(error: unknown): string {
  if (error instanceof AppError) return error.message;
  return 'The report could not be computed because of an internal error; create it again, and if it fails again contact support';
}

/**
 * Computes fraud reports off the request path, one at a time, in this process. Reports are rows, so
 * nothing is lost with the process: on start and then every `pollMs` it claims any report still
 * processing whose lease is free (a job cut off by a kill -9 is finished after the restart).
 */
export function createFraudReportRunner(deps: FraudReportRunnerDeps) {
  const { db, log, now } = deps;
  const leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS;
  const maxAttempts = deps.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  let closing = false;
  let running: Promise<void> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | undefined;

  const claimNext = async (): Promise<FraudReportRow | undefined> => {
    for (const id of await listClaimableFraudReportIds(db, now(), CANDIDATES_PER_LOOK)) {
      const claimed = await claimFraudReport(db, id, now(), now() + leaseMs, deps.skipLocked);
      if (claimed) return claimed;
    }
    return undefined;
  };

  const fail = async (report: FraudReportRow, lease: number, reason: string) => {
    await updateClaimedFraudReport(db, report.id, lease, {
      status: 'failed',
      error: reason,
      completed_at: now(),
      claimed_until: null,
    });
  };

  const run = async (report: FraudReportRow): Promise<void> => {
    let lease = report.claimed_until!;
    if (report.attempts > maxAttempts) {
      return fail(report, lease, `Gave up after ${maxAttempts} attempts: the job was cut off every time`);
    }
    const between = async () => {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (closing) throw new Interrupted();
      const renewed = now() + leaseMs;
      if (!(await updateClaimedFraudReport(db, report.id, lease, { claimed_until: renewed }))) throw new LeaseLost();
      lease = renewed;
    };
    try {
      const result = await deps.compute(report, between);
      const completedAt = now();
      const changes = {
        status: 'ready' as const,
        summary: JSON.stringify(result.summary),
        ip_exclusions: result.ipExclusions ? JSON.stringify(result.ipExclusions) : null,
        completed_at: completedAt,
        claimed_until: null,
      };
      // One transaction: the report is ready exactly when its `report.ready` event is in the outbox.
      await db.transaction().execute(async (trx) => {
        const done = await updateClaimedFraudReport(trx, report.id, lease, changes);
        if (done && deps.onReady) await deps.onReady(trx, { ...report, ...changes });
      });
    } catch (error) {
      if (error instanceof LeaseLost) return;
      if (error instanceof Interrupted) {
        // Back to the queue with its attempt refunded: a shutdown is not the job's fault.
        await updateClaimedFraudReport(db, report.id, lease, {
          claimed_until: null,
          attempts: Math.max(0, report.attempts - 1),
        });
        return;
      }
      log.error({ err: error, reportId: report.id }, 'fraud report failed');
      await fail(report, lease, reasonOf(error));
    }
  };

  const drain = async () => {
    do {
      again = false;
      for (let report = await claimNext(); report && !closing; report = closing ? undefined : await claimNext())
        await run(report);
    } while (again && !closing);
  };

  /** Looks for work now; a call while a pass is running makes that pass look once more. */
  const kick = () => {
    if (closing) return;
    if (running) {
      again = true;
      return;
    }
    running = drain()
      .catch((error: unknown) => log.warn({ err: error }, 'fraud report runner pass failed; retrying at the next poll'))
      .finally(() => {
        running = null;
      });
  };

  return {
    start() {
      timer = setInterval(kick, deps.pollMs ?? DEFAULT_POLL_MS);
      timer.unref();
      kick();
    },
    /** A new report is waiting. */
    kick,
    /** Stops claiming, cuts the running job off at its next chunk, and waits for it to hand its report back. */
    async close() {
      closing = true;
      clearInterval(timer);
      await running;
    },
  };
}

export type FraudReportRunner = ReturnType<typeof createFraudReportRunner>;
