import { AppError, type ErrorDetails } from './errors.ts';

const DAY = 86_400_000;
export const DEFAULT_RANGE_DAYS = 30;

export interface DateRange {
  /** Start of `from`, UTC, epoch ms. */
  readonly from: number;
  /** Start of the day after `to`: the range is inclusive of whole days. */
  readonly toExclusive: number;
}

function parseDay(value: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return undefined;
  const time = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  // Date.UTC rolls 2024-02-31 over into March; a real calendar date round-trips.
  return new Date(time).toISOString().startsWith(value) ? time : undefined;
}

export function startOfUtcDay(now: number): number {
  return Math.floor(now / DAY) * DAY;
}

/** `from`/`to` are inclusive UTC dates; missing ones mean the last 30 days including today. */
export function parseDateRange(query: { from?: string; to?: string }, now: number): DateRange {
  const details: ErrorDetails = {};
  const today = startOfUtcDay(now);
  const to = query.to === undefined ? today : parseDay(query.to);
  if (to === undefined) details.to = ['The to field must be a date as YYYY-MM-DD'];
  const from = query.from === undefined ? (to ?? today) - (DEFAULT_RANGE_DAYS - 1) * DAY : parseDay(query.from);
  if (from === undefined) details.from = ['The from field must be a date as YYYY-MM-DD'];
  if (from !== undefined && to !== undefined && from > to)
    details.from = ['The from date must not be after the to date'];
  const first = Object.values(details)[0]?.[0];
  if (first) throw new AppError('VALIDATION_ERROR', first, details);
  return { from: from!, toExclusive: to! + DAY };
}
