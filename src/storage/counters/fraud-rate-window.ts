/** One minute of a campaign's clicks, as the fraud-rate watch counts them. */
export interface MinuteCounts {
  total: number;
  fraudulent: number;
  byType: Map<string, number>;
}

export interface FraudTotals {
  clicks: number;
  fraudulent: number;
  byType: Record<string, number>;
}

export const BUCKET_MS = 60_000;
/**
 * The longest window an account may choose (modules/detection-settings/fraud-alert-settings.ts): older
 * minutes are dropped.
 */
export const MAX_WINDOW_MS = 1440 * BUCKET_MS;

/**
 * A campaign's clicks per minute over the last day: in memory for one node; in Redis
 * (redis-fraud-rate-window.ts) so that every node judges the rate of all nodes' clicks. The webhooks'
 * fraud-rate alert (modules/webhooks/fraud-alert.ts) reads it.
 */
export interface FraudRateWindow {
  /** Adds a batch's clicks, keyed by minute (epoch ms / BUCKET_MS). */
  add(campaignId: number, minutes: ReadonlyMap<number, MinuteCounts>, now: number): Promise<void>;
  /** Totals of the minutes from `since` on. */
  sum(campaignId: number, since: number, now: number): Promise<FraudTotals>;
  /** Least time between two evaluations of one campaign: a shared window costs a round trip per read. */
  readonly minEvaluationIntervalMs: number;
}

export function emptyMinute(): MinuteCounts {
  return { total: 0, fraudulent: 0, byType: new Map() };
}

export function createMemoryFraudRateWindow(): FraudRateWindow {
  const campaigns = new Map<number, Map<number, MinuteCounts>>();
  return {
    minEvaluationIntervalMs: 0,
    async add(campaignId, minutes) {
      let buckets = campaigns.get(campaignId);
      if (!buckets) campaigns.set(campaignId, (buckets = new Map()));
      for (const [key, counts] of minutes) {
        let bucket = buckets.get(key);
        if (!bucket) buckets.set(key, (bucket = emptyMinute()));
        bucket.total += counts.total;
        bucket.fraudulent += counts.fraudulent;
        for (const [type, n] of counts.byType) bucket.byType.set(type, (bucket.byType.get(type) ?? 0) + n);
      }
    },
    async sum(campaignId, since, now) {
      const total: FraudTotals = { clicks: 0, fraudulent: 0, byType: {} };
      const buckets = campaigns.get(campaignId);
      if (!buckets) return total;
      const floor = Math.floor(since / BUCKET_MS);
      const expired = Math.floor((now - MAX_WINDOW_MS) / BUCKET_MS);
      for (const [key, bucket] of buckets) {
        if (key < expired) buckets.delete(key);
        if (key < floor) continue;
        total.clicks += bucket.total;
        total.fraudulent += bucket.fraudulent;
        for (const [type, n] of bucket.byType) total.byType[type] = (total.byType[type] ?? 0) + n;
      }
      return total;
    },
  };
}
