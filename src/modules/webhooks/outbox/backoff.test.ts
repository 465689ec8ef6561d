import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_RETRY_POLICY, nextAttemptAt } from './backoff.ts';

const HOUR = 3_600_000;

test('30 s doubling, capped at 6 h, within ±20% jitter', () => {
  const middle = () => 0.5;
  assert.equal(nextAttemptAt(DEFAULT_RETRY_POLICY, 1, 0, 0, middle), 30_000);
  assert.equal(nextAttemptAt(DEFAULT_RETRY_POLICY, 2, 0, 0, middle), 60_000);
  assert.equal(nextAttemptAt(DEFAULT_RETRY_POLICY, 5, 0, 0, middle), 480_000);
  assert.equal(nextAttemptAt(DEFAULT_RETRY_POLICY, 20, 0, 0, middle), 6 * HOUR);
  assert.equal(
    nextAttemptAt(DEFAULT_RETRY_POLICY, 1, 0, 0, () => 0),
    24_000,
  );
  assert.equal(
    nextAttemptAt(DEFAULT_RETRY_POLICY, 1, 0, 0, () => 0.999999),
    36_000,
  );
});

test('gives up once the next attempt would be more than 24 h after the event; about a dozen attempts in all', () => {
  let now = 0;
  let attempts = 0;
  for (;;) {
    attempts += 1;
    const next = nextAttemptAt(DEFAULT_RETRY_POLICY, attempts, 0, now, () => 0.5);
    if (next === null) break;
    now = next;
  }
  assert.ok(attempts >= 10 && attempts <= 14, `${attempts} attempts`);
  assert.ok(now > 18 * HOUR && now <= 24 * HOUR, `last attempt at ${now / HOUR} h`);
});
