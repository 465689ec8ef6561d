import { mkdir, open, readFile, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { NewClickRow } from './click.table.ts';

/** A line of the spool: the click's row, and whether it is counted only (no row of its own, row-gate.ts). */
export type SpooledClick = NewClickRow & { rowless?: 1 };

export interface SpoolStatus {
  /** Clicks in the file: redirected while storage was away (or slow), not all of them stored yet. */
  readonly clicks: number;
  readonly bytes: number;
  /** Why the spool stopped (disk full, its size limit); null while it works. */
  readonly error: string | null;
}

export interface ClickSpool {
  /** Resolves once the rows are on disk (written and fsync'd), or at once when the spool is stopped; never rejects. */
  append(rows: readonly SpooledClick[]): Promise<void>;
  /**
   * The rows a previous process left in the file, each once. A line cut by a crash mid-write is dropped
   * from the file, so what is appended next starts on a line of its own. Call before the first append.
   */
  recover(): Promise<SpooledClick[]>;
  /** Empties the file once every write queued before it is done, if `stillEmpty()` says so then. */
  truncate(stillEmpty: () => boolean): Promise<void>;
  status(): SpoolStatus;
  /** Waits for queued writes and closes the file. */
  close(): Promise<void>;
}

export interface SpoolOptions {
  /** The file stops growing past this many bytes (0: no limit but the disk's). */
  maxBytes: number;
  /** The spool stopped: later clicks are kept in memory only until the file is emptied. Called once per stop. */
  onStopped(error: Error): void;
}

interface Group {
  text: string;
  count: number;
  written: Promise<void>;
  done(): void;
}

/**
 * An append-only file of the clicks a visitor was redirected for before they were stored, so a crash
 * during a database outage loses none. Writes are grouped as the database groups commits: every click
 * spooled while the previous write and fsync run goes into the next one, so the disk sees one write
 * and one fsync per group, not per click, and nothing runs synchronously on the event loop.
 * One line of JSON per click; the file is emptied once everything in it is stored.
 */
export function openClickSpool(path: string, options: SpoolOptions): ClickSpool {
  let handle: FileHandle | undefined;
  let chain: Promise<void> = Promise.resolve();
  let group: Group | undefined;
  let bytes = 0;
  let clicks = 0;
  let error: Error | null = null;

  const stop = (reason: Error) => {
    if (error) return;
    error = reason;
    options.onStopped(reason);
  };

  /** Runs file work one piece at a time, in the order asked. */
  const serially = (work: () => Promise<void>): Promise<void> => {
    chain = chain.then(work, work);
    return chain;
  };

  const fileHandle = async (): Promise<FileHandle> => {
    if (handle) return handle;
    await mkdir(dirname(path), { recursive: true });
    handle = await open(path, 'a+');
    // The file's own directory entry must reach the disk too, or a crash could lose a new file whole.
    const directory = await open(dirname(path), 'r');
    try {
      await directory.sync();
    } finally {
      await directory.close();
    }
    return handle;
  };

  const writeGroup = async () => {
    const current = group!;
    group = undefined;
    try {
      if (error) return;
      const data = Buffer.from(current.text);
      if (options.maxBytes > 0 && bytes + data.length > options.maxBytes) {
        stop(new Error(`the click spool reached its limit of ${options.maxBytes} bytes`));
        return;
      }
      const file = await fileHandle();
      await file.appendFile(data);
      await file.datasync();
      bytes += data.length;
      clicks += current.count;
    } catch (failure) {
      // ENOSPC, EIO, EDQUOT…: a torn last line is dropped by the next process's recover().
      stop(failure instanceof Error ? failure : new Error(String(failure)));
    } finally {
      current.done();
    }
  };

  return {
    append(rows) {
      if (error || rows.length === 0) return Promise.resolve();
      if (!group) {
        let done!: () => void;
        const written = new Promise<void>((resolve) => (done = resolve));
        group = { text: '', count: 0, written, done };
        // The group stays open for this turn of the event loop and until the write before it is done:
        // clicks arriving meanwhile share its fsync.
        void serially(() => new Promise<void>((resolve) => setImmediate(resolve)).then(writeGroup));
      }
      for (const row of rows) group.text += `${JSON.stringify(row)}\n`;
      group.count += rows.length;
      return group.written;
    },

    async recover() {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (failure) {
        if ((failure as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw failure;
      }
      const rows = new Map<string, SpooledClick>();
      const end = text.lastIndexOf('\n') + 1;
      for (const line of text.slice(0, end).split('\n')) {
        if (line === '') continue;
        try {
          const row = JSON.parse(line) as SpooledClick;
          if (typeof row.id === 'string') rows.set(row.id, row);
        } catch {
          // A line that is not whole JSON was being written when the process died; its click was never acknowledged.
        }
      }
      if (end < Buffer.byteLength(text)) {
        await serially(async () => {
          const file = await fileHandle();
          await file.truncate(Buffer.byteLength(text.slice(0, end)));
          await file.datasync();
        });
      }
      bytes = Buffer.byteLength(text.slice(0, end));
      clicks = rows.size;
      return [...rows.values()];
    },

    truncate(stillEmpty) {
      return serially(async () => {
        if (!stillEmpty() || (bytes === 0 && !error)) return;
        try {
          const file = await fileHandle();
          await file.truncate(0);
          await file.datasync();
          bytes = 0;
          clicks = 0;
          // The room is back: the spool takes clicks again (a disk still full stops it again, with a new log line).
          error = null;
        } catch (failure) {
          stop(failure instanceof Error ? failure : new Error(String(failure)));
        }
      });
    },

    status: () => ({ clicks, bytes, error: error?.message ?? null }),

    async close() {
      await serially(async () => {
        await handle?.close();
        handle = undefined;
      });
    },
  };
}
