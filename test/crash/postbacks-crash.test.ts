import { test } from 'node:test';
import { get as httpGet } from 'node:http';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIALECTS, POSTGRES_SKIP_REASON, freshDatabaseUrl } from '../helpers/dialects.ts';
import { freePort, startServerProcess, type ServerProcess } from '../helpers/server-process.ts';
import { callApi } from '../helpers/server-api.ts';
import { startPostbackReceiver, type PostbackReceiver } from '../helpers/postback-receiver.ts';

const api = (server: ServerProcess, method: string, path: string, token?: string, body?: unknown) =>
  callApi(server.baseUrl, method, path, token, body);

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A visitor's click through the tracking URL (node:http: fetch's Sec-Fetch-Mode: cors would make it a bot). */
function click(server: ServerProcess, path: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    httpGet(
      `${server.baseUrl}${path}`,
      { headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0.0.0 Safari/537.36' } },
      (res) => {
        res.resume();
        resolve(new URL(res.headers.location ?? '').searchParams.get('cid') ?? '');
      },
    ).on('error', reject);
  });
}

for (const dialect of DIALECTS) {
  test(
    `kill -9 between the conversion and the network's postback: exactly one call after the restart [${dialect.name}]`,
    { timeout: 120_000 },
    async (t) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'cloakradar-pbcrash-'));
      const database = await freshDatabaseUrl(dialect.name, dataDir, 'pbcrash');
      const networkPort = await freePort();
      const env = {
        DATA_DIR: dataDir,
        DATABASE_URL: database.url,
        JWT_SECRET: 'crash-test-secret-crash-test-secret-0000',
        WEBHOOKS_ALLOW_PRIVATE_TARGETS: 'true',
        WEBHOOKS_RETRY_BASE_SECONDS: '1',
      };
      let network: PostbackReceiver | undefined;
      try {
        const first = await startServerProcess(env);
        const { json: registered } = await api(first, 'POST', '/api/v1/auth/register', undefined, {
          email: 'network@example.com',
          password: 'long enough',
        });
        const token = registered.token as string;
        const source = (
          await api(first, 'POST', '/api/v1/traffic-sources', token, {
            name: 'PropellerAds',
            template: 'propellerads',
            postback_url: `http://127.0.0.1:${networkPort}/pb?aid=1&tid=2&visitor_id={external_id}&payout={payout}`,
          })
        ).json.data;
        const campaign = (
          await api(first, 'POST', '/api/v1/campaigns', token, {
            name: 'Crash',
            destination_url: 'https://shop.example/?cid={clickid}',
            traffic_source_id: source.id,
            // Converted the instant after the click: the fake-lead timing rule is off here.
            min_time_to_convert: 0,
          })
        ).json.data;
        const clickId = await click(first, `/c/${campaign.uuid as string}?visitor_id=pa-crash-1&zone=77`);
        assert.match(clickId, /^clk_/);

        // The network is down, so nothing can have arrived; kill -9 right after the conversion is acknowledged.
        const acknowledged = await fetch(
          `${first.baseUrl}/api/v1/postback?clickid=${clickId}&payout=7.25&txid=crash-1&event=sale`,
        );
        assert.equal(acknowledged.status, 201);
        await first.crash();

        network = await startPostbackReceiver({}, networkPort);
        const second = await startServerProcess(env);
        try {
          await until(() => network!.lines.length >= 1, 30_000, 'the postback after the restart');
          // Long enough for any duplicate: retries are 1 s apart, and a lease held by the dead process has run out.
          await new Promise((resolve) => setTimeout(resolve, 3_000));
          assert.deepEqual(network.lines, ['GET /pb?aid=1&tid=2&visitor_id=pa-crash-1&payout=7.25 HTTP/1.1']);

          const log = (await api(second, 'GET', `/api/v1/traffic-sources/${source.id as number}/postbacks`, token)).json
            .data as unknown as Array<{ status: string; attempts: number; last_status_code: number | null }>;
          assert.equal(log.length, 1);
          assert.equal(log[0]!.status, 'delivered');
          assert.equal(log[0]!.last_status_code, 200);
          t.diagnostic(`delivered after ${log[0]!.attempts} attempts across a kill -9`);
        } finally {
          await second.stop();
        }
      } finally {
        await network?.close();
        await database.drop();
      }
    },
  );
}
if (POSTGRES_SKIP_REASON)
  test('kill -9 between conversion and postback [postgres]', { skip: POSTGRES_SKIP_REASON }, () => undefined);
