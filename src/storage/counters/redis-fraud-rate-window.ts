import type { Redis } from 'ioredis';
import { BUCKET_MS, MAX_WINDOW_MS, type FraudRateWindow, type FraudTotals } from './fraud-rate-window.ts';

/**
 * The fraud-rate minutes in Redis, one small hash per campaign and minute (`t` clicks, `f` fraudulent,
 * `x:<type>` per type), each expiring once no window can reach it. Adds are plain HINCRBYs (counts
 * commute, so no script is needed); a sum reads the window's minutes in one pipelined round trip.
 */
export function createRedisFraudRateWindow(redis: Redis, options: { prefix: string }): FraudRateWindow {
  const key = (campaignId: number, minute: number) => `${options.prefix}fraud-rate:${campaignId}:${minute}`;
  return {
    // A day-long window reads 1,440 hashes: once a second per campaign is plenty for an alert.
    minEvaluationIntervalMs: 1_000,
    async add(campaignId, minutes) {
      const pipeline = redis.pipeline();
      for (const [minute, counts] of minutes) {
        const name = key(campaignId, minute);
        pipeline.hincrby(name, 't', counts.total);
        if (counts.fraudulent > 0) pipeline.hincrby(name, 'f', counts.fraudulent);
        for (const [type, n] of counts.byType) pipeline.hincrby(name, `x:${type}`, n);
        pipeline.pexpire(name, MAX_WINDOW_MS + BUCKET_MS);
      }
      await pipeline.exec();
    },
    async sum(campaignId, since, now) {
      const pipeline = redis.pipeline();
      const last = Math.floor(now / BUCKET_MS);
      for (let minute = Math.floor(since / BUCKET_MS); minute <= last; minute++)
        pipeline.hgetall(key(campaignId, minute));
      const total: FraudTotals = { clicks: 0, fraudulent: 0, byType: {} };
      for (const [error, value] of (await pipeline.exec()) ?? []) {
        if (error) throw error;
        for (const [field, text] of Object.entries(value as Record<string, string>)) {
          const n = Number(text);
          if (field === 't') total.clicks += n;
          else if (field === 'f') total.fraudulent += n;
          else if (field.startsWith('x:')) total.byType[field.slice(2)] = (total.byType[field.slice(2)] ?? 0) + n;
        }
      }
      return total;
    },
  };
}
