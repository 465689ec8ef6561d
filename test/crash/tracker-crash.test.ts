import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage } from '../../src/storage/open-database.ts';
import { DIALECTS, POSTGRES_SKIP_REASON, freshDatabaseUrl } from '../helpers/dialects.ts';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.ts';
import { setUpAccountWithCampaign } from '../helpers/server-api.ts';
import { startClickStream } from '../helpers/click-stream.ts';

/** Clicks from `workers` concurrent visitors for 2 s, then kill -9; returns the ids that reached a visitor. */
async function clickUntilDead(server: ServerProcess, uuid: string, workers: number): Promise<string[]> {
  const stream = startClickStream({ baseUrl: server.baseUrl, uuid, workers });
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  await server.crash();
  await stream.done;
  return stream.redirected;
}

for (const dialect of DIALECTS) {
  test(`kill -9 mid-stream loses no redirected click [${dialect.name}]`, { timeout: 120_000 }, async (t) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cloakradar-crash-'));
    const database = await freshDatabaseUrl(dialect.name, dataDir, 'crash');
    const env = {
      DATA_DIR: dataDir,
      DATABASE_URL: database.url,
      TRUST_PROXY: '127.0.0.1',
      JWT_SECRET: 'crash-test-secret-crash-test-secret-0000',
    };
    try {
      const first = await startServerProcess(env);
      const { uuid } = (
        await setUpAccountWithCampaign(first.baseUrl, 'crash@example.com', {
          name: 'Crash',
          destination_url: 'https://shop.example/?cid={clickid}',
        })
      ).campaign;
      const redirected = await clickUntilDead(first, uuid, 32);
      assert.ok(redirected.length > 100, `enough clicks in flight (${redirected.length})`);

      const second = await startServerProcess(env);
      const storage = openStorage(database.url);
      try {
        const stored = new Set((await storage.db.selectFrom('clicks').select('id').execute()).map((row) => row.id));
        const missing = redirected.filter((id) => !stored.has(id));
        assert.deepEqual(missing, [], `${missing.length} of ${redirected.length} redirected clicks were lost`);
        t.diagnostic(
          `${redirected.length} clicks redirected before the kill, all ${stored.size} stored clicks survived`,
        );
        assert.ok(
          (await fetch(`${second.baseUrl}/c/${uuid}`, { redirect: 'manual' })).status === 302,
          'tracking works after the restart',
        );
      } finally {
        await storage.close();
        await second.stop();
      }
    } finally {
      await database.drop();
    }
  });
}
if (POSTGRES_SKIP_REASON)
  test('kill -9 mid-stream loses no redirected click [postgres]', { skip: POSTGRES_SKIP_REASON }, () => undefined);
