// SQLite's log under commits that never pause (src/storage/dialects/sqlite-checkpoint.worker.mjs): a PASSIVE
// checkpoint alone never copies the last frames, so the log never started over and its file grew by every
// commit (22 GB after a million clicks). Past its limit the checkpoint thread copies the rest in a write turn,
// and the log starts over. The test also drives the worker's copy of the turns protocol against write-turns.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, sql } from 'kysely';
import { createSqliteAdapter } from '../../src/storage/dialects/sqlite.ts';

const MiB = 1024 * 1024;

/** The log header's checkpoint sequence number, which SQLite raises each time the log starts over. */
function logStarts(path: string): number {
  const header = Buffer.alloc(16);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, header, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  return header.readUInt32BE(12);
}

test(
  'a log that never pauses starts over past its limit, and every committed row is kept',
  { timeout: 60_000 },
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'cloakradar-wal-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'wal.db');
    const adapter = createSqliteAdapter(path, { walLimitBytes: 1 * MiB });
    const db = new Kysely<{ rows: { n: number; payload: Buffer } }>({ dialect: adapter.kyselyDialect });
    const turns = adapter.writeTurns;
    assert.ok(turns, 'a file database has write turns');
    await sql`create table rows (n integer primary key, payload blob not null)`.execute(db);

    // Commits back to back for 5 s (the checkpoint thread's tick is 1 s), each in a turn as the click
    // recorder's are.
    const payload = Buffer.alloc(1024, 7);
    let written = 0;
    let largestLog = 0;
    await turns.during(() => db.insertInto('rows').values({ n: written++, payload }).execute());
    const firstStart = logStarts(`${path}-wal`);
    const until = Date.now() + 5_000;
    while (Date.now() < until) {
      for (let i = 0; i < 50; i++) {
        const n = written++;
        await turns.during(() => db.insertInto('rows').values({ n, payload }).execute());
      }
      largestLog = Math.max(largestLog, statSync(`${path}-wal`).size);
    }
    const starts = logStarts(`${path}-wal`) - firstStart;
    console.log(`written ${written} rows; largest log ${largestLog} bytes; the log started over ${starts} times`);
    assert.ok(starts >= 2, `the log started over ${starts} times in 5 s of commits`);

    const count = await sql<{ count: number }>`select count(*) as count from rows`.execute(db);
    assert.equal(count.rows[0]?.count, written);
    const check = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db);
    assert.equal(check.rows[0]?.integrity_check, 'ok');
    await db.destroy();
    await adapter.dispose();
  },
);
