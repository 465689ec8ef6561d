import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialectOverHttp, type HttpTestApp } from '../helpers/http-app.ts';
import type { ExtraAppOptions } from '../helpers/test-app.ts';
import { startPostbackReceiver, type PostbackReceiver } from '../helpers/postback-receiver.ts';

/** Loopback targets allowed (the SSRF guard refuses them otherwise), fast polls, retries and timeouts. */
const ALLOW_LOCAL = { WEBHOOKS_ALLOW_PRIVATE_TARGETS: 'true', TRUST_PROXY: '127.0.0.1' };
const FAST_POSTBACKS: ExtraAppOptions = {
  postbacks: {
    pollIntervalMs: 20,
    timeoutMs: 500,
    retry: { baseDelayMs: 40, maxDelayMs: 150, maxAgeMs: 60_000, jitter: 0.2 },
  },
};

interface LogEntry {
  id: number;
  conversion_id: number;
  click_id: string;
  url: string;
  status: string;
  reason: string | null;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  response_excerpt: string | null;
  attempt_log: Array<{ status_code: number | null; error: string | null }>;
}

let receiver: PostbackReceiver;
before(async () => {
  receiver = await startPostbackReceiver();
});
after(async () => {
  await receiver.close();
});

/** Each test's own path under /ok, /fail or /hang: the receiver is shared by both dialects' suites. */
let pathCounter = 0;
const uniquePath = (base: string) => `${base}-${++pathCounter}`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let ipCounter = 0;
/** A fresh visitor per click (one address's repeats are duplicates, and past its row rate not stored). */
const nextIp = () => `84.129.${Math.floor(ipCounter / 250)}.${(ipCounter++ % 250) + 1}`;

async function createSource(t: HttpTestApp, token: string, payload: Record<string, unknown>) {
  const response = await t.request({ method: 'POST', url: '/api/v1/traffic-sources', token, payload });
  assert.equal(response.statusCode, 201, response.body);
  return response.json().data as { id: number };
}

/** A PropellerAds-style source: the network's click id in visitor_id, postback to the loopback receiver. */
async function propellerCampaign(t: HttpTestApp, path: string, extra: Record<string, unknown> = {}) {
  const { token } = await t.signUp();
  const source = await createSource(t, token, {
    name: 'PropellerAds',
    template: 'propellerads',
    postback_url: `${receiver.origin}${path}?aid=1&tid=2&visitor_id={external_id}&payout={payout}`,
    ...extra,
  });
  const campaign = await t.createCampaign(
    // Converted the instant after the click: the fake-lead timing rule is off here (fake-leads.test.ts tests it).
    {
      traffic_source_id: source.id,
      destination_url: 'https://shop.example/land?cid={clickid}',
      min_time_to_convert: 0,
    },
    token,
  );
  return { token, source, campaign };
}

/** One real click through the tracking URL (node:http), as the network's visitor. */
async function click(t: HttpTestApp, uuid: string, query: Record<string, string>, userAgent?: string) {
  const response = await t.visit(`/c/${uuid}?${new URLSearchParams(query).toString()}`, {
    'x-forwarded-for': nextIp(),
    ...(userAgent ? { 'user-agent': userAgent } : {}),
  });
  assert.equal(response.status, 302);
  return new URL(response.headers.get('location')!).searchParams.get('cid')!;
}

function postback(t: HttpTestApp, params: Record<string, string>) {
  return t.request({ method: 'GET', url: `/api/v1/postback?${new URLSearchParams(params).toString()}` });
}

async function log(t: HttpTestApp, token: string, sourceId: number): Promise<LogEntry[]> {
  const response = await t.request({ method: 'GET', url: `/api/v1/traffic-sources/${sourceId}/postbacks`, token });
  assert.equal(response.statusCode, 200, response.body);
  return response.json().data;
}

const callsTo = (path: string) => receiver.lines.filter((line) => line.startsWith(`GET ${path}?`));

