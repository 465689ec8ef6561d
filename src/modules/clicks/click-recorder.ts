import type { Db } from '../../storage/database.ts';
import type { DialectAdapter } from '../../storage/dialect-adapter.ts';
import type { EventBus } from '../../events.ts';
import { insertClicks, storedClickIds } from './click.repository.ts';
import type { NewClickRow } from './click.table.ts';
import type { AmendedClick } from './click-events.ts';
import { amendClicks, type Amendment } from './late-findings.ts';
import type { ClickSpool, SpoolStatus } from './click-spool.ts';

/** Work that must commit with the clicks it is about (rollups, outbox): it runs inside their transaction. */
export interface RecorderHooks {
  /** `rows` were stored; `rowless` clicks are counted (rollups) but not stored as rows (a flood from one address). */
  clicksRecorded?(trx: Db, rows: readonly NewClickRow[], rowless: readonly NewClickRow[]): Promise<void>;
  clicksAmended?(trx: Db, clicks: readonly AmendedClick[]): Promise<void>;
}

/**
 * `committed`: stored before the redirect. `buffered`: storage is unreachable or slow; kept in memory, and
 * on the spool (when there is one) before the promise resolves, until it is stored.
 */
export type RecordOutcome = 'committed' | 'buffered';

export interface RecorderOptions {
  hooks?: RecorderHooks;
  /** Clicks held in memory while storage is unreachable; beyond that they are counted and dropped. */
  maxBuffered?: number;
  /** How long a redirect waits for its commit before it goes ahead with the click buffered. */
  commitWaitMs?: number;
  /** First retry delay while storage is unreachable; doubles up to `maxRetryMs`. */
  retryMs?: number;
  maxRetryMs?: number;
  /** Clicks that could not be kept (a full buffer, a batch the database refused for good). */
  onLost?(count: number, error: unknown): void;
  /** Amendments that could not be written: their clicks keep their first verdict. */
  onAmendFailed?(error: unknown): void;
  /** Storage went away (true) or came back (false). */
  onAvailability?(available: boolean, buffered: number): void;
  /**
   * Where buffered clicks are made durable: every click acknowledged without its commit is on it first,
   * so a crash during an outage loses none. Without it they are kept in memory only.
   */
  spool?: ClickSpool;
  /** At shutdown storage was still away: these clicks stay on the spool for the next start. */
  onLeftOnSpool?(count: number): void;
  /**
   * Runs each write in a turn at the database's write lock, shared with a fold thread (fold-thread.ts), so
   * the event loop awaits a fold's transaction instead of sleeping in SQLite's busy handler; default: none.
   */
  turn?<T>(work: () => Promise<T>): Promise<T>;
}

export interface RecorderStatus {
  readonly available: boolean;
  /** Clicks accepted and redirected but not yet stored. */
  readonly buffered: number;
  /** Clicks lost since start: buffer overflow or refused for good. */
  readonly lost: number;
  /** The spool file, when there is one. */
  readonly spool?: SpoolStatus;
}

export interface RecordOptions {
  /** Count the click in the statistics but store no row for it (past the per-address rate, row-gate.ts). */
  rowless?: boolean;
}

export interface ClickRecorder {
  /** Resolves once the click is committed, or buffered when storage does not answer in time; never rejects. */
  record(row: NewClickRow, options?: RecordOptions): Promise<RecordOutcome>;
  /** Adds a late finding to earlier clicks; runs after the clicks queued before it are stored. */
  amend(amendment: Amendment): void;
  status(): RecorderStatus;
  /** Stores the clicks a previous process left on the spool (those already stored are skipped); returns how many it found. */
  recover(): Promise<number>;
  /** Commits what is queued (and, if storage is back, what is buffered) and stops. */
  close(): Promise<void>;
}

interface Pending {
  readonly row: NewClickRow;
  /** Answers its redirect; only the first call counts (the commit and the wait's timer may both come). */
  settle(outcome: RecordOutcome): void;
  readonly settled: boolean;
}

const BATCH_WHILE_RECOVERING = 2_000;
const MAX_BUFFERED_AMENDMENTS = 10_000;

/**
 * Group commit: clicks that arrive while a batch is being written wait together and go into the next
 * transaction. One commit (one fsync) then serves many clicks, so durability costs little throughput,
 * and a batch is never older than one transaction's time. Amendments follow their batch, so the
 * clicks they rewrite are always stored first.
 *
 * When storage is unreachable the tracker must keep redirecting: a batch that fails for that reason
 * moves to a bounded in-memory buffer, later clicks join it at once, and a timer retries with backoff
 * until it drains. Clicks beyond the bound are counted and reported, never dropped silently.
 *
 * A click acknowledged without its commit (storage away, or slower than `commitWaitMs`) is appended to
 * the spool first, and its redirect waits for that group's fsync (milliseconds, only while storage is
 * away or slow): a crash then loses none, and the next start replays the file. The file is emptied
 * once every click on it is stored.
 */
