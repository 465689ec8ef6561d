import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CLUSTER_SKIP_REASON, freshPrefix, REDIS_URL } from './redis-env.ts';
import { api, freshDatabase, startNode } from './nodes.ts';

test('WORKERS=2: one port, one shared rate limit, and SIGTERM stops every worker', { skip: CLUSTER_SKIP_REASON, timeout: 120_000 }, async () => {
  const database = await freshDatabase();
  const redisKeys = freshPrefix();
  try {
    const server = await startNode('cluster', {
      DATABASE_URL: database.url, REDIS_URL: REDIS_URL!, REDIS_PREFIX: redisKeys.prefix, WORKERS: '2', JWT_SECRET: 'workers-test-secret-workers-test-secret-0',
    }, { serve: true });
    try {
      const registered = await api<{ token: string }>(server, 'POST', '/v1/auth/register', undefined, { email: 'w@example.com', password: 'long enough' });
      while (new Date().getSeconds() > 45) await new Promise((resolve) => setTimeout(resolve, 500));
      const statuses = await Promise.all(Array.from({ length: 70 }, () => api(server, 'GET', '/v1/campaigns', registered.json.token).then((r) => r.status)));
      assert.deepEqual([statuses.filter((s) => s === 200).length, statuses.filter((s) => s === 429).length], [60, 10]);
    } finally {
      // The primary forwards SIGTERM and exits 0 only once every worker has.
      assert.equal(await server.stop(), 0, server.output());
    }
  } finally {
    await database.drop();
    await redisKeys.cleanUp();
  }
});
