// Fake leads (SPEC section 10): conversions of fraudulent clicks, or sooner after the click than a person
// could act, are suspicious with reasons; they count, are reported, flagged in webhooks and withheld from
// traffic-source postbacks unless the source sets postback_fraudulent. Real clicks through the tracking URL
// (node:http), real postbacks, a loopback network and webhook receiver, on SQLite and PostgreSQL.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialectOverHttp, type HttpTestApp } from '../helpers/http-app.ts';
import type { ExtraAppOptions } from '../helpers/test-app.ts';
import { startPostbackReceiver, type PostbackReceiver } from '../helpers/postback-receiver.ts';
import { eventually, startReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.ts';

const ALLOW_LOCAL = { WEBHOOKS_ALLOW_PRIVATE_TARGETS: 'true', TRUST_PROXY: '127.0.0.1' };
const FAST: ExtraAppOptions = {
  postbacks: { pollIntervalMs: 20, timeoutMs: 500, retry: { baseDelayMs: 40, maxDelayMs: 150, maxAgeMs: 60_000 } },
  webhooks: {
    pollIntervalMs: 20,
    timeoutMs: 1_000,
    perEndpointConcurrency: 2,
    retry: { baseDelayMs: 40, maxDelayMs: 200, maxAgeMs: 20_000, jitter: 0.2 },
  },
};
const CURL = 'curl/8.4.0';
const FAST_REASON = /^Converted \d+\.\d+ s after the click \(minimum 3 s\)$/;

interface Conversion {
  id: number;
  click_id: string;
  transaction_id: string | null;
  suspicious: boolean;
  suspicious_reasons: string[];
}

let network: PostbackReceiver;
let hooks: WebhookReceiver;
before(async () => {
  network = await startPostbackReceiver();
  hooks = await startReceiver();
});
after(async () => {
  await network.close();
  await hooks.close();
});

let ipCounter = 0;
/** A fresh visitor per click: one address's repeats are duplicates. */
const nextIp = () => `84.131.${Math.floor(ipCounter / 250)}.${(ipCounter++ % 250) + 1}`;
let pathCounter = 0;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function click(t: HttpTestApp, uuid: string, options: { ip?: string; ua?: string; query?: string } = {}) {
  const response = await t.visit(`/c/${uuid}${options.query ? `?${options.query}` : ''}`, {
    'x-forwarded-for': options.ip ?? nextIp(),
    ...(options.ua ? { 'user-agent': options.ua } : {}),
  });
  assert.equal(response.status, 302);
  return new URL(response.headers.get('location')!).searchParams.get('cid')!;
}

async function postback(t: HttpTestApp, params: Record<string, string>): Promise<Conversion> {
  const response = await t.request({
    method: 'GET',
    url: `/api/v1/postback?${new URLSearchParams(params).toString()}`,
  });
  assert.ok(response.statusCode === 201 || response.statusCode === 200, response.body);
  return response.json().data;
}

async function get(t: HttpTestApp, token: string, url: string) {
  const response = await t.request({ method: 'GET', url, token });
  return { status: response.statusCode, body: response.json() };
}

async function campaignStats(t: HttpTestApp, token: string, campaignId: number) {
  const today = new Date().toISOString().slice(0, 10);
  return (await get(t, token, `/api/v1/campaigns/${campaignId}/stats?from=${today}&to=${today}`)).body.data as {
    conversions: number;
    suspicious_conversions: number;
  };
}

forEachDialectOverHttp(
  'fake leads',
  (ctx) => {
    test('min_time_to_convert: default 3, changed by update, bad input a 400 naming it, another account’s campaign 404', async () => {
      const t = ctx();
      const campaign = await t.createCampaign();
      const shown = await get(t, campaign.token, `/api/v1/campaigns/${campaign.id}`);
      assert.equal(shown.body.data.min_time_to_convert, 3);
      const set = await t.request({
        method: 'PUT',
        url: `/api/v1/campaigns/${campaign.id}`,
        token: campaign.token,
        payload: { min_time_to_convert: 20 },
      });
      assert.equal(set.statusCode, 200, set.body);
      assert.equal(set.json().data.min_time_to_convert, 20);
      // An update of another field leaves it alone (no schema default fills it back in).
      const renamed = await t.request({
        method: 'PUT',
        url: `/api/v1/campaigns/${campaign.id}`,
        token: campaign.token,
        payload: { name: 'Renamed' },
      });
      assert.equal(renamed.json().data.min_time_to_convert, 20);

      for (const bad of [-1, 3_601, 1.5, 'soon', null, true]) {
        for (const [method, url] of [
          ['PUT', `/api/v1/campaigns/${campaign.id}`],
          ['POST', '/api/v1/campaigns'],
        ] as const) {
          const response = await t.request({
            method,
            url,
            token: campaign.token,
            payload: { name: 'Bad', destination_url: 'https://shop.example/', min_time_to_convert: bad },
          });
          assert.equal(response.statusCode, 400, `${method} ${JSON.stringify(bad)} → ${response.body}`);
          assert.equal(response.json().error.code, 'VALIDATION_ERROR');
          assert.ok(response.json().error.details?.min_time_to_convert, response.body);
        }
      }
      const list = await get(t, campaign.token, '/api/v1/campaigns');
      assert.equal(list.body.data.length, 1, 'no campaign was created by bad input');
      assert.equal(list.body.data[0].min_time_to_convert, 20, 'nor changed');

      const other = await t.signUp();
      const foreign = await t.request({
        method: 'PUT',
        url: `/api/v1/campaigns/${campaign.id}`,
        token: other.token,
        payload: { min_time_to_convert: 0 },
      });
      assert.equal(foreign.statusCode, 404);
      assert.equal(foreign.json().error.code, 'NOT_FOUND');
      assert.equal(
        (await get(t, campaign.token, `/api/v1/campaigns/${campaign.id}`)).body.data.min_time_to_convert,
        20,
      );

      const spec = (await t.request({ method: 'GET', url: '/api/openapi.json' })).body;
      assert.ok(spec.includes('min_time_to_convert') && spec.includes('suspicious_conversions'));
    });

    test('a conversion sooner than the minimum is suspicious; one after it is clean; both count', async () => {
      const t = ctx();
      const campaign = await t.createCampaign({ min_time_to_convert: 1 });
      const slow = await click(t, campaign.uuid);
      await sleep(1_100);
      const clean = await postback(t, { clickid: slow, payout: '10', txid: 'slow' });
      assert.equal(clean.suspicious, false);
      assert.deepEqual(clean.suspicious_reasons, []);

      const quick = await click(t, campaign.uuid);
      const fast = await postback(t, { clickid: quick, payout: '10', txid: 'fast' });
      assert.equal(fast.suspicious, true);
      assert.equal(fast.suspicious_reasons.length, 1);
      assert.match(fast.suspicious_reasons[0]!, /^Converted \d+\.\d+ s after the click \(minimum 1 s\)$/);

      // The default minimum (3 s) of a campaign that sets none, through the API's POST as well.
      const plain = await t.createCampaign({}, campaign.token);
      const api = await t.request({
        method: 'POST',
        url: '/api/v1/conversions',
        token: campaign.token,
        payload: { click_id: await click(t, plain.uuid), payout: 5 },
      });
      assert.equal(api.statusCode, 201, api.body);
      assert.equal(api.json().data.suspicious, true);
      assert.match(api.json().data.suspicious_reasons[0], FAST_REASON);

      await eventually(async () => (await campaignStats(t, campaign.token, campaign.id)).conversions === 2);
      assert.deepEqual(
        await campaignStats(t, campaign.token, campaign.id).then((s) => [s.conversions, s.suspicious_conversions]),
        [2, 1],
      );
      const overall = (await get(t, campaign.token, '/api/v1/stats')).body.data;
      assert.equal(overall.conversions, 3);
      assert.equal(overall.suspicious_conversions, 2);
      assert.equal(overall.revenue, 25, 'a suspicious conversion still counts its money');
    });

    test('a bot click’s conversion is suspicious; a duplicate click’s is not', async () => {
      const t = ctx();
      const campaign = await t.createCampaign({ min_time_to_convert: 0 });
      const bot = await click(t, campaign.uuid, { ua: CURL });
      const botLead = await postback(t, { clickid: bot, txid: 'bot' });
      assert.equal(botLead.suspicious, true);
      assert.deepEqual(botLead.suspicious_reasons, ['The click was flagged bot']);

      const ip = nextIp();
      await click(t, campaign.uuid, { ip });
      const repeat = await click(t, campaign.uuid, { ip });
      const detail = await get(t, campaign.token, `/api/v1/clicks/${repeat}`);
      assert.deepEqual(detail.body.data.fraud_types, ['duplicate'], 'the second visit is a duplicate only');
      const repeatLead = await postback(t, { clickid: repeat, txid: 'repeat' });
      assert.equal(repeatLead.suspicious, false, 'a person clicking twice is still a person');

      // ?suspicious= filters the list and the CSV export.
      const flagged = await get(t, campaign.token, '/api/v1/conversions?suspicious=true');
      assert.deepEqual(
        flagged.body.data.map((c: Conversion) => c.transaction_id),
        ['bot'],
      );
      const cleanOnes = await get(t, campaign.token, '/api/v1/conversions?suspicious=false');
      assert.deepEqual(
        cleanOnes.body.data.map((c: Conversion) => c.transaction_id),
        ['repeat'],
      );
      const csv = (
        await t.request({ method: 'GET', url: '/api/v1/conversions?format=csv&suspicious=true', token: campaign.token })
      ).body;
      const [header, ...rows] = csv.trim().split('\n');
      assert.ok(header!.includes('suspicious,suspicious_reasons'), header);
      assert.equal(rows.length, 1);
      assert.match(rows[0]!, /,true,The click was flagged bot/);
      const bad = await get(t, campaign.token, '/api/v1/conversions?suspicious=maybe');
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.code, 'VALIDATION_ERROR');
      assert.ok(bad.body.error.details?.suspicious, JSON.stringify(bad.body));
    });

    test('a suspicious conversion is withheld from the traffic source, and sent once postback_fraudulent is true', async () => {
      const t = ctx();
      const { token } = await t.signUp();
      const path = `/ok/fake-${++pathCounter}`;
      const source = await t.request({
        method: 'POST',
        url: '/api/v1/traffic-sources',
        token,
        payload: { name: 'Net', platform: 'other', postback_url: `${network.origin}${path}?cid={click_id}` },
      });
      assert.equal(source.statusCode, 201, source.body);
      const sourceId = source.json().data.id as number;
      const campaign = await t.createCampaign({ traffic_source_id: sourceId }, token);
      const fast = await click(t, campaign.uuid);
      assert.equal((await postback(t, { clickid: fast, txid: 'f1' })).suspicious, true);
      const log = async () =>
        (await get(t, token, `/api/v1/traffic-sources/${sourceId}/postbacks`)).body.data as Array<{
          click_id: string;
          status: string;
          reason: string | null;
        }>;
      const withheld = await eventually(async () => (await log()).find((entry) => entry.click_id === fast));
      assert.equal(withheld.status, 'withheld');
      assert.match(
        withheld.reason!,
        /suspicious \(Converted .* s after the click \(minimum 3 s\)\).*postback_fraudulent is false/,
      );
      await sleep(200);
      assert.equal(network.lines.filter((line) => line.includes(path)).length, 0);

      const update = await t.request({
        method: 'PUT',
        url: `/api/v1/traffic-sources/${sourceId}`,
        token,
        payload: { postback_fraudulent: true },
      });
      assert.equal(update.statusCode, 200, update.body);
      const fast2 = await click(t, campaign.uuid);
      assert.equal((await postback(t, { clickid: fast2, txid: 'f2' })).suspicious, true);
      await network.waitFor(() => network.lines.some((line) => line.includes(`cid=${fast2}`)), 5_000, 'the postback');
    });

    test('conversion.created carries suspicious and its reasons; a late finding flags the conversion and the stats follow', async () => {
      const t = ctx();
      const campaign = await t.createCampaign({ min_time_to_convert: 0 });
      const webhook = await t.request({
        method: 'POST',
        url: '/api/v1/webhooks',
        token: campaign.token,
        payload: { url: hooks.url, events: ['conversion.created', 'conversion.updated'], campaign_id: campaign.id },
      });
      assert.equal(webhook.statusCode, 201, webhook.body);

      const bot = await click(t, campaign.uuid, { ua: CURL });
      await postback(t, { clickid: bot, txid: 'wh-bot', payout: '7' });
      // One visitor's first click, converted while it still looks clean…
      const ip = nextIp();
      const first = await click(t, campaign.uuid, { ip, query: 'sub1=burst' });
      const lead = await postback(t, { clickid: first, txid: 'wh-burst', payout: '3' });
      assert.equal(lead.suspicious, false);
      // The receiver is shared by both dialects' suites, whose campaign ids and txids coincide: click ids do not.
      const clickOf: Record<string, string> = { 'wh-bot': bot, 'wh-burst': first };
      const ofTx = (type: string, txid: string) =>
        hooks.events(type).filter((event) => event.data.click_id === clickOf[txid]);
      await hooks.waitFor(() => ofTx('conversion.created', 'wh-burst').length === 1, 5_000, 'conversion.created');
      assert.equal(ofTx('conversion.created', 'wh-bot')[0]?.data.suspicious, true);
      assert.deepEqual(ofTx('conversion.created', 'wh-bot')[0]?.data.suspicious_reasons, ['The click was flagged bot']);
      assert.equal(ofTx('conversion.created', 'wh-burst')[0]?.data.suspicious, false);
      assert.deepEqual(ofTx('conversion.created', 'wh-burst')[0]?.data.suspicious_reasons, []);

      // …then a burst from the same visitor: its first click is amended to rapid_fire, and its lead follows.
      await click(t, campaign.uuid, { ip, query: 'sub1=burst' });
      await click(t, campaign.uuid, { ip, query: 'sub1=burst' });
      const amended = await eventually(async () => {
        const list = (await get(t, campaign.token, '/api/v1/conversions?suspicious=true')).body.data as Conversion[];
        return list.find((c) => c.transaction_id === 'wh-burst');
      });
      assert.deepEqual(amended.suspicious_reasons, ['The click was flagged rapid_fire']);
      await hooks.waitFor(() => ofTx('conversion.updated', 'wh-burst').length === 1, 5_000, 'conversion.updated');
      const updated = ofTx('conversion.updated', 'wh-burst')[0]!;
      assert.equal(updated.data.suspicious, true);
      assert.deepEqual(updated.previous_attributes, { suspicious: false, suspicious_reasons: [] });
      await eventually(async () => (await campaignStats(t, campaign.token, campaign.id)).suspicious_conversions === 2);
      const stats = await campaignStats(t, campaign.token, campaign.id);
      assert.equal(stats.conversions, 2);
      const today = new Date().toISOString().slice(0, 10);
      const fraud = (
        await get(t, campaign.token, `/api/v2/fraud/stats?campaign_id=${campaign.id}&from=${today}&to=${today}`)
      ).body.data;
      assert.equal(fraud.suspicious_conversions, 2);
      const subs = (
        await get(t, campaign.token, `/api/v2/analytics/sub1?campaign_id=${campaign.id}&from=${today}&to=${today}`)
      ).body.data as Array<{ value: string | null; suspicious_conversions: number }>;
      assert.equal(subs.find((row) => row.value === 'burst')?.suspicious_conversions, 1);
    });

    test('another account cannot read or filter someone else’s suspicious conversions', async () => {
      const t = ctx();
      const campaign = await t.createCampaign({ min_time_to_convert: 0 });
      await postback(t, { clickid: await click(t, campaign.uuid, { ua: CURL }), txid: 'mine' });
      const other = await t.signUp();
      const listed = await get(t, other.token, '/api/v1/conversions?suspicious=true');
      assert.equal(listed.status, 200);
      assert.deepEqual(listed.body.data, []);
      const scoped = await get(t, other.token, `/api/v1/conversions?suspicious=true&campaign_id=${campaign.id}`);
      assert.equal(scoped.status, 404);
      const stats = await get(t, other.token, `/api/v1/campaigns/${campaign.id}/stats`);
      assert.equal(stats.status, 404);
      assert.equal((await get(t, other.token, '/api/v1/stats')).body.data.suspicious_conversions, 0);
    });
  },
  ALLOW_LOCAL,
  FAST,
);
