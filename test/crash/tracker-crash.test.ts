import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage } from '../../src/storage/open-database.ts';
import { DIALECTS, POSTGRES_SKIP_REASON, freshDatabaseUrl } from '../helpers/dialects.ts';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.ts';


async function json(response: Response) {
  return (await response.json()) as { token: string; data: { uuid: string } };
}

async function setUpCampaign(server: ServerProcess): Promise<string> {
  const headers = { 'content-type': 'application/json' };
  const registered = await json(await fetch(`${server.baseUrl}/api/v1/auth/register`, { method: 'POST', headers, body: JSON.stringify({ email: 'crash@example.com', password: 'long enough' }) }));
  const campaign = await json(
    await fetch(`${server.baseUrl}/api/v1/campaigns`, {
      method: 'POST',
      headers: { ...headers, authorization: `Bearer ${registered.token}` },
      body: JSON.stringify({ name: 'Crash', destination_url: 'https://shop.example/?cid={clickid}' }),
    }),
  );
  return campaign.data.uuid;
}

/** Clicks from `workers` concurrent visitors until the server dies; returns the ids that reached a visitor. */
async function clickUntilDead(server: ServerProcess, uuid: string, workers: number): Promise<string[]> {
  const redirected: string[] = [];
  let alive = true;
  const worker = async (w: number) => {
    for (let i = 0; alive; i++) {
      try {
        const response = await fetch(`${server.baseUrl}/c/${uuid}?sub1=${w}-${i}`, {
          redirect: 'manual',
          headers: { 'x-forwarded-for': `84.${w}.${(i >> 8) & 255}.${i & 255}`, 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0.0.0 Safari/537.36' },
        });
        if (response.status === 302) redirected.push(new URL(response.headers.get('location')!).searchParams.get('cid')!);
      } catch {
        alive = false;
      }
    }
  };
  const running = Array.from({ length: workers }, (_, w) => worker(w));
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  await server.crash();
  alive = false;
  await Promise.all(running);
  return redirected;
}

for (const dialect of DIALECTS) {
  test(`kill -9 mid-stream loses no redirected click [${dialect.name}]`, { timeout: 120_000 }, async (t) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cloakradar-crash-'));
    const database = await freshDatabaseUrl(dialect.name, dataDir, 'crash');
    const env = { DATA_DIR: dataDir, DATABASE_URL: database.url, TRUST_PROXY: '127.0.0.1', JWT_SECRET: 'crash-test-secret-crash-test-secret-0000' };
    try {
      const first = await startServerProcess(env);
      const uuid = await setUpCampaign(first);
      const redirected = await clickUntilDead(first, uuid, 32);
      assert.ok(redirected.length > 100, `enough clicks in flight (${redirected.length})`);

      const second = await startServerProcess(env);
      const storage = openStorage(database.url);
      try {
        const stored = new Set((await storage.db.selectFrom('clicks').select('id').execute()).map((row) => row.id));
        const missing = redirected.filter((id) => !stored.has(id));
        assert.deepEqual(missing, [], `${missing.length} of ${redirected.length} redirected clicks were lost`);
        t.diagnostic(`${redirected.length} clicks redirected before the kill, all ${stored.size} stored clicks survived`);
        assert.ok((await fetch(`${second.baseUrl}/c/${uuid}`, { redirect: 'manual' })).status === 302, 'tracking works after the restart');
      } finally {
        await storage.close();
        await second.stop();
      }
    } finally {
      await database.drop();
    }
  });
}
if (POSTGRES_SKIP_REASON) test('kill -9 mid-stream loses no redirected click [postgres]', { skip: POSTGRES_SKIP_REASON }, () => undefined);
