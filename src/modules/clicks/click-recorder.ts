import type { Db } from '../../storage/database.ts';
import type { DialectAdapter } from '../../storage/dialect-adapter.ts';
import type { EventBus } from '../../events.ts';
import { insertClicks } from './click.repository.ts';
import type { NewClickRow } from './click.table.ts';
import { amendClicks, type AmendedClick, type Amendment } from './late-findings.ts';

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

interface Pending<T> extends Waiter {
  item: T;
}

/** Work that must commit with the clicks it is about (rollups): it runs inside their transaction. */
export interface RecorderHooks {
  clicksRecorded?(trx: Db, rows: readonly NewClickRow[]): Promise<void>;
  clicksAmended?(trx: Db, clicks: readonly AmendedClick[]): Promise<void>;
}

export interface ClickRecorder {
  /** Resolves once the click is committed: only then may the visitor be redirected. */
  record(row: NewClickRow): Promise<void>;
  /** Adds a late finding to earlier clicks; runs after the clicks queued before it are committed. */
  amend(amendment: Amendment): Promise<void>;
  /** Commits what is queued and stops. */
  close(): Promise<void>;
}

function settle<T>(batch: readonly Pending<T>[], outcome: Promise<unknown>): Promise<boolean> {
  return outcome.then(
    () => {
      for (const pending of batch) pending.resolve();
      return true;
    },
    (error: unknown) => {
      for (const pending of batch) pending.reject(error);
      return false;
    },
  );
}

/**
 * Group commit: clicks that arrive while a batch is being written wait together and go into the next
 * transaction. One commit (one fsync) then serves many clicks, so durability costs little throughput,
 * and a batch is never older than one transaction's time. Amendments follow their batch, so the
 * clicks they rewrite are always stored first.
 */
export function createClickRecorder(db: Db, dialect: DialectAdapter, events: EventBus, hooks: RecorderHooks = {}): ClickRecorder {
  let queue: Pending<NewClickRow>[] = [];
  let amendments: Pending<Amendment>[] = [];
  let flushing: Promise<void> | undefined;

  const flush = async () => {
    while (queue.length > 0 || amendments.length > 0) {
      const batch = queue;
      const late = amendments;
      queue = [];
      amendments = [];
      if (batch.length > 0) {
        const rows = batch.map((pending) => pending.item);
        const written = db.transaction().execute(async (trx) => {
          await insertClicks(trx, dialect, rows);
          await hooks.clicksRecorded?.(trx, rows);
        });
        if (await settle(batch, written)) events.emit('click.recorded', { clicks: rows });
      }
      if (late.length > 0) {
        const amended = amendClicks(db, late.map((pending) => pending.item), hooks.clicksAmended);
        if (await settle(late, amended)) {
          const clicks = await amended;
          if (clicks.length > 0) events.emit('click.amended', { clicks });
        }
      }
    }
    flushing = undefined;
  };

  const enqueue = <T>(into: () => Pending<T>[], item: T) =>
    new Promise<void>((resolve, reject) => {
      into().push({ item, resolve, reject });
      // setImmediate lets every request already read in this turn of the event loop join the batch.
      flushing ??= new Promise<void>((done) => setImmediate(() => flush().then(done)));
    });

  return {
    record: (row) => enqueue(() => queue, row),
    amend: (amendment) => enqueue(() => amendments, amendment),
    async close() {
      while (flushing) await flushing;
    },
  };
}
