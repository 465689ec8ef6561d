// Crawler claims through the real tracker, with forward-confirmed reverse DNS answered by a DNS
// server on loopback: the redirect never waits for DNS, a late proof amends the click into a
// verified crawler, a forged PTR or a silent server leaves it a bot, and answers are cached.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialectOverHttp, type HttpTestApp } from '../helpers/http-app.ts';
import { startLoopbackDns } from '../helpers/loopback-dns.ts';

const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const ADSBOT = 'AdsBot-Google (+http://www.google.com/adsbot.html)';
const TIMEOUT_MS = 1_500;

const dns = await startLoopbackDns();
// Addresses in Google Cloud (AS396982) outside every published crawler range: only DNS can vouch.
const GENUINE = '34.100.1.50';
dns.ptr(GENUINE, 'crawl-34-100-1-50.googlebot.com.');
dns.address('crawl-34-100-1-50.googlebot.com', GENUINE);
const SLOW = '34.100.1.70';
dns.ptr(SLOW, 'rate-limited-proxy-34-100-1-70.google.com.');
dns.address('rate-limited-proxy-34-100-1-70.google.com', SLOW);
dns.slow(SLOW, 600);
const FORGED = '34.100.1.60';
dns.ptr(FORGED, 'crawl-66-249-66-1.googlebot.com.');
dns.address('crawl-66-249-66-1.googlebot.com', '66.249.66.1');
const SILENT = '35.186.7.7';
dns.hang(SILENT);

const clickIdOf = (response: Response) => new URL(response.headers.get('location')!).searchParams.get('cid')!;

async function clickDetail(t: HttpTestApp, token: string, id: string) {
  const response = await t.request({ method: 'GET', url: `/api/v1/clicks/${id}`, token });
  assert.equal(response.statusCode, 200, response.body);
  return response.json().data;
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 4_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const asked = (ip: string) =>
  dns.asked.filter((question) => question.startsWith(`PTR ${ip.split('.').reverse().join('.')}`)).length;

forEachDialectOverHttp(
  'crawler reverse DNS',
  (ctx) => {
    test('a genuine crawler only DNS can vouch for: redirected at once, judged a bot, amended to verified; the next click is verified from the cache', async () => {
      const t = ctx();
      const { uuid, token } = await t.createCampaign({ fraud_action: 'block' });
      const askedBefore = asked(GENUINE);
      const first = await t.visit(`/c/${uuid}`, { 'user-agent': GOOGLEBOT, 'x-forwarded-for': GENUINE });
      assert.equal(first.status, 302, 'a self-declared crawler reaches the destination, proven or not');
      const id = clickIdOf(first);
      const amended = await eventually(
        () => clickDetail(t, token, id),
        (click) => click.is_verified_bot === true,
      );
      assert.equal(amended.is_verified_bot, true);
      assert.equal(amended.status, 'bot');
      assert.deepEqual(amended.fraud_types, []);
      assert.equal(amended.fraud_score, 0);
      assert.match(amended.reasons[0].message, /crawl-34-100-1-50\.googlebot\.com, forward-confirmed reverse DNS/);

      const second = await t.visit(`/c/${uuid}`, { 'user-agent': ADSBOT, 'x-forwarded-for': GENUINE });
      const cached = await clickDetail(t, token, clickIdOf(second));
      assert.equal(cached.is_verified_bot, true, 'judged with the cached answer, no wait');
      assert.equal(asked(GENUINE) - askedBefore, 1, 'one PTR question for both clicks');
      // The rollups moved the first click out of fraud when it was amended.
      const stats = await eventually(
        async () => (await t.request({ method: 'GET', url: `/api/v1/clicks?per_page=10&status=bot`, token })).json(),
        (body) => body.data.every((click: { fraud_types: string[] }) => click.fraud_types.length === 0),
      );
      assert.equal(stats.meta.total, 2);
    });

    test('the redirect does not wait for a slow DNS server: the answer arrives later and amends the click', async () => {
      const t = ctx();
      const { uuid, token } = await t.createCampaign();
      const started = Date.now();
      const response = await t.visit(`/c/${uuid}`, { 'user-agent': ADSBOT, 'x-forwarded-for': SLOW });
      const took = Date.now() - started;
      assert.equal(response.status, 302);
      assert.ok(took < 500, `the redirect took ${took} ms while DNS takes 600`);
      const id = clickIdOf(response);
      const judged = await clickDetail(t, token, id);
      assert.equal(judged.is_verified_bot, false, 'judged before DNS answered');
      assert.ok(judged.fraud_types.includes('bot'));
      const later = await eventually(
        () => clickDetail(t, token, id),
        (click) => click.is_verified_bot === true,
      );
      assert.equal(later.is_verified_bot, true);
      assert.match(later.reasons[0].message, /rate-limited-proxy-34-100-1-70\.google\.com/);
    });

    test('a PTR name that does not resolve back stays a bot, and the cached answer says why', async () => {
      const t = ctx();
      const { uuid, token } = await t.createCampaign();
      const first = await t.visit(`/c/${uuid}`, { 'user-agent': GOOGLEBOT, 'x-forwarded-for': FORGED });
      assert.equal(first.status, 302);
      await eventually(
        async () => dns.asked.includes('A crawl-66-249-66-1.googlebot.com'),
        (done) => done,
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      const click = await clickDetail(t, token, clickIdOf(first));
      assert.equal(click.is_verified_bot, false);
      assert.ok(click.fraud_types.includes('bot'));
      const second = await t.visit(`/c/${uuid}`, { 'user-agent': GOOGLEBOT, 'x-forwarded-for': FORGED });
      const again = await clickDetail(t, token, clickIdOf(second));
      assert.equal(again.is_verified_bot, false);
      assert.match(
        again.reasons.find((reason: { type: string }) => reason.type === 'bot').message,
        /its reverse DNS name crawl-66-249-66-1\.googlebot\.com does not resolve back to it/,
      );
    });

    test('a DNS server that never answers: redirected at once, the click stays a bot after the timeout', async () => {
      const t = ctx();
      const { uuid, token } = await t.createCampaign({ fraud_action: 'block' });
      const started = Date.now();
      const response = await t.visit(`/c/${uuid}`, { 'user-agent': ADSBOT, 'x-forwarded-for': SILENT });
      assert.equal(response.status, 302, 'not refused, although the campaign blocks bots');
      assert.ok(Date.now() - started < TIMEOUT_MS, 'the redirect did not wait for the DNS timeout');
      const id = clickIdOf(response);
      await new Promise((resolve) => setTimeout(resolve, TIMEOUT_MS + 300));
      const click = await clickDetail(t, token, id);
      assert.equal(click.is_verified_bot, false);
      assert.deepEqual(click.fraud_types.includes('bot'), true);
      assert.equal(click.action, 'redirected');
      // The failure is cached for a short while: the next click asks nothing and is judged at once.
      const before = asked(SILENT);
      await t.visit(`/c/${uuid}`, { 'user-agent': ADSBOT, 'x-forwarded-for': SILENT });
      assert.equal(asked(SILENT), before);
    });
  },
  { CRAWLER_DNS_SERVERS: dns.server, CRAWLER_DNS_TIMEOUT_MS: String(TIMEOUT_MS), TRUST_PROXY: '127.0.0.1' },
);

after(() => dns.close());
