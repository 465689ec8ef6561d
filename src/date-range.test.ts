import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDateRange } from './date-range.ts';
import { AppError } from './errors.ts';

const NOW = Date.UTC(2024, 0, 31, 15, 0, 0);

test('inclusive whole UTC days', () => {
  assert.deepEqual(parseDateRange({ from: '2024-01-01', to: '2024-01-31' }, NOW), {
    from: Date.UTC(2024, 0, 1),
    toExclusive: Date.UTC(2024, 1, 1),
  });
});

test('missing dates: the last 30 days including today', () => {
  assert.deepEqual(parseDateRange({}, NOW), { from: Date.UTC(2024, 0, 2), toExclusive: Date.UTC(2024, 1, 1) });
  assert.deepEqual(parseDateRange({ from: '2024-01-30' }, NOW), {
    from: Date.UTC(2024, 0, 30),
    toExclusive: Date.UTC(2024, 1, 1),
  });
});

test('bad dates and from after to are validation errors', () => {
  for (const query of [
    { from: '2024-02-31' },
    { to: '2024/01/01' },
    { from: 'yesterday' },
    { from: '2024-01-10', to: '2024-01-09' },
  ]) {
    assert.throws(
      () => parseDateRange(query, NOW),
      (error: unknown) => error instanceof AppError && error.code === 'VALIDATION_ERROR',
      JSON.stringify(query),
    );
  }
});
