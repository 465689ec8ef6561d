import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LockPolicy } from '../../src/storage/counters/failure-lock.ts';
import { createMemoryFailureLock } from '../../src/storage/counters/memory-failure-lock.ts';
import { openRedis, waitForRedis } from '../../src/storage/counters/redis-client.ts';
import { createRedisFailureLock } from '../../src/storage/counters/redis-failure-lock.ts';
import { SIGN_IN_LOCK } from '../../src/modules/accounts/sign-in-throttle.ts';
import { freshPrefix, REDIS_SKIP_REASON, REDIS_URL } from './redis-env.ts';

test(
  'sign-in locks in Redis: two nodes count one account together, locks grow as the memory lock counts them',
  { skip: REDIS_SKIP_REASON },
  async () => {
    const { prefix, cleanUp } = freshPrefix();
    const nodes = [openRedis(REDIS_URL!), openRedis(REDIS_URL!)];
    await Promise.all(nodes.map((redis) => waitForRedis(redis)));
    try {
      const [a, b] = nodes.map((redis) => createRedisFailureLock(redis, { prefix }));
      const memory = createMemoryFailureLock();
      const now = Date.now();
      const policy: LockPolicy = { ...SIGN_IN_LOCK, baseLockMs: 5_000 };
      for (let i = 0; i < 14; i++) {
        const node = i % 2 ? a! : b!;
        assert.equal(
          await node.fail('victim', policy, now),
          await memory.fail('victim', policy, now),
          `failure ${i + 1}`,
        );
      }
      const locked = await a!.lockedFor('victim', now);
      assert.ok(locked > SIGN_IN_LOCK.maxLockMs - 5_000 && locked <= SIGN_IN_LOCK.maxLockMs, `capped: ${locked}`);
      assert.ok((await b!.lockedFor('victim', now)) > 0, 'the other node sees the lock');
      assert.equal(await b!.lockedFor('someone-else', now), 0);
      await b!.clear('victim');
      assert.equal(await a!.lockedFor('victim', now), 0, 'a success on one node clears it on all');
      assert.equal(await a!.fail('victim', policy, now), 0, 'and the count starts afresh');
    } finally {
      await Promise.all(nodes.map((redis) => redis.quit()));
      await cleanUp();
    }
  },
);