export function createClickRecorder(
  db: Db,
  dialect: DialectAdapter,
  events: EventBus,
  options: RecorderOptions = {},
): ClickRecorder {
  const {
    hooks = {},
    maxBuffered = 100_000,
    commitWaitMs = 2_000,
    retryMs = 500,
    maxRetryMs = 10_000,
    spool,
    turn = (work) => work(),
  } = options;
  /** Clicks to be counted, not stored as rows; on the spool they carry `rowless: 1`. */
  const rowless = new WeakSet<NewClickRow>();
  /** Ids of the clicks sent to the spool and not stored (nor lost) yet; the file is emptied when none is left. */
  const spooled = new Set<string>();
  let queue: Pending[] = [];
  /** The commit wait of the clicks in `queue`: one timer for the batch, not one per click. */
  let queueTimer: NodeJS.Timeout | undefined;
  let amendments: Amendment[] = [];
  const buffer: NewClickRow[] = [];
  const lateBuffer: Amendment[] = [];
  let flushing: Promise<void> | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let retryDelay = retryMs;
  let available = true;
  let lost = 0;
  let closing = false;

  const lose = (count: number, error: unknown) => {
    lost += count;
    options.onLost?.(count, error);
  };

  const setAvailable = (value: boolean) => {
    if (available === value) return;
    available = value;
    options.onAvailability?.(value, buffer.length);
  };

  /** Puts clicks on the spool unless they are already; resolves when they are on disk. */
  const toSpool = (rows: readonly NewClickRow[]): Promise<void> => {
    if (!spool) return Promise.resolve();
    const fresh = rows.filter((row) => !spooled.has(row.id));
    for (const row of fresh) spooled.add(row.id);
    return spool.append(fresh.map((row) => (rowless.has(row) ? { ...row, rowless: 1 as const } : row)));
  };

  /** These clicks are stored or lost for good: the spool no longer needs them, and is emptied when it holds no other. */
  const settled = (rows: readonly NewClickRow[]) => {
    if (spooled.size === 0) return;
    for (const row of rows) spooled.delete(row.id);
    if (spooled.size === 0) void spool?.truncate(() => spooled.size === 0);
  };

  /** Buffers clicks until storage is back; resolves once the kept ones are on the spool. */
  const keep = (rows: readonly NewClickRow[], error: unknown): Promise<void> => {
    const room = Math.max(0, maxBuffered - buffer.length);
    const kept = rows.slice(0, room);
    buffer.push(...kept);
    if (rows.length > room) {
      const dropped = rows.slice(room);
      lose(dropped.length, error);
      settled(dropped);
    }
    return toSpool(kept);
  };

  /** Holds amendments until storage is back; those beyond the cap are reported, never dropped silently. */
  const keepLate = (late: readonly Amendment[]) => {
    const room = Math.max(0, MAX_BUFFERED_AMENDMENTS - lateBuffer.length);
    lateBuffer.push(...late.slice(0, room));
    if (late.length > room)
      options.onAmendFailed?.(
        new Error(`${late.length - room} late findings dropped: ${MAX_BUFFERED_AMENDMENTS} already wait for storage`),
      );
  };

  const writeClicks = async (rows: readonly NewClickRow[], skipStored = false) => {
    let kept = rows;
    let counted: readonly NewClickRow[] = [];
    if (rows.some((row) => rowless.has(row))) {
      kept = rows.filter((row) => !rowless.has(row));
      counted = rows.filter((row) => rowless.has(row));
    }
    const written = await turn(() =>
      db.transaction().execute(async (trx) => {
        let fresh = kept;
        if (skipStored && kept.length > 0) {
          const stored = await storedClickIds(
            trx,
            kept.map((row) => row.id),
          );
          if (stored.size > 0) fresh = kept.filter((row) => !stored.has(row.id));
        }
        if (fresh.length === 0 && counted.length === 0) return fresh;
        if (fresh.length > 0) await insertClicks(trx, dialect, fresh);
        await hooks.clicksRecorded?.(trx, fresh, counted);
        return fresh;
      }),
    );
    settled(rows);
    if (written.length > 0) events.emit('click.recorded', { clicks: written });
  };

  const writeAmendments = async (late: readonly Amendment[]) => {
    const clicks = await turn(() => amendClicks(db, late, hooks.clicksAmended));
    if (clicks.length > 0) events.emit('click.amended', { clicks });
  };

  const scheduleRetry = () => {
    if (retryTimer || closing) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      kick();
    }, retryDelay);
    retryTimer.unref();
    retryDelay = Math.min(maxRetryMs, retryDelay * 2);
  };

  /** Writes the buffer oldest first; false when storage is still away. */
  const drainBuffer = async (): Promise<boolean> => {
    while (buffer.length > 0) {
      const chunk = buffer.slice(0, BATCH_WHILE_RECOVERING);
      try {
        // A buffered click may be stored already: its batch's commit went through but its answer was lost.
        await writeClicks(chunk, true);
      } catch (error) {
        if (dialect.isUnavailable(error)) return false;
        // The database refuses these rows for good (not an outage): retrying cannot help.
        lose(chunk.length, error);
        settled(chunk);
      }
      buffer.splice(0, chunk.length);
    }
    while (lateBuffer.length > 0) {
      const late = lateBuffer.splice(0, lateBuffer.length);
      try {
        await writeAmendments(late);
      } catch (error) {
        if (!dialect.isUnavailable(error)) options.onAmendFailed?.(error);
        else {
          lateBuffer.unshift(...late);
          return false;
        }
      }
    }
    retryDelay = retryMs;
    setAvailable(true);
    return true;
  };

  const flush = async () => {
    for (;;) {
      if ((buffer.length > 0 || lateBuffer.length > 0) && !(await drainBuffer())) {
        // Still away: whatever waits joins the buffer, and its redirects go ahead.
        const waiting = queue;
        clearTimeout(queueTimer);
        queue = [];
        queueTimer = undefined;
        void keep(
          waiting.map((pending) => pending.row),
          new Error('storage unavailable'),
        ).then(() => {
          for (const pending of waiting) pending.settle('buffered');
        });
        keepLate(amendments.splice(0));
        scheduleRetry();
        break;
      }
      if (queue.length === 0 && amendments.length === 0) break;
      const batch = queue;
      const batchTimer = queueTimer;
      const late = amendments;
      queue = [];
      queueTimer = undefined;
      amendments = [];
      if (batch.length > 0) {
        const rows = batch.map((pending) => pending.row);
        try {
          await writeClicks(rows);
          clearTimeout(batchTimer);
          for (const pending of batch) pending.settle('committed');
        } catch (error) {
          // Its redirects are answered below, each once its click is buffered or lost: the wait is over.
          clearTimeout(batchTimer);
          const acknowledge = () => {
            for (const pending of batch) pending.settle('buffered');
          };
          if (dialect.isUnavailable(error)) {
            setAvailable(false);
            void keep(rows, error).then(acknowledge);
          } else {
            lose(rows.length, error);
            settled(rows);
            acknowledge();
          }
        }
      }
      if (late.length > 0) {
        if (!available) keepLate(late);
        else {
          try {
            await writeAmendments(late);
          } catch (error) {
            if (dialect.isUnavailable(error)) keepLate(late);
            else options.onAmendFailed?.(error);
          }
        }
      }
    }
    flushing = undefined;
  };

  /**
   * Storage is slow: once `commitWaitMs` has passed, the redirects of `pendings` still waiting go ahead
   * once their clicks are on the spool, their commit still under way.
   */
  const waitForCommit = (pendings: readonly Pending[]): NodeJS.Timeout =>
    setTimeout(() => {
      const waiting = pendings.filter((pending) => !pending.settled);
      if (waiting.length === 0) return;
      void toSpool(waiting.map((pending) => pending.row)).then(() => {
        for (const pending of waiting) pending.settle('buffered');
      });
    }, commitWaitMs);

  // setImmediate lets every request already read in this turn of the event loop join the batch.
  const kick = () => {
    flushing ??= new Promise<void>((done) => setImmediate(() => void flush().then(done)));
  };

  return {
    record(row, recordOptions) {
      if (recordOptions?.rowless) rowless.add(row);
      if (!available && !closing) {
        // During an outage a click neither waits nor is written out of order before the buffer.
        return keep([row], new Error('storage unavailable')).then(() => 'buffered');
      }
      return new Promise<RecordOutcome>((resolve) => {
        const pending = {
          row,
          settled: false,
          settle(outcome: RecordOutcome) {
            if (pending.settled) return;
            pending.settled = true;
            resolve(outcome);
          },
        };
        // One timer for the batch the click joins, started by its first click: a timer per click was
        // an object and a timer-list insert and removal per click (issue 24). A click waits at most commitWaitMs.
        if (queue.length === 0) queueTimer = waitForCommit(queue);
        queue.push(pending);
        kick();
      });
    },
    amend(amendment) {
      amendments.push(amendment);
      kick();
    },
    status: () => ({ available, buffered: buffer.length, lost, ...(spool ? { spool: spool.status() } : {}) }),
    async recover() {
      if (!spool) return 0;
      const rows = await spool.recover();
      if (rows.length === 0) {
        await spool.truncate(() => spooled.size === 0);
        return 0;
      }
      for (const row of rows) {
        spooled.add(row.id);
        if (row.rowless) rowless.add(row);
      }
      // Ahead of any new click, in the order they were redirected; already on disk, so not appended again.
      buffer.unshift(...rows);
      if (!(await drainBuffer())) {
        setAvailable(false);
        scheduleRetry();
      }
      return rows.length;
    },
    async close() {
      closing = true;
      clearTimeout(retryTimer);
      retryTimer = undefined;
      while (flushing) await flushing;
      if (buffer.length > 0 && !(await drainBuffer())) {
        const left = buffer.splice(0);
        // Closing waits for the writes still queued: only then is the spool's account (stopped or not) final.
        await spool?.close();
        if (spool && !spool.status().error) options.onLeftOnSpool?.(left.length);
        else lose(left.length, new Error('storage unavailable at shutdown'));
      }
      await spool?.close();
    },
  };
}
