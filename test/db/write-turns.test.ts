// The write turns (src/storage/write-turns.ts) between the event loop and a worker thread: served in the
// order asked, the event loop never blocked, and a side that gives up (disable) frees every waiter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { once } from 'node:events';
import { createWriteTurns } from '../../src/storage/write-turns.ts';

test('turns are served in the order they were asked for, and a waiting event loop keeps running', async () => {
  const turns = createWriteTurns();
  const order: string[] = [];
  await turns.take();
  const second = turns.during(async () => void order.push('second'));
  const third = turns.during(async () => void order.push('third'));
  // The event loop is free while both wait.
  await new Promise((resolve) => setImmediate(resolve));
  order.push('first');
  turns.give();
  await Promise.all([second, third]);
  assert.deepEqual(order, ['first', 'second', 'third']);
});

test(
  'a worker blocked on its turn gets it once the event loop gives it, and the event loop waits for the worker',
  { timeout: 20_000 },
  async () => {
    const turns = createWriteTurns();
    await turns.take();
    // The worker takes a turn (waiting for ours), holds it 50 ms, and says when it took and gave it.
    const worker = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
     const state = new Int32Array(workerData);
     const ticket = Atomics.add(state, 0, 1);
     parentPort.postMessage('asked');
     // Counted among the waiters (slot 3) while it waits: give() wakes only when someone waits.
     for (let serving = Atomics.load(state, 1); serving !== ticket; serving = Atomics.load(state, 1)) {
       Atomics.add(state, 3, 1);
       Atomics.wait(state, 1, serving);
       Atomics.sub(state, 3, 1);
     }
     parentPort.postMessage('took');
     const until = Date.now() + 50;
     while (Date.now() < until);
     parentPort.postMessage('giving');
     Atomics.add(state, 1, 1);
     Atomics.notify(state, 1);`,
      { eval: true, workerData: turns.buffer },
    );
    // Listened for from the start: the worker exits right after giving its turn, and its exit can reach this
    // thread before the wake-up of the turn it gave (CI once lost the event, and the test never ended).
    const exited = once(worker, 'exit');
    const messages: string[] = [];
    worker.on('message', (message: string) => messages.push(message));
    await once(worker, 'message');
    assert.deepEqual(messages, ['asked']);
    // Long enough for the worker to be blocked in Atomics.wait: give() must wake a waiter already asleep.
    await new Promise((resolve) => setTimeout(resolve, 30));
    turns.give();
    const started = performance.now();
    await turns.take();
    const waited = performance.now() - started;
    turns.give();
    await exited;
    assert.deepEqual(messages, ['asked', 'took', 'giving']);
    assert.ok(waited >= 40, `the event loop waited for the worker's turn (${waited.toFixed(1)} ms)`);
  },
);

test('disable frees a waiter whose turn would never come', async () => {
  const turns = createWriteTurns();
  await turns.take(); // never given back, as by a thread that died holding it
  const waiting = turns.take();
  let done = false;
  void waiting.then(() => (done = true));
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(done, false);
  turns.disable();
  await waiting;
  // Later turns do not wait at all.
  await turns.during(async () => undefined);
  await turns.take();
});
