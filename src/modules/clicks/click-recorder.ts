import type { Db } from '../../storage/database.ts';
import type { DialectAdapter } from '../../storage/dialect-adapter.ts';
import type { EventBus } from '../../events.ts';
import { insertClicks } from './click.repository.ts';
import type { NewClickRow } from './click.table.ts';

interface Pending {
  row: NewClickRow;
  resolve(): void;
  reject(error: unknown): void;
}

export interface ClickRecorder {
  /** Resolves once the click is committed: only then may the visitor be redirected. */
  record(row: NewClickRow): Promise<void>;
  /** Commits what is queued and stops. */
  close(): Promise<void>;
}

/** Work that must commit with a batch of clicks (the webhooks outbox), given the batch's transaction. */
export type BatchHook = (trx: Db, rows: readonly NewClickRow[]) => Promise<void>;

/**
 * Group commit: clicks that arrive while a batch is being written wait together and go into the next
 * transaction. One commit (one fsync) then serves many clicks, so durability costs little throughput,
 * and a batch is never older than one transaction's time.
 */
export function createClickRecorder(db: Db, dialect: DialectAdapter, events: EventBus, inBatch?: BatchHook): ClickRecorder {
  let queue: Pending[] = [];
  let flushing: Promise<void> | undefined;

  const flush = async () => {
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      try {
        const rows = batch.map((pending) => pending.row);
        await db.transaction().execute(async (trx) => {
          await insertClicks(trx, dialect, rows);
          await inBatch?.(trx, rows);
        });
      } catch (error) {
        for (const pending of batch) pending.reject(error);
        continue;
      }
      for (const pending of batch) pending.resolve();
      events.emit('click.recorded', { clicks: batch.map((pending) => pending.row) });
    }
    flushing = undefined;
  };

  return {
    record(row) {
      return new Promise<void>((resolve, reject) => {
        queue.push({ row, resolve, reject });
        // setImmediate lets every request already read in this turn of the event loop join the batch.
        flushing ??= new Promise<void>((done) => setImmediate(() => flush().then(done)));
      });
    },
    async close() {
      while (flushing) await flushing;
    },
  };
}
