import type { Db } from '../../storage/database.ts';
import type { DialectAdapter } from '../../storage/dialect-adapter.ts';
import type { EventBus } from '../../events.ts';
import { insertClicks, storedClickIds } from './click.repository.ts';
import type { NewClickRow } from './click.table.ts';
import { amendClicks, type AmendedClick, type Amendment } from './late-findings.ts';

/** Work that must commit with the clicks it is about (rollups, outbox): it runs inside their transaction. */
export interface RecorderHooks {
  clicksRecorded?(trx: Db, rows: readonly NewClickRow[]): Promise<void>;
  clicksAmended?(trx: Db, clicks: readonly AmendedClick[]): Promise<void>;
}

/** `committed`: stored before the redirect. `buffered`: storage is unreachable; kept in memory until it is back. */
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
}

export interface RecorderStatus {
  readonly available: boolean;
  /** Clicks accepted and redirected but not yet stored. */
  readonly buffered: number;
  /** Clicks lost since start: buffer overflow or refused for good. */
  readonly lost: number;
}

export interface ClickRecorder {
  /** Resolves once the click is committed, or buffered when storage does not answer in time; never rejects. */
  record(row: NewClickRow): Promise<RecordOutcome>;
  /** Adds a late finding to earlier clicks; runs after the clicks queued before it are stored. */
  amend(amendment: Amendment): void;
  status(): RecorderStatus;
  /** Commits what is queued (and, if storage is back, what is buffered) and stops. */
  close(): Promise<void>;
}

interface Pending {
  row: NewClickRow;
  settle(outcome: RecordOutcome): void;
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
 * until it drains. Clicks beyond the bound are counted and reported, never dropped silently. A
 * buffered click is not durable: a crash during an outage loses the buffer (the log says how many).
 */
export function createClickRecorder(
  db: Db,
  dialect: DialectAdapter,
  events: EventBus,
  options: RecorderOptions = {},
): ClickRecorder {
  const { hooks = {}, maxBuffered = 100_000, commitWaitMs = 2_000, retryMs = 500, maxRetryMs = 10_000 } = options;
  let queue: Pending[] = [];
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

  const keep = (rows: readonly NewClickRow[], error: unknown) => {
    const room = Math.max(0, maxBuffered - buffer.length);
    buffer.push(...rows.slice(0, room));
    if (rows.length > room) lose(rows.length - room, error);
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
    const written = await db.transaction().execute(async (trx) => {
      let fresh = rows;
      if (skipStored) {
        const stored = await storedClickIds(
          trx,
          rows.map((row) => row.id),
        );
        if (stored.size > 0) fresh = rows.filter((row) => !stored.has(row.id));
      }
      if (fresh.length === 0) return fresh;
      await insertClicks(trx, dialect, fresh);
      await hooks.clicksRecorded?.(trx, fresh);
      return fresh;
    });
    if (written.length > 0) events.emit('click.recorded', { clicks: written });
  };

  const writeAmendments = async (late: readonly Amendment[]) => {
    const clicks = await amendClicks(db, late, hooks.clicksAmended);
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
        keep(
          queue.map((pending) => pending.row),
          new Error('storage unavailable'),
        );
        for (const pending of queue) pending.settle('buffered');
        queue = [];
        keepLate(amendments.splice(0));
        scheduleRetry();
        break;
      }
      if (queue.length === 0 && amendments.length === 0) break;
      const batch = queue;
      const late = amendments;
      queue = [];
      amendments = [];
      if (batch.length > 0) {
        const rows = batch.map((pending) => pending.row);
        try {
          await writeClicks(rows);
          for (const pending of batch) pending.settle('committed');
        } catch (error) {
          if (dialect.isUnavailable(error)) {
            setAvailable(false);
            keep(rows, error);
          } else {
            lose(rows.length, error);
          }
          for (const pending of batch) pending.settle('buffered');
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

  // setImmediate lets every request already read in this turn of the event loop join the batch.
  const kick = () => {
    flushing ??= new Promise<void>((done) => setImmediate(() => flush().then(done)));
  };

  return {
    record(row) {
      if (!available && !closing) {
        // During an outage a click neither waits nor is written out of order before the buffer.
        keep([row], new Error('storage unavailable'));
        return Promise.resolve('buffered');
      }
      return new Promise<RecordOutcome>((resolve) => {
        let settled = false;
        const timer = setTimeout(() => settle('buffered'), commitWaitMs);
        function settle(outcome: RecordOutcome) {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve(outcome);
        }
        queue.push({ row, settle });
        kick();
      });
    },
    amend(amendment) {
      amendments.push(amendment);
      kick();
    },
    status: () => ({ available, buffered: buffer.length, lost }),
    async close() {
      closing = true;
      clearTimeout(retryTimer);
      retryTimer = undefined;
      while (flushing) await flushing;
      if (buffer.length > 0 && !(await drainBuffer()))
        lose(buffer.splice(0).length, new Error('storage unavailable at shutdown'));
    },
  };
}
