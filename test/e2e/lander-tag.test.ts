import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContextOptions } from 'playwright-core';
import { startHttpApp, type HttpTestApp } from '../helpers/http-app.ts';
import { DIALECTS, POSTGRES_SKIP_REASON } from '../helpers/dialects.ts';
import { BROWSER_SKIP_REASON, ensureDashboardBuilt, launchChromium } from './browser.ts';

/** German and Vietnamese residential addresses (Deutsche Telekom, VNPT), each visit in its own /24. */
let visits = 0;
const germanIp = () => `84.${140 + ++visits}.${visits + 1}.${visits + 2}`;
const vietnameseIp = () => `14.${160 + ++visits}.${visits}.1`;

interface Detail {
  id: string;
  status: string;
  fraud_types: string[];
  reasons: { type: string; message: string }[];
  beacon: Record<string, unknown> | null;
  beacon_state: string;
}

/**
 * A lander on another origin, as buyers host them: it includes the tag the way the README says, with
 * a button that converts through cloakradar('convert'); /plain is the no-JavaScript page with the pixel.
 */
function startLander(trackerUrl: string): Promise<Server> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://lander.test');
    const cid = (url.searchParams.get('cid') ?? '').replace(/[^A-Za-z0-9_-]/g, '');
    response.setHeader('content-type', 'text/html; charset=utf-8');
    if (url.pathname === '/plain') {
      response.end(
        `<!doctype html><title>Plain</title><h1>Thanks</h1><img alt="" width="1" height="1" src="${trackerUrl}/px?cid=${cid}&payout=3&txid=plain-${cid}&event=lead">`,
      );
      return;
    }
    response.end(`<!doctype html><html><head><meta charset="utf-8"><title>Lander</title>
<script>window.cloakradar=window.cloakradar||function(){(cloakradar.q=cloakradar.q||[]).push(arguments)}</script>
<script async src="${trackerUrl}/t.js"></script></head>
<body><h1>Offer</h1><button id="buy" onclick="cloakradar('convert',{payout:9.5,txid:'sale-${cid}',event:'sale'})">Buy</button></body></html>`);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/**
 * The lander tag as people use it (issue 22), in Debian's Chromium: a real tracking URL whose campaign
 * sends visitors to a lander on another loopback origin that includes t.js. The click gets its beacon
 * facts; convert() and the pixel record conversions; automation (navigator.webdriver, Chromium's
 * default under playwright) is flagged bot; a time zone emulated far from the address's country, vpn.
 * The address comes from X-Forwarded-For (TRUST_PROXY), as behind a load balancer.
 */
