/**
 * The periods rollups are kept for, and how a range is cut into them.
 *
 * A report's cost is the number of rollup rows it sums: periods × campaigns × values. With one row per
 * campaign, UTC day and value, 30 days of cities over 16 campaigns were ~290k rows (350 ms on SQLite at
 * 10M clicks), and 30 days of campaign totals per hour 11.5k rows. So each row is also added, in the same
 * transaction, to:
 * - the same period for ALL_CAMPAIGNS, so an account-wide report reads one campaign's worth of rows, not
 *   one set per campaign (totals per campaign still read per campaign: each has its own cost model);
 * - for days, their UTC week (Monday to Monday), for the campaign and for ALL_CAMPAIGNS, so a range reads
 *   whole weeks plus at most 6 days at each end: 30 days are 9 to 15 periods instead of 30.
 * Weeks rather than longer blocks: with blocks of b days a 30-day range reads up to 2(b − 1) edge days
 * plus 30/b blocks, fewest around b = 4–7; 7 keeps blocks on calendar weeks (the clicks' partitions too).
 * Every row is an exact sum, so a report is the exact sum of its clicks whichever periods it reads.
 */

export const HOUR = 3_600_000;
export const DAY = 86_400_000;
/** Period lengths, in hours (the table's `hours` column). */
export const HOURLY = 1;
export const DAILY = 24;
export const WEEKLY = 168;
/** Campaign ids start at 1 on both databases: 0 is free to stand for all of an account's campaigns. */
export const ALL_CAMPAIGNS = 0;

export const startOfHour = (instant: number): number => Math.floor(instant / HOUR) * HOUR;
export const startOfDay = (instant: number): number => Math.floor(instant / DAY) * DAY;
/** Epoch day 0 (1970-01-01) was a Thursday: three days past a Monday. */
export const startOfWeek = (day: number): number => day - ((Math.floor(day / DAY) + 3) % 7) * DAY;

/** A stretch of periods of one length: [from, to) in epoch ms. */
export interface PeriodRange {
  /** HOURLY, DAILY or WEEKLY. */
  readonly hours: number;
  readonly from: number;
  readonly to: number;
}

/** The fewest day and week periods that cover the UTC days [from, to) exactly: whole weeks, and days at the ends. */
export function coverDays(from: number, to: number): PeriodRange[] {
  const firstWeek = startOfWeek(from) === from ? from : startOfWeek(from) + 7 * DAY;
  const lastWeekEnd = startOfWeek(to);
  if (firstWeek >= lastWeekEnd) return from < to ? [{ hours: DAILY, from, to }] : [];
  const ranges: PeriodRange[] = [];
  if (from < firstWeek) ranges.push({ hours: DAILY, from, to: firstWeek });
  ranges.push({ hours: WEEKLY, from: firstWeek, to: lastWeekEnd });
  if (lastWeekEnd < to) ranges.push({ hours: DAILY, from: lastWeekEnd, to });
  return ranges;
}

/** The same for an hour-aligned range [from, to): whole UTC days as above, the hours before the first and after the last. */
export function coverHours(from: number, to: number): PeriodRange[] {
  const firstDay = Math.ceil(from / DAY) * DAY;
  const lastDay = Math.floor(to / DAY) * DAY;
  if (firstDay >= lastDay) return from < to ? [{ hours: HOURLY, from, to }] : [];
  return [
    ...(from < firstDay ? [{ hours: HOURLY, from, to: firstDay }] : []),
    ...coverDays(firstDay, lastDay),
    ...(lastDay < to ? [{ hours: HOURLY, from: lastDay, to }] : []),
  ];
}
