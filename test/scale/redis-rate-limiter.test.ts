import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryRateLimiter } from '../../src/storage/counters/memory-rate-limiter.ts';
import { openRedis, waitForRedis } from '../../src/storage/counters/redis-client.ts';
import { createRedisRateLimiter } from '../../src/storage/counters/redis-rate-limiter.ts';
import { freshPrefix, REDIS_SKIP_REASON, REDIS_URL } from './redis-env.ts';

const WINDOWS = [
  { limit: 5, windowMs: 60_000 },
  { limit: 8, windowMs: 86_400_000 },
];

test(
  'the Redis limiter decides as the memory one, across minutes and the day',
  { skip: REDIS_SKIP_REASON },
  async () => {
    const { prefix, cleanUp } = freshPrefix();
    const redis = openRedis(REDIS_URL!);
    await waitForRedis(redis);
    try {
      const shared = createRedisRateLimiter(redis, { prefix });
      const memory = createMemoryRateLimiter();
      const start = Date.UTC(2026, 0, 1, 12);
      for (let i = 0; i < 20; i++) {
        const now = start + (i < 10 ? i * 1000 : 60_000 + i * 1000);
        assert.deepEqual(
          await shared.consume('user:1', WINDOWS, now),
          await memory.consume('user:1', WINDOWS, now),
          `request ${i}`,
        );
      }
      assert.equal((await shared.consume('user:2', WINDOWS, start)).allowed, true, 'another key has its own buckets');
    } finally {
      await redis.quit();
      await cleanUp();
    }
  },
);

test('two connections (two nodes) share one limit exactly', { skip: REDIS_SKIP_REASON }, async () => {
  const { prefix, cleanUp } = freshPrefix();
  const nodes = [openRedis(REDIS_URL!), openRedis(REDIS_URL!)];
  await Promise.all(nodes.map((redis) => waitForRedis(redis)));
  try {
    const limiters = nodes.map((redis) => createRedisRateLimiter(redis, { prefix }));
    const now = Date.UTC(2026, 0, 1, 12);
    const decisions = await Promise.all(
      Array.from({ length: 70 }, (_, i) => limiters[i % 2]!.consume('k', [{ limit: 60, windowMs: 60_000 }], now)),
    );
    assert.equal(decisions.filter((d) => d.allowed).length, 60);
  } finally {
    await Promise.all(nodes.map((redis) => redis.quit()));
    await cleanUp();
  }
});
