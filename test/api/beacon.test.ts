import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { forEachDialect, type TestApp } from '../helpers/test-app.ts';
import { CLICK_DESTINATION, sendClick } from '../helpers/clicks.ts';
import { beaconBody } from '../helpers/beacon-body.ts';

const HOUR = 3_600_000;
const UNKNOWN_CLICK = 'clk_0000000000000000000000';
/** A Vietnamese address (VNPT, Hanoi) and a German one (Deutsche Telekom). */
const VN_IP = '14.160.0.1';
let addresses = 0;
/** German addresses (Deutsche Telekom) in different /24s, so no burst or farm rule sees one visitor twice. */
const deIp = () => `84.${128 + ++addresses}.${addresses + 1}.${addresses + 2}`;
const GIF_HEAD = 'GIF89a';

interface Detail {
  status: string;
  fraud_types: string[];
  reasons: { type: string; message: string }[];
  beacon: Record<string, unknown> | null;
  beacon_state: string;
}

/** A fake clock the tracker and the beacon service share: clicks can be made old without waiting. */
const clock = { offset: 0 };
const now = () => Date.now() + clock.offset;

forEachDialect(
  'lander tag: beacon, pixel and t.js',
  (ctx) => {
    let t: TestApp;
    let token = '';
    let uuid = '';
    let campaignId = 0;

    const post = (body: unknown, headers: Record<string, string> = {}) =>
      t.request({
        method: 'POST',
        url: '/api/v1/beacon',
        headers: { 'content-type': 'text/plain;charset=UTF-8', ...headers },
        payload: typeof body === 'string' ? body : JSON.stringify(body),
      });
    const detail = async (id: string): Promise<Detail> => {
      const response = await t.request({ method: 'GET', url: `/api/v1/clicks/${id}`, token });
      assert.equal(response.statusCode, 200, response.body);
      return response.json().data as Detail;
    };
    /** Late findings are written by the recorder after the answer: wait for the click to change. */
    const settled = async (id: string, until: (d: Detail) => boolean): Promise<Detail> => {
      for (let i = 0; i < 100; i++) {
        const d = await detail(id);
        if (until(d)) return d;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return detail(id);
    };

    test('setup: an account and a campaign', async () => {
      t = ctx();
      token = (await t.signUp()).token;
      const response = await t.request({
        method: 'POST',
        url: '/api/v1/campaigns',
        token,
        payload: { name: 'Lander', destination_url: CLICK_DESTINATION },
      });
      assert.equal(response.statusCode, 201, response.body);
      ({ uuid, id: campaignId } = response.json().data);
      assert.equal(response.json().data.require_beacon, false);
    });

    test('a person’s beacon is stored on the click, judged clean, and shown', async () => {
      const id = await sendClick(t, uuid, { ip: deIp() });
      assert.equal((await detail(id)).beacon_state, 'waiting');
      const response = await post(beaconBody(id));
      assert.equal(response.statusCode, 200, response.body);
      assert.deepEqual(response.json().data, { result: 'recorded', reason: null });
      assert.equal(response.headers['access-control-allow-origin'], '*');
      const d = await detail(id);
      assert.equal(d.beacon_state, 'received');
      assert.equal(d.status, 'real');
      assert.equal(d.beacon?.time_zone, 'Europe/Berlin');
      assert.equal(d.beacon?.page_view_id, 'pv-0001-abcd');
      assert.ok(!('click_id' in (d.beacon ?? {})), 'only the listed fields are stored');

      // The page view's hidden-page beacon adds engagement, never new facts.
      const later = await post(beaconBody(id, { time_on_page_ms: 9_000, pointer_events: 12, webdriver: true }));
      assert.deepEqual(later.json().data, { result: 'updated', reason: null });
      const after = await detail(id);
      assert.equal(after.beacon?.time_on_page_ms, 9_000);
      assert.equal(after.beacon?.webdriver, false);
      assert.equal(after.status, 'real');
      assert.deepEqual((await post(beaconBody(id, { time_on_page_ms: 9_000, pointer_events: 12 }))).json().data, {
        result: 'ignored',
        reason: 'repeat',
      });
      assert.deepEqual((await post(beaconBody(id, { page_view_id: 'pv-other-xyz', webdriver: true }))).json().data, {
        result: 'ignored',
        reason: 'another_page_view',
      });
      assert.equal((await detail(id)).status, 'real');
    });

    test('navigator.webdriver flags the click bot, with the reason, through the late-finding path', async () => {
      const id = await sendClick(t, uuid, {
        ip: deIp(),
        userAgent:
          'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
      });
      assert.deepEqual((await post(beaconBody(id, { webdriver: true }))).json().data, {
        result: 'recorded',
        reason: null,
      });
      const d = await settled(id, (x) => x.status === 'bot');
      assert.equal(d.status, 'bot');
      assert.deepEqual(d.fraud_types, ['bot']);
      assert.ok(
        d.reasons.some(
          (r) => r.message === 'Browser tag: Browser reports navigator.webdriver = true: it is driven by automation',
        ),
      );
    });

    test('a time zone far from the address’s country flags vpn', async () => {
      const id = await sendClick(t, uuid, { ip: VN_IP });
      await post(beaconBody(id, { time_zone: 'America/New_York', utc_offset_minutes: -300 }));
      const d = await settled(id, (x) => x.status === 'vpn');
      assert.equal(d.status, 'vpn');
      assert.ok(
        d.reasons.some(
          (r) =>
            r.message === 'Browser tag: Browser reports time zone America/New_York (UTC−5); the address is in Vietnam',
        ),
        JSON.stringify(d.reasons),
      );
    });

    test('bad input is a 400 naming the field, and changes nothing', async () => {
      const id = await sendClick(t, uuid, { ip: deIp() });
      const cases: [unknown, string][] = [
        ['{not json', 'body'],
        [beaconBody(id, { webdriver: 'yes' }), 'webdriver'],
        [beaconBody(id, { canvas_hash: 'abc' }), 'canvas_hash'],
        [beaconBody(id, { utc_offset_minutes: 5000 }), 'utc_offset_minutes'],
        [beaconBody(id, { page_view_id: 'x' }), 'page_view_id'],
        [{ ...beaconBody(id), languages: Array.from({ length: 200 }, () => 'en-US-x-padding-padding') }, 'body'],
      ];
      for (const [body, field] of cases) {
        const response = await post(body);
        assert.equal(response.statusCode, 400, `${field}: ${response.body}`);
        const error = response.json().error;
        assert.equal(error.code, 'VALIDATION_ERROR');
        assert.ok(JSON.stringify(error).includes(field), `${field} named in ${response.body}`);
      }
      const d = await detail(id);
      assert.equal(d.beacon, null);
      assert.equal(d.status, 'real');
    });

    test('an unknown click is a 404 and a beacon older than 1 h is ignored', async () => {
      assert.equal((await post(beaconBody(UNKNOWN_CLICK))).statusCode, 404);
      assert.equal((await post(beaconBody('not-a-click-id'))).statusCode, 404);
      const id = await sendClick(t, uuid, { ip: deIp() });
      clock.offset += HOUR + 1_000;
      try {
        assert.deepEqual((await post(beaconBody(id, { webdriver: true }))).json().data, {
          result: 'ignored',
          reason: 'expired',
        });
        const d = await detail(id);
        assert.equal(d.beacon, null);
        assert.equal(d.beacon_state, 'missing');
        assert.equal(d.status, 'real', 'a missing beacon is no fraud type by itself');
      } finally {
        clock.offset -= HOUR + 1_000;
      }
    });

    test('beacons are limited per click', async () => {
      const id = await sendClick(t, uuid, { ip: deIp() });
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++)
        statuses.push((await post(beaconBody(id, { time_on_page_ms: 1_000 * (i + 1) }))).statusCode);
      assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429]);
    });

    test('require_beacon: a click without a beacon is flagged bot once its hour passed', async () => {
      const update = await t.request({
        method: 'PUT',
        url: `/api/v1/campaigns/${campaignId}`,
        token,
        payload: { require_beacon: true },
      });
      assert.equal(update.statusCode, 200, update.body);
      assert.equal(update.json().data.require_beacon, true);
      const bad = await t.request({
        method: 'PUT',
        url: `/api/v1/campaigns/${campaignId}`,
        token,
        payload: { require_beacon: 'yes' },
      });
      assert.equal(bad.statusCode, 400);

      const silent = await sendClick(t, uuid, { ip: deIp() });
      const tagged = await sendClick(t, uuid, { ip: deIp() });
      await post(beaconBody(tagged));
      clock.offset += HOUR + 60_000;
      try {
        assert.ok((await t.app.services.beacons.sweepMissing()) >= 1);
        const d = await settled(silent, (x) => x.status === 'bot');
        assert.equal(d.status, 'bot');
        assert.ok(d.reasons.some((r) => /No beacon came from the page within 1 h/.test(r.message)));
        assert.equal((await detail(tagged)).status, 'real');
      } finally {
        clock.offset -= HOUR + 60_000;
        await t.request({
          method: 'PUT',
          url: `/api/v1/campaigns/${campaignId}`,
          token,
          payload: { require_beacon: false },
        });
      }
    });

    test('the pixel records a conversion and always answers a GIF', async () => {
      const id = await sendClick(t, uuid, { ip: deIp() });
      const pixel = await t.request({ method: 'GET', url: `/px?cid=${id}&payout=12.5&txid=order-1&event=sale` });
      assert.equal(pixel.statusCode, 200);
      assert.equal(pixel.headers['content-type'], 'image/gif');
      assert.equal(pixel.rawPayload.subarray(0, 6).toString(), GIF_HEAD);
      const list = await t.request({ method: 'GET', url: `/api/v1/conversions?campaign_id=${campaignId}`, token });
      const mine = (list.json().data as { click_id: string; payout: number; event: string }[]).filter(
        (c) => c.click_id === id,
      );
      assert.deepEqual(
        mine.map((c) => [c.payout, c.event]),
        [[12.5, 'sale']],
      );

      for (const url of [
        `/px?cid=${UNKNOWN_CLICK}&payout=5`,
        `/px?cid=${id}&payout=-3&txid=order-2`,
        '/px',
        `/px?cid=${id}&event=BAD EVENT`,
      ]) {
        const response = await t.request({ method: 'GET', url });
        assert.equal(response.statusCode, 200, url);
        assert.equal(response.rawPayload.subarray(0, 6).toString(), GIF_HEAD);
      }
      const again = await t.request({ method: 'GET', url: `/api/v1/conversions?campaign_id=${campaignId}`, token });
      assert.equal((again.json().data as { click_id: string }[]).filter((c) => c.click_id === id).length, 1);
    });

    test('OpenAPI documents the beacon, the pixel and the tag', async () => {
      const spec = (await t.request({ method: 'GET', url: '/api/openapi.json' })).json() as {
        paths: Record<string, unknown>;
      };
      for (const path of ['/api/v1/beacon', '/px', '/t.js']) assert.ok(spec.paths[path], `${path} in OpenAPI`);
    });

    test('t.js is small, cached and revalidated by ETag', async () => {
      const response = await t.request({ method: 'GET', url: '/t.js', headers: { 'accept-encoding': 'gzip' } });
      assert.equal(response.statusCode, 200);
      assert.match(String(response.headers['content-type']), /javascript/);
      assert.equal(response.headers['content-encoding'], 'gzip');
      assert.ok(response.rawPayload.length <= 6 * 1024, `${response.rawPayload.length} bytes compressed`);
      assert.match(gunzipSync(response.rawPayload).toString(), /cloakradar/);
      assert.match(String(response.headers['cache-control']), /max-age=\d+/);
      assert.equal(response.headers['cross-origin-resource-policy'], undefined, 'other sites may load it');
      const etag = String(response.headers.etag);
      const again = await t.request({ method: 'GET', url: '/t.js', headers: { 'if-none-match': etag } });
      assert.equal(again.statusCode, 304);
    });
  },
  { TRUST_PROXY: 'true' },
  {
    now,
    beaconLimits: { perAddress: [{ limit: 1_000, windowMs: 60_000 }], perClick: [{ limit: 5, windowMs: HOUR }] },
    beaconSweepMs: 0,
  },
);
