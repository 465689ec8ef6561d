import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addSumRows, createClosedSums, splitAtDay } from './closed-sums.ts';
import { DAILY, DAY, HOURLY, WEEKLY } from './periods.ts';

const MONDAY = Date.UTC(2026, 10, 30);

test('splitAtDay cuts hours and days at the boundary and keeps an open week whole', () => {
  const boundary = MONDAY + 3 * DAY;
  const { closed, open } = splitAtDay(
    [
      { hours: WEEKLY, from: MONDAY - 7 * DAY, to: MONDAY },
      { hours: DAILY, from: MONDAY, to: MONDAY + 5 * DAY },
      { hours: HOURLY, from: MONDAY + 2 * DAY + 20 * 3_600_000, to: MONDAY + 3 * DAY + 2 * 3_600_000 },
      { hours: WEEKLY, from: MONDAY, to: MONDAY + 7 * DAY },
      { hours: DAILY, from: MONDAY + 6 * DAY, to: MONDAY + 7 * DAY, subtract: true },
    ],
    boundary,
  );
  assert.deepEqual(closed, [
    { hours: WEEKLY, from: MONDAY - 7 * DAY, to: MONDAY },
    { hours: DAILY, from: MONDAY, to: boundary },
    { hours: HOURLY, from: MONDAY + 2 * DAY + 20 * 3_600_000, to: boundary },
  ]);
  assert.deepEqual(open, [
    { hours: DAILY, from: boundary, to: MONDAY + 5 * DAY },
    { hours: HOURLY, from: boundary, to: MONDAY + 3 * DAY + 2 * 3_600_000 },
    { hours: WEEKLY, from: MONDAY, to: MONDAY + 7 * DAY },
    { hours: DAILY, from: MONDAY + 6 * DAY, to: MONDAY + 7 * DAY, subtract: true },
  ]);
});

test('addSumRows adds rows of the same keys and leaves both inputs as they were', () => {
  const a = [
    { keys: [1, 'DE'], counters: { clicks: 2, revenue: 1.5 } },
    { keys: [1, 'US'], counters: { clicks: 1, revenue: 0 } },
  ];
  const b = [
    { keys: [1, 'DE'], counters: { clicks: 3, revenue: 2 } },
    { keys: [2, 'DE'], counters: { clicks: 4, revenue: 0 } },
  ];
  const sum = addSumRows(a, b, 2, ['clicks', 'revenue']);
  assert.deepEqual(sum, [
    { keys: [1, 'DE'], counters: { clicks: 5, revenue: 3.5 } },
    { keys: [1, 'US'], counters: { clicks: 1, revenue: 0 } },
    { keys: [2, 'DE'], counters: { clicks: 4, revenue: 0 } },
  ]);
  assert.deepEqual(a[0]!.counters, { clicks: 2, revenue: 1.5 });
  assert.deepEqual(b[0]!.counters, { clicks: 3, revenue: 2 });
});

test('kept sums answer only under the version they were read with, and an hour past midnight is still open', () => {
  let now = MONDAY + 30 * 60_000;
  const sums = createClosedSums(() => now, 100);
  assert.equal(sums.closedBefore(), MONDAY - DAY, 'the first hour of a day leaves the day before open');
  now = MONDAY + 2 * 3_600_000;
  assert.equal(sums.closedBefore(), MONDAY);
  const rows = [{ keys: ['DE'], counters: { clicks: 1 } }];
  sums.set('k', 3, rows);
  assert.equal(sums.get('k', 3), rows);
  assert.equal(sums.get('k', 4), undefined);
  // Too big for the cap: not kept.
  sums.set(
    'big',
    1,
    Array.from({ length: 100 }, (_, i) => ({ keys: [i], counters: { clicks: 1 } })),
  );
  assert.equal(sums.get('big', 1), undefined);
});

test('built_until is read once for a while, and a failed read is read again', async () => {
  const sums = createClosedSums(() => MONDAY);
  let reads = 0;
  const read = async () => ++reads * DAY;
  assert.equal(await sums.weeksBuiltUntil(read), DAY);
  assert.equal(await sums.weeksBuiltUntil(read), DAY);
  assert.equal(reads, 1);
  const failing = createClosedSums(() => MONDAY);
  await assert.rejects(failing.weeksBuiltUntil(() => Promise.reject(new Error('database away'))));
  assert.equal(await failing.weeksBuiltUntil(read), 2 * DAY);
});
