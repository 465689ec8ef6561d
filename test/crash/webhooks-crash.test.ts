import { test } from 'node:test';
import { get as httpGet } from 'node:http';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DIALECTS, POSTGRES_SKIP_REASON, freshDatabaseUrl } from '../helpers/dialects.ts';
import { freePort, startServerProcess, type ServerProcess } from '../helpers/server-process.ts';
import { callApi } from '../helpers/server-api.ts';

const EXAMPLE = fileURLToPath(new URL('../../examples/webhook-receiver.mjs', import.meta.url));

const api = (server: ServerProcess, method: string, path: string, token?: string, body?: unknown) =>
  callApi(server.baseUrl, method, path, token, body);

/** The README's example receiver, as a user would start it; resolves each verified event it prints. */
function startExampleReceiver(port: number, secret: string) {
  const child: ChildProcess = spawn(process.execPath, [EXAMPLE], {
    env: { ...process.env, WEBHOOK_SECRET: secret, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events: Array<{ id: string; type: string; data: Record<string, unknown> }> = [];
  let buffered = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) if (line.trim()) events.push(JSON.parse(line));
  });
  const listening = new Promise<void>((resolve) =>
    child.stderr!.on('data', (chunk: Buffer) => chunk.toString().includes('listening') && resolve()),
  );
  return { child, events, listening, stop: () => child.kill('SIGKILL') };
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

for (const dialect of DIALECTS) {
  test(
    `kill -9 between the postback's commit and the delivery loses no webhook event [${dialect.name}]`,
    { timeout: 120_000 },
    async (t) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'cloakradar-whcrash-'));
      const database = await freshDatabaseUrl(dialect.name, dataDir, 'whcrash');
      const receiverPort = await freePort();
      const env = {
        DATA_DIR: dataDir,
        DATABASE_URL: database.url,
        JWT_SECRET: 'crash-test-secret-crash-test-secret-0000',
        WEBHOOKS_ALLOW_PRIVATE_TARGETS: 'true',
        WEBHOOKS_RETRY_BASE_SECONDS: '1',
      };
      let receiver: ReturnType<typeof startExampleReceiver> | undefined;
      try {
        const first = await startServerProcess(env);
        const { json: registered } = await api(first, 'POST', '/api/v1/auth/register', undefined, {
          email: 'hooks@example.com',
          password: 'long enough',
        });
        const token = registered.token as string;
        const campaign = (
          await api(first, 'POST', '/api/v1/campaigns', token, {
            name: 'Crash',
            destination_url: 'https://shop.example/?cid={clickid}',
          })
        ).json.data;
        const webhook = (
          await api(first, 'POST', '/api/v1/webhooks', token, { url: `http://127.0.0.1:${receiverPort}/` })
        ).json.data;

        // The receiver is down: the first attempts fail and the event waits in the outbox.
        const click = await fetch(`${first.baseUrl}/c/${campaign.uuid as string}`, {
          redirect: 'manual',
          headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0.0.0 Safari/537.36' },
        });
        const clickId = new URL(click.headers.get('location')!).searchParams.get('cid')!;
        const acknowledged = await fetch(`${first.baseUrl}/api/v1/postback?clickid=${clickId}&payout=7&txid=crash-1`);
        assert.equal(acknowledged.status, 201);
        const conversion = ((await acknowledged.json()) as { data: { id: number } }).data;
        await until(
          async () => {
            const list = (await api(first, 'GET', `/api/v1/webhooks/${webhook.id as number}/deliveries`, token)).json
              .data as unknown as Array<{ attempt_count: number }>;
            return (list[0]?.attempt_count ?? 0) >= 1;
          },
          10_000,
          'a failed first attempt',
        );
        await first.crash();

        receiver = startExampleReceiver(receiverPort, webhook.secret as string);
        await receiver.listening;
        const second = await startServerProcess(env);
        try {
          await until(() => receiver!.events.length >= 1, 30_000, 'the event after the restart');
          const [event] = receiver.events;
          assert.equal(event!.type, 'conversion.created');
          assert.equal(event!.data.id, conversion.id);
          assert.equal(event!.data.click_id, clickId);

          // And events keep coming after the restart (a second click: a click converts once by default).
          // node:http, not fetch: fetch's Sec-Fetch-Mode: cors would make the visitor a bot (click-stream.ts).
          const location = await new Promise<string>((resolve, reject) => {
            httpGet(
              `${second.baseUrl}/c/${campaign.uuid as string}`,
              { headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0.0.0 Safari/537.36' } },
              (res) => {
                res.resume();
                resolve(res.headers.location ?? '');
              },
            ).on('error', reject);
          });
          const nextClickId = new URL(location).searchParams.get('cid')!;
          const again = await fetch(`${second.baseUrl}/api/v1/postback?clickid=${nextClickId}&payout=9&txid=crash-2`);
          assert.equal(again.status, 201);
          await until(() => receiver!.events.length >= 2, 10_000, 'a new event after the restart');

          const deliveries = (await api(second, 'GET', `/api/v1/webhooks/${webhook.id as number}/deliveries`, token))
            .json.data as unknown as Array<{
            status: string;
            event_id: string;
            attempts: Array<{ status_code: number | null; error: string | null }>;
          }>;
          const crashed = deliveries.find((delivery) => delivery.event_id === event!.id)!;
          assert.equal(crashed.status, 'succeeded');
          assert.ok(crashed.attempts.length >= 2, 'the failed attempts and the success are all listed');
          assert.equal(crashed.attempts[0]!.status_code, null);
          assert.equal(crashed.attempts[0]!.error, 'connection refused', 'no address or port in the record');
          assert.equal(crashed.attempts.at(-1)!.status_code, 200);
          t.diagnostic(`delivered after ${crashed.attempts.length} attempts across a kill -9`);
        } finally {
          await second.stop();
        }
      } finally {
        receiver?.stop();
        await database.drop();
      }
    },
  );
}
if (POSTGRES_SKIP_REASON)
  test('kill -9 between commit and delivery [postgres]', { skip: POSTGRES_SKIP_REASON }, () => undefined);
