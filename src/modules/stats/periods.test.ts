import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DAILY,
  DAY,
  HOUR,
  HOURLY,
  WEEKLY,
  coverDays,
  coverHours,
  readableRanges,
  unfoldedRanges,
  type PeriodRange,
} from './periods.ts';

/** A Monday, then five weeks: every range below starts and ends somewhere in them. */
const MONDAY = Date.UTC(2024, 0, 1);
const SPAN = 35 * DAY;

/** How many times `ranges` read the hour starting at `hour`: taken-away ranges count −1. */
const timesRead = (ranges: readonly PeriodRange[], hour: number) =>
  ranges.reduce((sum, range) => sum + (hour >= range.from && hour < range.to ? (range.subtract ? -1 : 1) : 0), 0);

function assertReadsExactly(ranges: readonly PeriodRange[], from: number, to: number, label: string) {
  for (let hour = MONDAY - DAY; hour < MONDAY + SPAN + DAY; hour += HOUR) {
    assert.equal(
      timesRead(ranges, hour),
      hour >= from && hour < to ? 1 : 0,
      `${label}: hour ${new Date(hour).toISOString()}`,
    );
  }
}

test('the journal reads each day of a cover once, in one stretch, and never negated', () => {
  for (let from = MONDAY; from < MONDAY + SPAN; from += DAY) {
    for (let to = from + DAY; to <= MONDAY + SPAN; to += DAY) {
      const label = `${new Date(from).toISOString()}…${new Date(to).toISOString()}`;
      const cover = coverDays(from, to);
      assertReadsExactly(cover, from, to, `cover ${label}`);
      const journal = unfoldedRanges(cover);
      assert.deepEqual(journal, [{ hours: DAILY, from, to }], label);
    }
  }
});

test('hours at the ends stay hours; the days between are one stretch', () => {
  for (const [from, to] of [
    [MONDAY + 5 * HOUR, MONDAY + 30 * DAY + 5 * HOUR],
    [MONDAY + 2 * DAY - 3 * HOUR, MONDAY + 9 * DAY],
    [MONDAY + 3 * DAY, MONDAY + 20 * DAY + 7 * HOUR],
    [MONDAY + 4 * HOUR, MONDAY + 20 * HOUR],
  ] as const) {
    const journal = unfoldedRanges(coverHours(from, to));
    assertReadsExactly(journal, from, to, `${new Date(from).toISOString()}…${new Date(to).toISOString()}`);
    assert.ok(journal.every((range) => !range.subtract && (range.hours === HOURLY || range.hours === DAILY)));
    assert.ok(journal.filter((range) => range.hours === DAILY).length <= 1, 'one stretch of days');
  }
});

test('a cover read with only some weeks built still reads each day once, and no week from builtUntil on', () => {
  // None of the span's weeks built, the first, the first three.
  for (const built of [MONDAY, MONDAY + 7 * DAY, MONDAY + 21 * DAY]) {
    for (let from = MONDAY; from < MONDAY + SPAN; from += DAY) {
      for (let to = from + DAY; to <= MONDAY + SPAN; to += DAY) {
        const label = `built until ${new Date(built).toISOString()}, ${new Date(from).toISOString()}…${new Date(to).toISOString()}`;
        const ranges = readableRanges(coverDays(from, to), built);
        assertReadsExactly(ranges, from, to, label);
        for (const range of ranges)
          if (range.hours === WEEKLY) assert.ok(range.to <= built, `${label}: week range ends past what is built`);
      }
    }
  }
  // Every week built: the cover as it is.
  const cover = coverDays(MONDAY + 2 * DAY, MONDAY + 30 * DAY);
  assert.deepEqual(readableRanges(cover, MONDAY + SPAN), cover);
  assert.ok(cover.some((range) => range.hours === WEEKLY));
});
