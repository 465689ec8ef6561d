import type { FraudulentClickService } from '../clicks/fraudulent-click.service.ts';
import type { FraudReportRow } from './fraud-report.table.ts';
import { keysetPages, yieldToEventLoop } from '../../keyset-pages.ts';

export type FraudClickSource = Pick<FraudulentClickService, 'summarize' | 'readChunk'>;
export type FraudulentClick = Awaited<ReturnType<FraudClickSource['readChunk']>>[number];

export const DEFAULT_CHUNK_SIZE = 1_000;

export function scopeOf(report: FraudReportRow) {
  return {
    userId: report.user_id,
    campaignId: report.campaign_id,
    from: report.range_from,
    toExclusive: report.range_to,
  };
}

/**
 * A report's fraudulent clicks in time order, read `chunkSize` at a time by keyset (keyset-pages.ts),
 * so memory holds one chunk however long the report; `between` runs after each full chunk (yield, renew a lease, stop).
 */
export function fraudulentClicksOf(
  clicks: FraudClickSource,
  report: FraudReportRow,
  chunkSize: number,
  between: () => Promise<void> = yieldToEventLoop,
): AsyncGenerator<FraudulentClick> {
  const scope = scopeOf(report);
  return keysetPages(
    (after: { createdAt: number; id: string } | null, limit) => clicks.readChunk(scope, after, limit),
    (click) => ({ createdAt: click.created_at, id: click.id }),
    chunkSize,
    between,
  );
}
