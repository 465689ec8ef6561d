// Runs SQLite's WAL checkpoints on a thread of its own: copying the log into the database file and
// its fsync then never stall the event loop that answers clicks. Plain JavaScript because a worker
// thread does not inherit the TypeScript loader of the main thread.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const database = new Database(workerData.path);
database.pragma('busy_timeout = 1000');
const pageSize = database.pragma('page_size', { simple: true });
const restartFrames = Math.max(1, Math.floor(workerData.restartBytes / pageSize));
const caughtUpFrames = Math.ceil((256 * 1024) / pageSize);
const MAX_CATCH_UP_PASSES = 8;

/*
 * The blocking side of write-turns.ts's ticket lock (takeBlocking and give, same slots), written out
 * because this thread runs without the TypeScript loader; test/db/sqlite-wal-restart.test.ts drives it
 * against the event loop's side.
 */
const NEXT = 0;
const SERVING = 1;
const DISABLED = 2;
const WAITERS = 3;
const turns = new Int32Array(workerData.turns);
const disabled = () => Atomics.load(turns, DISABLED) === 1;
function takeTurn() {
  if (disabled()) return;
  const ticket = Atomics.add(turns, NEXT, 1);
  for (;;) {
    const serving = Atomics.load(turns, SERVING);
    if (serving === ticket || disabled()) return;
    Atomics.add(turns, WAITERS, 1);
    Atomics.wait(turns, SERVING, serving);
    Atomics.sub(turns, WAITERS, 1);
  }
}
function giveTurn() {
  if (disabled()) return;
  Atomics.add(turns, SERVING, 1);
  if (Atomics.load(turns, WAITERS) > 0) Atomics.notify(turns, SERVING);
}

// PASSIVE never waits for the writer: it copies what it can and tries again next time.
const passive = () => database.pragma('wal_checkpoint(PASSIVE)')[0];

/*
 * Under a steady stream of commits a PASSIVE checkpoint never copies the last frames (more are appended
 * while it copies), and SQLite only rewinds the log once every frame is copied: at full load the log grew
 * by about 100 MB a second and never shrank (BENCHMARKS.md, "SQLite's log under steady load"). So once the
 * log passes its limit, a last pass runs in a write turn: the event loop's commits wait for it
 * asynchronously, it copies only what the passes before it missed, and the next commit starts the log
 * from the beginning.
 */
function checkpoint() {
  let pass = passive();
  if (pass.log < restartFrames) return;
  // The pass in the turn holds up the click commits while it copies what the pass before it missed and
  // syncs the file (60-80 ms when that was the first pass, 6-23 ms after these): more passes out of turn
  // first, until one finds little appended since the last.
  for (let i = 0; i < MAX_CATCH_UP_PASSES; i++) {
    const next = passive();
    const appended = next.log - pass.checkpointed;
    pass = next;
    if (appended <= caughtUpFrames) break;
  }
  takeTurn();
  try {
    passive();
  } finally {
    giveTurn();
  }
}

const timer = setInterval(() => {
  try {
    checkpoint();
  } catch {
    // A busy database is retried on the next tick.
  }
}, workerData.intervalMs);

parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  database.close();
  parentPort.close();
});
