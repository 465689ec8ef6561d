/**
 * Turns at SQLite's one write lock for two threads of one process: the event loop's click commits and a
 * worker's background folds. Each connection would otherwise wait for the other in SQLite's busy handler,
 * which sleeps synchronously: on the event loop that stalls every request for the rest of a fold. Here the
 * event loop waits for its turn asynchronously (Atomics.waitAsync) and the worker synchronously.
 *
 * A ticket lock in a SharedArrayBuffer: turns are served in the order they were asked for, so a click
 * commit waits for at most the fold transaction ahead of it, and a fold for at most one commit.
 */
export interface WriteTurns {
  /** The memory both threads share: hand it to the worker (workerData). */
  readonly buffer: SharedArrayBuffer;
  /** Waits for the turn without blocking the thread (the event loop's side). */
  take(): Promise<void>;
  /** Waits for the turn blocking the thread (the worker's side). */
  takeBlocking(): void;
  /** Ends the turn taken last; the next ticket is served. */
  give(): void;
  /**
   * The other side died (perhaps holding a turn): every wait ends now and later turns are free, so nothing
   * hangs on a ticket no one will give back. Writers then meet in SQLite's busy handler as before.
   */
  disable(): void;
  /** Runs `work` in a turn of the event loop's side. */
  during<T>(work: () => Promise<T>): Promise<T>;
}

/** ES2024's Atomics.waitAsync (Node 16 and later), not in this project's TypeScript library yet. */
type WaitAsync = (
  array: Int32Array,
  index: number,
  value: number,
) => { async: false; value: string } | { async: true; value: Promise<string> };
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

const NEXT = 0;
const SERVING = 1;
const DISABLED = 2;
/**
 * Threads waiting (or about to wait) for SERVING to move. give() wakes them only when there are some:
 * Atomics.notify took 1.9 % of the event loop's busy time in issue 24's profile, one call per click batch,
 * while the fold thread waits for a turn only a few times a second.
 */
const WAITERS = 3;
const SLOTS = 4;

export function createWriteTurns(buffer = new SharedArrayBuffer(SLOTS * Int32Array.BYTES_PER_ELEMENT)): WriteTurns {
  const state = new Int32Array(buffer);
  const disabled = () => Atomics.load(state, DISABLED) === 1;
  const turns: WriteTurns = {
    buffer,
    async take() {
      if (disabled()) return;
      const ticket = Atomics.add(state, NEXT, 1);
      for (;;) {
        const serving = Atomics.load(state, SERVING);
        if (serving === ticket || disabled()) return;
        // Counted before the wait compares SERVING: a give() that did not see this waiter moved SERVING
        // first, so the wait finds it changed and returns at once.
        Atomics.add(state, WAITERS, 1);
        const wait = waitAsync(state, SERVING, serving);
        if (!wait.async) {
          Atomics.sub(state, WAITERS, 1);
          continue;
        }
        // A pending Atomics.waitAsync does not keep Node's event loop alive: a timer does, while it waits.
        const alive = setInterval(() => undefined, 60_000);
        try {
          await wait.value;
        } finally {
          clearInterval(alive);
          Atomics.sub(state, WAITERS, 1);
        }
      }
    },
    takeBlocking() {
      if (disabled()) return;
      const ticket = Atomics.add(state, NEXT, 1);
      for (;;) {
        const serving = Atomics.load(state, SERVING);
        if (serving === ticket || disabled()) return;
        Atomics.add(state, WAITERS, 1);
        Atomics.wait(state, SERVING, serving);
        Atomics.sub(state, WAITERS, 1);
      }
    },
    give() {
      if (disabled()) return;
      Atomics.add(state, SERVING, 1);
      if (Atomics.load(state, WAITERS) > 0) Atomics.notify(state, SERVING);
    },
    disable() {
      Atomics.store(state, DISABLED, 1);
      // Wakes every waiter, whichever ticket it holds: each sees DISABLED and goes ahead.
      Atomics.add(state, SERVING, 1);
      Atomics.notify(state, SERVING);
    },
    async during(work) {
      await turns.take();
      try {
        return await work();
      } finally {
        turns.give();
      }
    },
  };
  return turns;
}

/**
 * `work` in a turn taken blocking (takeBlocking): a worker thread's transactions. Blocking is fine there: the
 * thread has nothing else to do while the event loop commits.
 */
export function inBlockingTurn(turns: WriteTurns): <T>(work: () => Promise<T>) => Promise<T> {
  return async (work) => {
    turns.takeBlocking();
    try {
      return await work();
    } finally {
      turns.give();
    }
  };
}
