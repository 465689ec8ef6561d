import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clickFraudReasons, fakeLeadReasons, timingReasons, withClickFraud } from './fake-lead.ts';

test('timing: sooner than the minimum is suspicious, at or after it is not', () => {
  const cases: [elapsedMs: number, min: number, expected: string[]][] = [
    [1_200, 3, ['Converted 1.2 s after the click (minimum 3 s)']],
    [40, 3, ['Converted 0.04 s after the click (minimum 3 s)']],
    [2_999, 3, ['Converted 3.0 s after the click (minimum 3 s)']],
    [3_000, 3, []],
    [90_000, 3, []],
    [100, 0, []],
    [59_000, 60, ['Converted 59.0 s after the click (minimum 60 s)']],
  ];
  for (const [elapsed, min, expected] of cases)
    assert.deepEqual(timingReasons(1_000_000, 1_000_000 + elapsed, min), expected, `${elapsed} ms, minimum ${min} s`);
});

test('timing: a conversion stamped before its click reads as 0 s', () => {
  assert.deepEqual(timingReasons(5_000, 4_000, 3), ['Converted 0.00 s after the click (minimum 3 s)']);
});

test('click fraud: every type but duplicate, in one sentence', () => {
  assert.deepEqual(clickFraudReasons([]), []);
  assert.deepEqual(clickFraudReasons(['duplicate']), []);
  assert.deepEqual(clickFraudReasons(['vpn']), ['The click was flagged vpn']);
  assert.deepEqual(clickFraudReasons(['bot', 'duplicate', 'rapid_fire']), ['The click was flagged bot, rapid_fire']);
});

test('both reasons together, timing first', () => {
  assert.deepEqual(fakeLeadReasons({ created_at: 0, fraudTypes: ['datacenter'] }, 500, 3), [
    'Converted 0.5 s after the click (minimum 3 s)',
    'The click was flagged datacenter',
  ]);
  assert.deepEqual(fakeLeadReasons({ created_at: 0, fraudTypes: ['duplicate'] }, 60_000, 3), []);
});

test('an amendment replaces the click sentence and keeps the payout and timing ones', () => {
  const payout = 'The payout 500 is more than 10× the campaign’s typical payout 5 (its CPA cost_value)';
  const timing = 'Converted 1.0 s after the click (minimum 3 s)';
  assert.deepEqual(withClickFraud([payout, timing, 'The click was flagged vpn'], ['vpn', 'bot']), [
    payout,
    timing,
    'The click was flagged vpn, bot',
  ]);
  assert.deepEqual(withClickFraud([payout], ['duplicate']), [payout]);
  assert.deepEqual(withClickFraud([], ['click_farm']), ['The click was flagged click_farm']);
});
