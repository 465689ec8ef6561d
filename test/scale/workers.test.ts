import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLUSTER_SKIP_REASON, freshPrefix, REDIS_URL } from './redis-env.ts';
import { api, freshDatabase, startNode } from './nodes.ts';
import { startWithRoomInMinute } from '../helpers/minute-window.ts';

const BIN = fileURLToPath(new URL('../../bin/cloakradar.js', import.meta.url));

test(
  'WORKERS=2: one port, one shared rate limit, and SIGTERM stops every worker',
  { skip: CLUSTER_SKIP_REASON, timeout: 120_000 },
  async () => {
    const database = await freshDatabase();
    const redisKeys = freshPrefix();
    try {
      const server = await startNode(
        'cluster',
        {
          DATABASE_URL: database.url,
          REDIS_URL: REDIS_URL!,
          REDIS_PREFIX: redisKeys.prefix,
          WORKERS: '2',
          JWT_SECRET: 'workers-test-secret-workers-test-secret-0',
        },
        { serve: true },
      );
      try {
        const registered = await api<{ token: string }>(server, 'POST', '/v1/auth/register', undefined, {
          email: 'w@example.com',
          password: 'long enough',
        });
        await startWithRoomInMinute(15_000);
        const statuses = await Promise.all(
          Array.from({ length: 70 }, () =>
            api(server, 'GET', '/v1/campaigns', registered.json.token).then((r) => r.status),
          ),
        );
        assert.deepEqual(
          [statuses.filter((s) => s === 200).length, statuses.filter((s) => s === 429).length],
          [60, 10],
        );
      } finally {
        // The primary forwards SIGTERM and exits 0 only once every worker has.
        assert.equal(await server.stop(), 0, server.output());
      }
    } finally {
      await database.drop();
      await redisKeys.cleanUp();
    }
  },
);

test(
  'SIGTERM while the workers are still starting stops them all and exits 0',
  { skip: CLUSTER_SKIP_REASON, timeout: 60_000 },
  async () => {
    const redisKeys = freshPrefix();
    try {
      const child = spawn(process.execPath, [BIN, 'serve'], {
        env: {
          ...process.env,
          LOG_LEVEL: 'warn',
          HOST: '127.0.0.1',
          PORT: '0',
          DATA_DIR: mkdtempSync(join(tmpdir(), 'cloakradar-early-')),
          WORKERS: '2',
          REDIS_URL: REDIS_URL!,
          REDIS_PREFIX: redisKeys.prefix,
          JWT_SECRET: 'workers-test-secret-workers-test-secret-0',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      // The primary says so right after forking; the workers need a second or more to build the app.
      child.stderr!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('workers started') && child.signalCode === null && !child.killed) child.kill('SIGTERM');
      });
      const code = await new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
      assert.equal(code, 0, output);
    } finally {
      await redisKeys.cleanUp();
    }
  },
);
