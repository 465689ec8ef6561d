import { test } from 'node:test';
import assert from 'node:assert/strict';
import { zeroCounters } from '../stats/click-stats.table.ts';
import type { CostedValue } from '../stats/stats.service.ts';
import { exclusionText, selectExclusions, sortPlacements, toPlacement } from './placements.ts';

const entry = (value: string, clicks: number, fraud: number, cost = 0, revenue = 0): CostedValue => ({
  value,
  counters: { ...zeroCounters(), clicks, real_clicks: clicks - fraud, fraud_clicks: fraud, revenue },
  cost,
});

test('a row: rates and money to the cent, ROI 0 without cost, no placement is null', () => {
  assert.deepEqual(toPlacement(entry('z1', 3, 1, 0.3, 1)), {
    placement: 'z1',
    clicks: 3,
    fraudulent_clicks: 1,
    fraud_rate: 33.33,
    conversions: 0,
    cr: 0,
    revenue: 1,
    cost: 0.3,
    profit: 0.7,
    roi: 233.33,
  });
  assert.equal(toPlacement(entry('', 1, 0)).placement, null);
  assert.equal(toPlacement(entry('z', 0, 0)).fraud_rate, 0);
  assert.equal(toPlacement(entry('z', 2, 0, 0, 5)).roi, 0);
});

test('sorting: by a measure with ties by name; by name with no placement last either way', () => {
  const rows = () => [entry('b', 5, 1), entry('', 9, 0), entry('a', 5, 4), entry('c', 1, 1)].map(toPlacement);
  const names = (list: ReturnType<typeof toPlacement>[]) => list.map((row) => row.placement);
  assert.deepEqual(names(sortPlacements(rows(), 'clicks', 'desc')), [null, 'a', 'b', 'c']);
  assert.deepEqual(names(sortPlacements(rows(), 'fraud_rate', 'desc')), ['c', 'a', 'b', null]);
  assert.deepEqual(names(sortPlacements(rows(), 'placement', 'asc')), ['a', 'b', 'c', null]);
  assert.deepEqual(names(sortPlacements(rows(), 'placement', 'desc')), ['c', 'b', 'a', null]);
});

test('exclusions: enough clicks, a rate strictly above the threshold, worst first; never the unplaced', () => {
  const costed = [
    entry('at-threshold', 10, 3),
    entry('above', 10, 4),
    entry('too-few', 2, 2),
    entry('', 50, 50),
    entry('worst', 40, 20),
  ];
  const list = selectExclusions(costed, { minClicks: 10, maxFraudRate: 30 });
  assert.deepEqual(
    list.map((row) => row.placement),
    ['worst', 'above'],
  );
  assert.equal(exclusionText(list), 'worst\nabove\n');
  assert.equal(exclusionText(selectExclusions(costed, { minClicks: 1000, maxFraudRate: 0 })), '');
  // Unrounded: 1 of 3 is 33.33…%, above 33.33.
  assert.equal(selectExclusions([entry('third', 3, 1)], { minClicks: 1, maxFraudRate: 33.33 }).length, 1);
});

test('a line break inside a placement cannot split the line or add an entry; the same entry sums its figures', () => {
  const list = selectExclusions([entry('12\r\n34', 5, 5, 1), entry('\n', 5, 5), entry('1234', 5, 1, 2)], {
    minClicks: 10,
    maxFraudRate: 50,
  });
  assert.equal(exclusionText(list), '1234\n');
  assert.deepEqual([list[0]!.clicks, list[0]!.fraudulent_clicks, list[0]!.fraud_rate, list[0]!.cost], [10, 6, 60, 3]);
});
