import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dropPostgresSchema } from '../helpers/dialects.ts';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { openStorage, type Storage } from '../../src/storage/open-database.ts';
import { testConfig, testIntel } from '../helpers/test-app.ts';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.ts';
import { BROWSER_HEADERS } from '../helpers/http-app.ts';

const PG_URL = process.env.CLOAKRADAR_TEST_PG;

function get(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, ms: performance.now() - started }),
      );
    })
      .on('error', reject)
      .end();
  });
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe(
  'PostgreSQL goes away for a moment',
  { skip: PG_URL ? false : 'CLOAKRADAR_TEST_PG is not set: PostgreSQL runs skipped' },
  () => {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    let proxy: TcpProxy;
    let storage: Storage;
    let app: FastifyInstance;
    let base: string;

    before(async () => {
      const target = new URL(PG_URL!);
      proxy = await startTcpProxy(Number(target.port || 5432), target.hostname);
      target.port = String(proxy.port);
      storage = openStorage(target.toString(), { schema });
      app = await buildApp({
        config: testConfig({ TRUST_PROXY: '127.0.0.1' }),
        storage,
        logger: false,
        intel: await testIntel(),
        recorder: { commitWaitMs: 500, retryMs: 100, maxRetryMs: 300 },
      });
      await app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    });

    after(async () => {
      await app.close();
      await storage.close();
      await proxy.close();
      await dropPostgresSchema(schema);
    });

    test('the tracker keeps redirecting and keeps every click; the API answers 503 at once; /readyz tells', async () => {
      const registered = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/register',
        payload: { email: 'outage@example.com', password: 'a long password' },
      });
      const token = registered.json().token as string;
      const created = await app.inject({
        method: 'POST',
        url: '/api/v1/campaigns',
        headers: { authorization: `Bearer ${token}` },
        payload: { name: 'Outage', destination_url: 'https://example.com/?cid={clickid}' },
      });
      const { uuid, id } = created.json().data as { uuid: string; id: number };
      const click = (i: number) =>
        get(`${base}/c/${uuid}?sub1=${i}`, {
          ...BROWSER_HEADERS,
          'x-forwarded-for': `84.128.${i >> 8}.${(i & 255) + 1}`,
        });
      assert.equal((await click(0)).status, 302, 'the campaign is cached by the first click');

      proxy.cut();
      const during = [];
      for (let i = 1; i <= 40; i++) during.push(await click(i));
      for (const response of during) {
        assert.equal(response.status, 302);
        assert.match(String(response.headers.location), /cid=clk_/);
      }
      assert.ok(
        Math.max(...during.map((r) => r.ms)) < 3_000,
        `redirects stay quick: slowest ${Math.round(Math.max(...during.map((r) => r.ms)))} ms`,
      );

      const api = await get(`${base}/api/v1/campaigns`, { authorization: `Bearer ${token}` });
      assert.equal(api.status, 503, api.body);
      assert.ok(api.ms < 5_000, `the API answers without hanging (${Math.round(api.ms)} ms)`);
      assert.equal(JSON.parse(api.body).error.code, 'INTERNAL_ERROR');
      assert.match(JSON.parse(api.body).error.message, /database is unavailable/);
      assert.equal(api.headers['retry-after'], '5');
      const ready = await get(`${base}/readyz`);
      assert.equal(ready.status, 503);
      assert.ok(JSON.parse(ready.body).buffered_clicks >= 40, ready.body);
      // The rollup journal cannot be folded either, and /readyz says for how long.
      await until(async () => JSON.parse((await get(`${base}/readyz`)).body).rollups_behind_seconds >= 1, 5_000);

      proxy.restore();
      await until(
        async () =>
          (await get(`${base}/readyz`)).status === 200 &&
          JSON.parse((await get(`${base}/readyz`)).body).buffered_clicks === 0,
        10_000,
      );
      const listed = await get(`${base}/api/v1/clicks?campaign_id=${id}&per_page=100`, {
        authorization: `Bearer ${token}`,
      });
      assert.equal(listed.status, 200, listed.body);
      assert.equal(JSON.parse(listed.body).meta.total, 41, 'every redirected click was stored once storage came back');
      const stats = await get(`${base}/api/v1/campaigns/${id}/stats`, { authorization: `Bearer ${token}` });
      assert.equal(JSON.parse(stats.body).data.clicks, 41, 'and counted in the rollups');
      assert.equal(JSON.parse((await get(`${base}/readyz`)).body).lost_clicks, 0);
      await until(async () => JSON.parse((await get(`${base}/readyz`)).body).rollups_behind_seconds < 1, 5_000);
    });
  },
);
