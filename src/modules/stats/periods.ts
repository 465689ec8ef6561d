/**
 * The periods dimension rollups are kept for, and how a range of days is cut into them.
 *
 * A report's cost is the number of rollup rows it sums: periods × campaigns × values. With one row per
 * campaign, day and value, 30 days of cities over 16 campaigns were ~290k rows (350 ms on SQLite at 10M
 * clicks). So each (campaign, day, value) row is also added, in the same transaction, to:
 * - the same day for ALL_CAMPAIGNS, so an account-wide report reads one campaign's worth of rows, not 16;
 * - its UTC week (Monday to Monday), for the campaign and for ALL_CAMPAIGNS, so a range reads whole weeks
 *   plus at most 6 days at each end: 30 days are 9 to 15 periods instead of 30.
 * Weeks rather than longer blocks: with blocks of b days a 30-day range reads up to 2(b − 1) edge days
 * plus 30/b blocks, fewest around b = 4–7; 7 keeps blocks on calendar weeks (the clicks' partitions too).
 * Every row is an exact sum, so a report is the exact sum of its clicks whichever periods it reads.
 */

export const DAY = 86_400_000;
export const WEEK_DAYS = 7;
const WEEK = WEEK_DAYS * DAY;
/** Campaign ids start at 1 on both databases: 0 is free to stand for all of an account's campaigns. */
export const ALL_CAMPAIGNS = 0;

export const startOfDay = (instant: number): number => Math.floor(instant / DAY) * DAY;

/** Epoch day 0 (1970-01-01) was a Thursday: three days past a Monday. */
export const startOfWeek = (day: number): number => day - ((Math.floor(day / DAY) + 3) % WEEK_DAYS) * DAY;

/** A stretch of periods of one length: [from, to) in epoch ms, day-aligned. */
export interface PeriodRange {
  readonly days: 1 | 7;
  readonly from: number;
  readonly to: number;
}

/** The fewest periods that cover the UTC days [from, to) exactly: whole weeks, and days at the ends. */
export function coverDays(from: number, to: number): PeriodRange[] {
  const firstWeek = startOfWeek(from) === from ? from : startOfWeek(from) + WEEK;
  const lastWeekEnd = startOfWeek(to);
  if (firstWeek >= lastWeekEnd) return from < to ? [{ days: 1, from, to }] : [];
  const ranges: PeriodRange[] = [];
  if (from < firstWeek) ranges.push({ days: 1, from, to: firstWeek });
  ranges.push({ days: WEEK_DAYS, from: firstWeek, to: lastWeekEnd });
  if (lastWeekEnd < to) ranges.push({ days: 1, from: lastWeekEnd, to });
  return ranges;
}
