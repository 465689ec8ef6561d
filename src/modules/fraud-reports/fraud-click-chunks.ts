import type { FraudulentClickService } from '../clicks/fraudulent-click.service.ts';
import type { FraudReportRow } from './fraud-report.table.ts';

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

/** Lets timers, requests and the tracker run between two chunks of a long report. */
export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A report's fraudulent clicks in time order, read `chunkSize` at a time by keyset, so memory holds
 * one chunk however long the report; `between` runs after each full chunk (yield, renew a lease, stop).
 */
export async function* fraudulentClicksOf(
  clicks: FraudClickSource,
  report: FraudReportRow,
  chunkSize: number,
  between: () => Promise<void> = yieldToEventLoop,
): AsyncGenerator<FraudulentClick> {
  const scope = scopeOf(report);
  let after: { createdAt: number; id: string } | null = null;
  for (;;) {
    const chunk = await clicks.readChunk(scope, after, chunkSize);
    yield* chunk;
    const last = chunk.at(-1);
    if (!last || chunk.length < chunkSize) return;
    after = { createdAt: last.created_at, id: last.id };
    await between();
  }
}
