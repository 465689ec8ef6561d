// Runs SQLite's WAL checkpoints on a thread of its own: copying the log into the database file and
// its fsync then never stall the event loop that answers clicks. Plain JavaScript because a worker
// thread does not inherit the TypeScript loader of the main thread.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const database = new Database(workerData.path);
database.pragma('busy_timeout = 1000');

const timer = setInterval(() => {
  try {
    // PASSIVE never waits for the writer: it copies what it can and tries again next time.
    database.pragma('wal_checkpoint(PASSIVE)');
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