forEachDialectOverHttp('postback URLs and the SSRF guard', (ctx) => {
  test('a postback_url at a non-public address is a 400 naming postback_url, and nothing is stored', async () => {
    const t = ctx();
    const { token } = await t.signUp();
    for (const url of [
      'http://127.0.0.1:8080/pb?v={external_id}',
      'http://localhost/pb',
      'http://169.254.169.254/latest/meta-data',
      'http://10.0.0.5/pb',
      'http://[::1]/pb',
      'http://[::ffff:192.168.1.1]/pb',
      'ftp://network.example/pb',
      'http://network.example/pb?v={unknown}',
    ]) {
      const response = await t.request({
        method: 'POST',
        url: '/api/v1/traffic-sources',
        token,
        payload: { name: 'Bad', platform: 'other', postback_url: url },
      });
      assert.equal(response.statusCode, 400, `${url} → ${response.body}`);
      assert.ok(response.json().error.details?.postback_url, response.body);
    }
    const list = await t.request({ method: 'GET', url: '/api/v1/traffic-sources', token });
    assert.equal(list.json().data.length, 0);
    const good = await createSource(t, token, {
      name: 'Good',
      platform: 'other',
      postback_url: 'https://network.example/pb',
    });
    const update = await t.request({
      method: 'PUT',
      url: `/api/v1/traffic-sources/${good.id}`,
      token,
      payload: { postback_url: 'http://192.168.0.1/pb' },
    });
    assert.equal(update.statusCode, 400, update.body);
    assert.ok(update.json().error.details?.postback_url);
  });
});