for (const dialect of DIALECTS) {
  describe(`lander tag in a browser [${dialect.name}]`, { skip: BROWSER_SKIP_REASON }, () => {
    let t: HttpTestApp;
    let lander: Server;
    let browser: Browser;
    /** Without automation's navigator.webdriver: what a person's Chromium reports. */
    let personBrowser: Browser;
    let token = '';
    let uuid = '';
    let campaignId = 0;
    /** Chromium's own user agent without "Headless": its client hints then agree with it, as a person's do. */
    let userAgent = '';
    /** Clicks the dashboard test opens: one the tag flagged, one that never ran it. */
    const shown = { flagged: '', withoutBeacon: '' };

    before(async () => {
      t = await startHttpApp(dialect, { TRUST_PROXY: 'true' });
      lander = await startLander(t.baseUrl);
      const landerUrl = `http://127.0.0.1:${(lander.address() as AddressInfo).port}`;
      ({ uuid, id: campaignId, token } = await t.createCampaign({ destination_url: `${landerUrl}/?cid={clickid}` }));
      browser = await launchChromium();
      personBrowser = await launchChromium(['--disable-blink-features=AutomationControlled']);
      userAgent = `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${browser.version()} Safari/537.36`;
      // Professional: the test polls the API faster than anyone would, past the starter plan's 60 requests a minute.
      await t.storage.db.updateTable('users').set({ plan: 'professional' }).execute();
    });

    after(async () => {
      await browser?.close();
      await personBrowser?.close();
      await new Promise((resolve) => lander?.close(resolve));
      await t?.app.close();
      await t?.storage.dispose();
    });

    const detail = async (id: string): Promise<Detail> => {
      const response = await t.request({ method: 'GET', url: `/api/v1/clicks/${id}`, token });
      assert.equal(response.statusCode, 200, response.body);
      return response.json().data as Detail;
    };
    const waitFor = async <T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> => {
      for (let i = 0; i < 150; i++) {
        const value = await read();
        if (done(value)) return value;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.fail(`timed out waiting for ${what}: ${JSON.stringify(await read())}`);
    };
    const conversionsOf = async (clickId: string) => {
      const response = await t.request({ method: 'GET', url: `/api/v1/conversions?campaign_id=${campaignId}`, token });
      return (response.json().data as { click_id: string; payout: number; event: string }[]).filter(
        (c) => c.click_id === clickId,
      );
    };

    /** Opens the tracking URL in a fresh context and returns the click id the lander received. */
    const visit = async (options: BrowserContextOptions & { ip: string; person: boolean }) => {
      const { ip, person, ...contextOptions } = options;
      const context = await (person ? personBrowser : browser).newContext({
        userAgent,
        locale: 'de-DE',
        viewport: { width: 1366, height: 768 },
        screen: { width: 1366, height: 768 },
        ...contextOptions,
        extraHTTPHeaders: { 'x-forwarded-for': ip },
      });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(String(error)));
      await page.goto(`${t.baseUrl}/c/${uuid}`);
      const clickId = new URL(page.url()).searchParams.get('cid') ?? '';
      assert.match(clickId, /^clk_/, `landed on ${page.url()}`);
      return { context, page, clickId, errors };
    };

    test('a person’s visit: the click gets its beacon facts, and convert() records a conversion', async () => {
      const { context, page, clickId, errors } = await visit({
        ip: germanIp(),
        person: true,
        timezoneId: 'Europe/Berlin',
      });
      const d = await waitFor(
        () => detail(clickId),
        (x) => x.beacon_state === 'received',
        'the beacon',
      );
      assert.equal(d.beacon?.webdriver, false);
      assert.equal(d.beacon?.time_zone, 'Europe/Berlin');
      assert.equal(d.beacon?.screen_width, 1366);
      assert.equal(d.beacon?.viewport_width, 1366);
      assert.deepEqual(d.beacon?.languages, ['de-DE']);
      assert.equal(d.beacon?.visible, true);
      assert.equal(d.status, 'real', JSON.stringify(d.reasons));

      await page.mouse.move(100, 100);
      await page.mouse.move(300, 200, { steps: 5 });
      await page.click('#buy');
      const [conversion] = await waitFor(
        () => conversionsOf(clickId),
        (list) => list.length === 1,
        'the conversion',
      );
      assert.equal(conversion?.payout, 9.5);
      assert.equal(conversion?.event, 'sale');

      // Hidden (closed) page: its update adds engagement to the same page view.
      await page.close({ runBeforeUnload: true });
      const updated = await waitFor(
        () => detail(clickId),
        (x) => Number(x.beacon?.pointer_events ?? 0) > 0,
        'the hidden-page update',
      );
      assert.equal(updated.status, 'real');
      assert.deepEqual(errors, [], 'the tag never throws into the page');
      await context.close();
    });

    test('the pixel records a conversion without JavaScript', async () => {
      const context = await browser.newContext({
        userAgent,
        javaScriptEnabled: false,
        extraHTTPHeaders: { 'x-forwarded-for': germanIp() },
      });
      const page = await context.newPage();
      await page.goto(`${t.baseUrl}/c/${uuid}`);
      const clickId = new URL(page.url()).searchParams.get('cid') ?? '';
      const landerOrigin = new URL(page.url()).origin;
      await page.goto(`${landerOrigin}/plain?cid=${clickId}`);
      const [conversion] = await waitFor(
        () => conversionsOf(clickId),
        (list) => list.length === 1,
        'the pixel conversion',
      );
      assert.equal(conversion?.payout, 3);
      assert.equal(conversion?.event, 'lead');
      assert.equal((await detail(clickId)).beacon, null, 'no JavaScript, no beacon');
      shown.withoutBeacon = clickId;
      await context.close();
    });

    test('automation (navigator.webdriver) with perfect headers is flagged bot', async () => {
      const { context, clickId } = await visit({ ip: germanIp(), person: false, timezoneId: 'Europe/Berlin' });
      const d = await waitFor(
        () => detail(clickId),
        (x) => x.status === 'bot',
        'the bot flag',
      );
      assert.equal(d.beacon?.webdriver, true);
      assert.ok(
        d.reasons.some((r) => r.type === 'bot' && /navigator\.webdriver = true/.test(r.message)),
        JSON.stringify(d.reasons),
      );
      shown.flagged = clickId;
      await context.close();
    });

    test('a time zone emulated far from the address’s country is flagged vpn', async () => {
      const { context, clickId } = await visit({ ip: vietnameseIp(), person: true, timezoneId: 'America/New_York' });
      const d = await waitFor(
        () => detail(clickId),
        (x) => x.status === 'vpn',
        'the vpn flag',
      );
      assert.equal(d.beacon?.time_zone, 'America/New_York');
      assert.ok(
        d.reasons.some((r) => r.type === 'vpn' && /America\/New_York .*the address is in Vietnam/.test(r.message)),
        JSON.stringify(d.reasons),
      );
      await context.close();
    });

    test('the dashboard shows the beacon facts, the tag’s reasons, and a missing beacon', async (ctx) => {
      if (dialect !== DIALECTS[0]) return ctx.skip('the dashboard is the same on both databases: shown once');
      ensureDashboardBuilt();
      const context = await browser.newContext({ baseURL: t.baseUrl });
      await context.addInitScript(`sessionStorage.setItem('cloakradar.token', ${JSON.stringify(token)})`);
      const page = await context.newPage();
      // The first load of a freshly built dashboard on a loaded machine can take a while.
      page.setDefaultTimeout(30_000);
      await page.goto(`/clicks/${shown.flagged}`);
      const beacon = page.getByTestId('beacon');
      await beacon
        .getByText('Automation (navigator.webdriver)')
        .waitFor()
        .catch(async (error: unknown) => {
          throw new Error(
            `${String(error)}\nthe page shows: ${(await page.locator('body').innerText()).slice(0, 800)}`,
          );
        });
      assert.match(await beacon.innerText(), /Automation \(navigator\.webdriver\)\s+yes/);
      assert.match(await beacon.innerText(), /Europe\/Berlin/);
      assert.match(
        await page.getByTestId('reasons').innerText(),
        /Browser tag: Browser reports navigator\.webdriver = true/,
      );
      await page.goto(`/clicks/${shown.withoutBeacon}`);
      await page.getByTestId('beacon-state').waitFor();
      assert.match(await page.getByTestId('beacon-state').innerText(), /No beacon yet/);
      await context.close();
    });
  });
}
if (POSTGRES_SKIP_REASON)
  void test('lander tag in a browser [postgres]', { skip: POSTGRES_SKIP_REASON }, () => undefined);
