import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/** Redis for the scale tests: REDIS_TEST_URL (.ci/run sets it); absent, those tests are skipped. */
export const REDIS_URL = process.env.REDIS_TEST_URL;
export const REDIS_SKIP_REASON = REDIS_URL
  ? false
  : 'REDIS_TEST_URL is not set: the Redis and several-node tests are SKIPPED';
export const PG_URL = process.env.CLOAKRADAR_TEST_PG;
export const CLUSTER_SKIP_REASON = !REDIS_URL
  ? REDIS_SKIP_REASON
  : !PG_URL
    ? 'CLOAKRADAR_TEST_PG is not set: the several-node tests (PostgreSQL + Redis) are SKIPPED'
    : false;

/** A key prefix of its own per test run, and how to delete every key under it. */
export function freshPrefix(): { prefix: string; cleanUp(): Promise<void> } {
  const prefix = `crtest:${randomBytes(5).toString('hex')}:`;
  return {
    prefix,
    async cleanUp() {
      const redis = new Redis(REDIS_URL!);
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) await redis.unlink(...keys);
      } while (cursor !== '0');
      await redis.quit();
    },
  };
}
