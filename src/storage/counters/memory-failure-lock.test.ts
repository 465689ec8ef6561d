import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lockMsAfter, type LockPolicy } from './failure-lock.ts';
import { createMemoryFailureLock } from './memory-failure-lock.ts';

const POLICY: LockPolicy = { lockAfterFailures: 3, baseLockMs: 1_000, maxLockMs: 10_000, forgetAfterMs: 60_000 };

test('locks grow from the failure that locks first, and never past the cap (no overflow either)', () => {
  assert.deepEqual(
    [1, 2, 3, 4, 5, 6, 7, 8].map((failures) => lockMsAfter(failures, POLICY)),
    [0, 0, 1_000, 2_000, 4_000, 8_000, 10_000, 10_000],
  );
  assert.equal(lockMsAfter(100_000, POLICY), 10_000);
});

test('a lock ends by itself; failures are forgotten after a quiet while, or at once on success', async () => {
  const lock = createMemoryFailureLock();
  let now = 1_000_000;
  assert.equal(await lock.fail('a', POLICY, now), 0);
  assert.equal(await lock.fail('a', POLICY, now), 0);
  assert.equal(await lock.fail('a', POLICY, now), 1_000);
  assert.equal(await lock.lockedFor('a', now + 400), 600);
  assert.equal(await lock.lockedFor('b', now), 0, 'keys are apart');
  now += 1_000;
  assert.equal(await lock.lockedFor('a', now), 0);
  assert.equal(await lock.fail('a', POLICY, now), 2_000);
  now += 60_000 + 2_000;
  assert.equal(await lock.fail('a', POLICY, now), 0, 'forgotten after forgetAfterMs without a failure');
  await lock.fail('a', POLICY, now);
  await lock.clear('a');
  assert.equal(await lock.fail('a', POLICY, now), 0, 'a success starts the count afresh');
});