forEachDialectOverHttp(
  'postbacks out to traffic sources',
  (ctx) => {
    test('a PropellerAds postback: one GET with the network click id, byte for byte, and a delivered log entry', async () => {
      const t = ctx();
      const p_ok_a = uniquePath('/ok/a');
      const { token, source, campaign } = await propellerCampaign(t, p_ok_a);
      const clickId = await click(t, campaign.uuid, { visitor_id: 'pa-7f3 &x=1', zone: '8812' });
      const first = await postback(t, { clickid: clickId, payout: '12.50', txid: 'order-1', event: 'sale' });
      assert.equal(first.statusCode, 201, first.body);
      assert.equal(first.json().data.event, 'sale');
      await receiver.waitFor(() => callsTo(p_ok_a).length === 1, 5_000, 'the postback');
      // The value is URL-encoded, so the network's id cannot add a parameter of its own.
      assert.deepEqual(callsTo(p_ok_a), [
        `GET ${p_ok_a}?aid=1&tid=2&visitor_id=pa-7f3%20%26x%3D1&payout=12.5 HTTP/1.1`,
      ]);
      const head = receiver.heads.find((bytes) => bytes.toString('latin1').startsWith(`GET ${p_ok_a}?`))!;
      // The whole request, byte for byte: a GET without a body, nothing of ours but the user agent.
      assert.deepEqual(
        head,
        Buffer.from(
          `GET ${p_ok_a}?aid=1&tid=2&visitor_id=pa-7f3%20%26x%3D1&payout=12.5 HTTP/1.1\r\n` +
            'user-agent: CloakRadar-Postback/1.0\r\naccept: */*\r\n' +
            `Host: 127.0.0.1:${receiver.port}\r\nConnection: close\r\n\r\n`,
          'latin1',
        ),
      );

      // The same txid again (a network's retry) is the same conversion: no second call.
      assert.equal((await postback(t, { clickid: clickId, payout: '12.50', txid: 'order-1' })).statusCode, 200);
      await sleep(300);
      assert.equal(callsTo(p_ok_a).length, 1);
      const entries = await log(t, token, source.id);
      assert.equal(entries.length, 1);
      assert.equal(entries[0]!.status, 'delivered');
      assert.equal(entries[0]!.click_id, clickId);
      assert.equal(entries[0]!.conversion_id, first.json().data.id);
      assert.equal(entries[0]!.attempts, 1);
      assert.equal(entries[0]!.last_status_code, 200);
      assert.equal(entries[0]!.response_excerpt, 'OK: conversion accepted');
      assert.equal(entries[0]!.reason, null);
    });

    test('pending, then approved: one call, at the approval; approved → pending → approved calls no more', async () => {
      const t = ctx();
      const p_ok_b = uniquePath('/ok/b');
      const { token, source, campaign } = await propellerCampaign(t, p_ok_b);
      const clickId = await click(t, campaign.uuid, { visitor_id: 'pa-b1' });
      assert.equal(
        (await postback(t, { clickid: clickId, txid: 'b-1', status: 'pending', payout: '3' })).statusCode,
        201,
      );
      await sleep(250);
      assert.equal(callsTo(p_ok_b).length, 0);
      let entries = await log(t, token, source.id);
      assert.equal(entries.length, 1);
      assert.equal(entries[0]!.status, 'withheld');
      assert.match(entries[0]!.reason!, /pending.*postback_statuses/);

      assert.equal((await postback(t, { clickid: clickId, txid: 'b-1', status: 'approved' })).statusCode, 200);
      await receiver.waitFor(() => callsTo(p_ok_b).length === 1, 5_000, 'the approval postback');
      assert.deepEqual(callsTo(p_ok_b), [`GET ${p_ok_b}?aid=1&tid=2&visitor_id=pa-b1&payout=3 HTTP/1.1`]);
      for (const status of ['pending', 'approved', 'pending', 'approved'])
        assert.equal((await postback(t, { clickid: clickId, txid: 'b-1', status })).statusCode, 200);
      await sleep(300);
      assert.equal(callsTo(p_ok_b).length, 1);
      entries = await log(t, token, source.id);
      assert.deepEqual(
        entries.map((entry) => entry.status),
        ['delivered', 'withheld'],
      );
    });

    test('a fraudulent click or a rejected conversion makes no call, and the log says why', async () => {
      const t = ctx();
      const p_ok_c = uniquePath('/ok/c');
      const { token, source, campaign } = await propellerCampaign(t, p_ok_c);
      const bot = await click(t, campaign.uuid, { visitor_id: 'pa-bot' }, 'python-requests/2.31.0');
      const human = await click(t, campaign.uuid, { visitor_id: 'pa-human' });
      const noId = await click(t, campaign.uuid, { zone: '1' });
      assert.equal((await postback(t, { clickid: bot, txid: 'c-1', payout: '5' })).statusCode, 201);
      assert.equal((await postback(t, { clickid: human, txid: 'c-2', status: 'rejected' })).statusCode, 201);
      assert.equal((await postback(t, { clickid: noId, txid: 'c-3' })).statusCode, 201);
      await sleep(300);
      assert.equal(callsTo(p_ok_c).length, 0);
      const entries = await log(t, token, source.id);
      const byClick = new Map(entries.map((entry) => [entry.click_id, entry]));
      assert.equal(byClick.get(bot)?.status, 'withheld');
      assert.match(byClick.get(bot)!.reason!, /fraudulent \(bot.*postback_fraudulent is false/);
      assert.match(byClick.get(human)!.reason!, /rejected/);
      assert.match(byClick.get(noId)!.reason!, /no external_id/);

      // postback_fraudulent: true sends the fraudulent click's conversion after all (a new one: the decision is per conversion).
      const update = await t.request({
        method: 'PUT',
        url: `/api/v1/traffic-sources/${source.id}`,
        token,
        payload: { postback_fraudulent: true },
      });
      assert.equal(update.statusCode, 200, update.body);
      const bot2 = await click(t, campaign.uuid, { visitor_id: 'pa-bot2' }, 'python-requests/2.31.0');
      assert.equal((await postback(t, { clickid: bot2, txid: 'c-4' })).statusCode, 201);
      await receiver.waitFor(() => callsTo(p_ok_c).length === 1, 5_000, 'the fraudulent click postback');
      assert.match(callsTo(p_ok_c)[0]!, /visitor_id=pa-bot2/);
    });

    test('a network that answers 500 forever is retried and never holds up other sources or the tracker', async () => {
      const t = ctx();
      const p_fail_d = uniquePath('/fail/d');
      const p_hang_d = uniquePath('/hang/d');
      const p_ok_d = uniquePath('/ok/d');
      const failing = await propellerCampaign(t, p_fail_d);
      const fine = await propellerCampaign(t, p_ok_d);
      const hanging = await propellerCampaign(t, p_hang_d);
      const failingClick = await click(t, failing.campaign.uuid, { visitor_id: 'pa-d1' });
      const hangingClick = await click(t, hanging.campaign.uuid, { visitor_id: 'pa-d3' });
      assert.equal((await postback(t, { clickid: failingClick, txid: 'd-1' })).statusCode, 201);
      assert.equal((await postback(t, { clickid: hangingClick, txid: 'd-3' })).statusCode, 201);
      await receiver.waitFor(() => callsTo(p_fail_d).length >= 3, 5_000, 'three attempts at the failing network');

      const started = Date.now();
      const fineClick = await click(t, fine.campaign.uuid, { visitor_id: 'pa-d2' });
      assert.equal((await postback(t, { clickid: fineClick, txid: 'd-2' })).statusCode, 201);
      await receiver.waitFor(() => callsTo(p_ok_d).length === 1, 5_000, 'the healthy network');
      assert.ok(Date.now() - started < 3_000, 'the healthy delivery waited for the failing ones');

      const [failed] = await log(t, failing.token, failing.source.id);
      assert.equal(failed!.status, 'pending');
      assert.ok(failed!.attempts >= 3, `${failed!.attempts} attempts`);
      assert.equal(failed!.last_status_code, 500);
      assert.equal(failed!.last_error, 'HTTP 500');
      assert.equal(failed!.response_excerpt, 'error 500');
      assert.ok(failed!.attempt_log.every((attempt) => attempt.status_code === 500));

      await receiver.waitFor(() => callsTo(p_hang_d).length >= 1, 5_000, 'the hanging network');
      await sleep(700);
      const [hung] = await log(t, hanging.token, hanging.source.id);
      assert.equal(hung!.status, 'pending');
      assert.equal(hung!.last_error, 'timed out');
      assert.equal(hung!.last_status_code, null);
    });

    test('the test call: the template once with sample values, secrets masked, the answer shown', async () => {
      const t = ctx();
      const p_fail_e = uniquePath('/fail/e');
      const p_hang_e = uniquePath('/hang/e');
      const p_ok_e = uniquePath('/ok/e');
      const { token } = await t.signUp();
      const source = await createSource(t, token, {
        name: 'Network with a key',
        platform: 'other',
        postback_url: `${receiver.origin}${p_ok_e}?api_key=s3cr3t&cid={external_id}&p={payout}&e={event}&s={sub1}`,
      });
      const response = await t.request({
        method: 'POST',
        url: `/api/v1/traffic-sources/${source.id}/postbacks/test`,
        token,
      });
      assert.equal(response.statusCode, 200, response.body);
      const result = response.json().data;
      assert.equal(result.status_code, 200);
      assert.equal(result.delivered, true);
      assert.equal(result.error, null);
      assert.equal(result.response_excerpt, 'OK: conversion accepted');
      assert.equal(
        result.url,
        `${receiver.origin}${p_ok_e}?api_key=***&cid=test_external_id&p=1&e=conversion&s=test_sub1`,
      );
      assert.ok(!response.body.includes('s3cr3t'));
      assert.deepEqual(callsTo(p_ok_e), [
        `GET ${p_ok_e}?api_key=s3cr3t&cid=test_external_id&p=1&e=conversion&s=test_sub1 HTTP/1.1`,
      ]);
      // Not through the outbox: nothing in the log.
      assert.deepEqual(await log(t, token, source.id), []);

      const failing = await createSource(t, token, {
        name: 'Down',
        platform: 'other',
        postback_url: `${receiver.origin}${p_fail_e}`,
      });
      const down = await t.request({
        method: 'POST',
        url: `/api/v1/traffic-sources/${failing.id}/postbacks/test`,
        token,
      });
      assert.equal(down.statusCode, 200, down.body);
      assert.equal(down.json().data.status_code, 500);
      assert.equal(down.json().data.delivered, false);
      assert.equal(down.json().data.error, 'HTTP 500');

      const hanging = await createSource(t, token, {
        name: 'Hangs',
        platform: 'other',
        postback_url: `${receiver.origin}${p_hang_e}`,
      });
      const hung = await t.request({
        method: 'POST',
        url: `/api/v1/traffic-sources/${hanging.id}/postbacks/test`,
        token,
      });
      assert.equal(hung.json().data.error, 'timed out');
      assert.equal(hung.json().data.status_code, null);
    });

    test('bad input is a 400 naming the field; another account’s source is a 404 on every new endpoint', async () => {
      const t = ctx();
      const p_ok_f = uniquePath('/ok/f');
      const { token, source } = await propellerCampaign(t, p_ok_f);
      const other = await t.signUp();
      for (const [method, suffix] of [
        ['GET', 'postbacks'],
        ['POST', 'postbacks/test'],
      ] as const) {
        const foreign = await t.request({
          method,
          url: `/api/v1/traffic-sources/${source.id}/${suffix}`,
          token: other.token,
        });
        assert.equal(foreign.statusCode, 404, foreign.body);
        assert.equal(foreign.json().error.code, 'NOT_FOUND');
        const missing = await t.request({ method, url: `/api/v1/traffic-sources/999999/${suffix}`, token });
        assert.equal(missing.statusCode, 404, missing.body);
        const bad = await t.request({ method, url: `/api/v1/traffic-sources/abc/${suffix}`, token });
        assert.equal(bad.statusCode, 400, bad.body);
        assert.equal(bad.json().error.code, 'VALIDATION_ERROR');
        const anonymous = await t.request({ method, url: `/api/v1/traffic-sources/${source.id}/${suffix}` });
        assert.equal(anonymous.statusCode, 401, anonymous.body);
      }
      for (const query of ['page=0', 'per_page=1000', 'page=x', 'extra=1']) {
        const response = await t.request({
          method: 'GET',
          url: `/api/v1/traffic-sources/${source.id}/postbacks?${query}`,
          token,
        });
        assert.equal(response.statusCode, 400, `${query} → ${response.body}`);
        assert.equal(response.json().error.code, 'VALIDATION_ERROR');
      }
      const bare = await createSource(t, token, { name: 'No postback', platform: 'other' });
      const none = await t.request({ method: 'POST', url: `/api/v1/traffic-sources/${bare.id}/postbacks/test`, token });
      assert.equal(none.statusCode, 400, none.body);
      assert.ok(none.json().error.details?.postback_url, none.body);
    });

    test('the new endpoints and the event field are in the OpenAPI document', async () => {
      const t = ctx();
      const response = await t.request({ method: 'GET', url: '/api/openapi.json' });
      assert.equal(response.statusCode, 200);
      const paths = response.json().paths as Record<string, Record<string, unknown>>;
      assert.ok(paths['/api/v1/traffic-sources/{id}/postbacks']?.get);
      assert.ok(paths['/api/v1/traffic-sources/{id}/postbacks/test']?.post);
      assert.match(JSON.stringify(paths['/api/v1/conversions']?.post), /"event"/);
      assert.match(JSON.stringify(paths['/api/v1/postback']?.get), /"event"/);
    });

    test('the log is paginated, newest first', async () => {
      const t = ctx();
      const p_ok_g = uniquePath('/ok/g');
      const { token, source, campaign } = await propellerCampaign(t, p_ok_g);
      const ids: number[] = [];
      for (let i = 0; i < 3; i += 1) {
        const clickId = await click(t, campaign.uuid, { visitor_id: `pa-g${i}` });
        ids.push((await postback(t, { clickid: clickId, txid: `g-${i}`, status: 'rejected' })).json().data.id);
      }
      const page = await t.request({
        method: 'GET',
        url: `/api/v1/traffic-sources/${source.id}/postbacks?per_page=2&page=1`,
        token,
      });
      assert.equal(page.statusCode, 200, page.body);
      assert.deepEqual(
        page.json().data.map((entry: LogEntry) => entry.conversion_id),
        [ids[2], ids[1]],
      );
      assert.equal(page.json().meta.total, 3);
    });
  },
  ALLOW_LOCAL,
  FAST_POSTBACKS,
);

forEachDialectOverHttp(
  'postbacks given up',
  (ctx) => {
    test('a network that keeps failing past the retry window is given up: failed, with every attempt listed', async () => {
      const t = ctx();
      const p_fail_h = uniquePath('/fail/h');
      const { token, source, campaign } = await propellerCampaign(t, p_fail_h);
      const clickId = await click(t, campaign.uuid, { visitor_id: 'pa-h1' });
      assert.equal((await postback(t, { clickid: clickId, txid: 'h-1' })).statusCode, 201);
      let entries: LogEntry[] = [];
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline) {
        entries = await log(t, token, source.id);
        if (entries[0]?.status === 'failed') break;
        await sleep(50);
      }
      assert.equal(entries[0]?.status, 'failed');
      assert.ok(entries[0]!.attempts >= 2);
      assert.equal(entries[0]!.attempt_log.length, entries[0]!.attempts);
      assert.equal(callsTo(p_fail_h).length, entries[0]!.attempts);
      await sleep(300);
      assert.equal(callsTo(p_fail_h).length, entries[0]!.attempts, 'no call after giving up');
    });
  },
  ALLOW_LOCAL,
  {
    postbacks: {
      pollIntervalMs: 20,
      timeoutMs: 500,
      retry: { baseDelayMs: 40, maxDelayMs: 80, maxAgeMs: 400, jitter: 0 },
    },
  },
);
