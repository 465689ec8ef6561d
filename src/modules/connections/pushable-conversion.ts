import type { ConversionRow } from '../conversions/conversion.table.ts';

/**
 * The one rule of which conversions go to an ad platform: counted (not rejected: SPEC section 3's
 * count) and not suspicious (SPEC section 10: a fake lead must not teach the platform's bidding to
 * buy more of the traffic that made it). Checked when the job is queued and again when it is sent.
 */
export function isPushableConversion(row: Pick<ConversionRow, 'status' | 'suspicious'>): boolean {
  return row.status !== 'rejected' && row.suspicious === 0;
}
