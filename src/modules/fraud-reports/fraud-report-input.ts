import { AppError, validationError } from '../../errors.ts';
import { parseDateRange, startOfUtcDay } from '../../date-range.ts';
import type { AdPlatform } from './fraud-report.table.ts';

const DAY = 86_400_000;
export const MAX_REPORT_DAYS = 366;

export interface FraudReportInput {
  campaign_id: number;
  from?: string;
  to?: string;
  platform: AdPlatform;
}

export interface ReportRange {
  fromDay: string;
  toDay: string;
  from: number;
  toExclusive: number;
}

const isoDay = (time: number) => new Date(time).toISOString().slice(0, 10);

/**
 * The dates a report may cover: inclusive UTC days as everywhere (missing = the last 30 days), at most
 * a year, and none older than the raw-click retention, whose clicks may already be deleted.
 */
export function checkReportRange(
  input: Pick<FraudReportInput, 'from' | 'to'>,
  now: number,
  retentionDays: number,
): ReportRange {
  const range = parseDateRange(input, now);
  const days = (range.toExclusive - range.from) / DAY;
  if (days > MAX_REPORT_DAYS) {
    throw new AppError('VALIDATION_ERROR', `A report covers at most ${MAX_REPORT_DAYS} days; this range has ${days}`, {
      to: [
        `The range from ${isoDay(range.from)} to ${isoDay(range.toExclusive - DAY)} is longer than ${MAX_REPORT_DAYS} days`,
      ],
    });
  }
  const earliest = startOfUtcDay(now) - (retentionDays - 1) * DAY;
  if (range.from < earliest) {
    throw validationError(
      'from',
      `The from date must be ${isoDay(earliest)} or later: raw clicks are kept for ${retentionDays} days`,
    );
  }
  return {
    fromDay: isoDay(range.from),
    toDay: isoDay(range.toExclusive - DAY),
    from: range.from,
    toExclusive: range.toExclusive,
  };
}
