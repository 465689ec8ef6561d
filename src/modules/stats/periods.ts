/**
 * The periods rollups are kept for, and how a range is cut into them.
 *
 * A report's cost is the number of rollup rows it sums: periods × campaigns × values. With one row per
 * campaign, UTC day and value, a 30-day city report summed hundreds of thousands of rows at 10M clicks
 * (BENCHMARKS.md, "Measurements behind the code"). So each row is also added, in the same
 * transaction, to:
 * - the same period for ALL_CAMPAIGNS, so an account-wide report reads one campaign's worth of rows, not
 *   one set per campaign (totals per campaign still read per campaign: each has its own cost model);
 * - for days, their UTC week (Monday to Monday), for the campaign and for ALL_CAMPAIGNS, so a range reads
 *   whole weeks plus at most 4 days at each end, added or taken away (daysOfWeek below): 30 days are 6
 *   to 10 periods instead of 30 (9 to 15 with days only added). A week's rows are summed from its days
 *   once the week is over (migration 030, stats.repository.ts `buildClosedWeek`), and only later changes
 *   to it are folded in as they come; until then it is read as its days (readableRanges).
 * Weeks rather than longer blocks: with blocks of b days a 30-day range reads about b edge periods (b/2
 * at each end) plus 30/b blocks, fewest around b = 5–6; 7 keeps blocks on calendar weeks (the clicks'
 * partitions too).
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
  /** Days outside the range, of a week read whole: their rows are taken away from the sums, not added. */
  readonly subtract?: true;
}

/**
 * The days [from, to) of the week starting at `week`: the days themselves, or the whole week less the
 * days outside the range when that reads fewer periods (1 + (7 − k) < k from k = 5 days on). Each row is
 * an exact sum, so a week less some of its days is exactly the rest of its days; a value seen only on
 * the days taken away sums to zero clicks, and readers leave it out. This keeps the edges of a range to
 * at most 4 periods each instead of 6.
 */
function daysOfWeek(week: number, from: number, to: number): PeriodRange[] {
  const inside = (to - from) / DAY;
  const weekEnd = week + 7 * DAY;
  if (inside === 7) return [{ hours: WEEKLY, from: week, to: weekEnd }];
  if (inside <= 4) return [{ hours: DAILY, from, to }];
  return [
    { hours: WEEKLY, from: week, to: weekEnd },
    ...(week < from ? [{ hours: DAILY, from: week, to: from, subtract: true as const }] : []),
    ...(to < weekEnd ? [{ hours: DAILY, from: to, to: weekEnd, subtract: true as const }] : []),
  ];
}

/** The fewest day and week periods whose sum is exactly the UTC days [from, to): whole weeks, and days at the ends (see daysOfWeek). */
export function coverDays(from: number, to: number): PeriodRange[] {
  if (from >= to) return [];
  const firstWeek = startOfWeek(from);
  const lastWeek = startOfWeek(to - DAY);
  if (firstWeek === lastWeek) return daysOfWeek(firstWeek, from, to);
  const ranges = [
    ...daysOfWeek(firstWeek, from, firstWeek + 7 * DAY),
    ...(firstWeek + 7 * DAY < lastWeek ? [{ hours: WEEKLY, from: firstWeek + 7 * DAY, to: lastWeek }] : []),
    ...daysOfWeek(lastWeek, lastWeek, to),
  ];
  // The weeks read whole are consecutive: one stretch, so one key-range read.
  const weeks = ranges.filter((range) => range.hours === WEEKLY);
  const days = ranges.filter((range) => range.hours !== WEEKLY);
  const first = weeks[0];
  const last = weeks.at(-1);
  return first && last ? [{ hours: WEEKLY, from: first.from, to: last.to }, ...days] : days;
}

/**
 * `ranges` (a cover above) as they can be read when only the weeks before `builtUntil` have week rows
 * (a week's rows are summed from its days once it is over: stats.repository.ts `buildClosedWeek`): a
 * week from `builtUntil` on is read as its seven days instead. The days a cover takes away from such a
 * week stay taken away, so the sum is still exactly the cover's days.
 */
export function readableRanges(ranges: readonly PeriodRange[], builtUntil: number): PeriodRange[] {
  return ranges.flatMap((range) => {
    if (range.hours !== WEEKLY || range.to <= builtUntil) return [range];
    const split = Math.max(range.from, builtUntil);
    return [...(range.from < split ? [{ ...range, to: split }] : []), { ...range, hours: DAILY, from: split }];
  });
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

/**
 * The journal's share of a report over `ranges` (a cover above): the journal holds campaigns' own hours
 * and days only, so a week is read there as its days, and a week less some days as the days left. Net,
 * a cover's days are one stretch, read once, instead of once per period and again, negated, for the
 * days a week gives back (and each stretch is one more branch for the database to plan).
 */
export function unfoldedRanges(ranges: readonly PeriodRange[]): PeriodRange[] {
  // A sweep over the day periods' ends: +1 where an added period starts, −1 where a taken-away one does.
  const depth = new Map<number, number>();
  const step = (at: number, change: number) => depth.set(at, (depth.get(at) ?? 0) + change);
  for (const range of ranges) {
    if (range.hours === HOURLY) continue;
    const sign = range.subtract ? -1 : 1;
    step(range.from, sign);
    step(range.to, -sign);
  }
  const days: PeriodRange[] = [];
  let level = 0;
  let start = 0;
  for (const [at, change] of [...depth].sort(([a], [b]) => a - b)) {
    if (level <= 0 && level + change > 0) start = at;
    if (level > 0 && level + change <= 0) days.push({ hours: DAILY, from: start, to: at });
    level += change;
  }
  return [...ranges.filter((range) => range.hours === HOURLY), ...days];
}
