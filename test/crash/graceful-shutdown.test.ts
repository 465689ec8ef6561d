import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage } from '../../src/storage/open-database.ts';
import { startServerProcess } from '../helpers/server-process.ts';

test('SIGTERM finishes in-flight clicks, then exits 0', { timeout: 60_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cloakradar-term-'));
  const server = await startServerProcess({
    DATA_DIR: dataDir,
    JWT_SECRET: 'term-test-secret-term-test-secret-000000',
    // The 50 clicks come from one address within milliseconds: past the row gate's default 20 a second they are
    // counted but not stored as rows (test/api/click-bounds), so this test, about shutdown, lifts the gate.
    CLICK_ROWS_PER_ADDRESS_PER_SECOND: '1000',
  });
  const headers = { 'content-type': 'application/json' };
  const { token } = (await (
    await fetch(`${server.baseUrl}/api/v1/auth/register`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ email: 't@example.com', password: 'long enough' }),
    })
  ).json()) as { token: string };
  const campaign = (await (
    await fetch(`${server.baseUrl}/api/v1/campaigns`, {
      method: 'POST',
      headers: { ...headers, authorization: `Bearer ${token}` },
      body: JSON.stringify({ name: 'T', destination_url: 'https://x.example/?c={clickid}' }),
    })
  ).json()) as { data: { uuid: string } };
  const inFlight = Array.from({ length: 50 }, () =>
    fetch(`${server.baseUrl}/c/${campaign.data.uuid}`, { redirect: 'manual' }).then(
      (r) => r.status,
      () => 0,
    ),
  );
  await new Promise((resolve) => setTimeout(resolve, 20));
  const exited = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));
  server.child.kill('SIGTERM');
  assert.equal(await exited, 0, server.output());
  const redirected = (await Promise.all(inFlight)).filter((status) => status === 302).length;
  const storage = openStorage(`sqlite:${join(dataDir, 'cloakradar.db')}`);
  const stored = await storage.db
    .selectFrom('clicks')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  await storage.close();
  assert.ok(Number(stored.n) >= redirected, `${stored.n} stored, ${redirected} redirected`);
});
