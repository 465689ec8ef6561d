import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startHttpApp, type HttpTestApp } from '../helpers/http-app.ts';
import { DIALECTS } from '../helpers/dialects.ts';
import { startPostbackReceiver, type PostbackReceiver } from '../helpers/postback-receiver.ts';
import { BROWSER_SKIP_REASON, ensureDashboardBuilt, launchChromium } from './browser.ts';

/**
 * Issue 18's dashboard in Debian's Chromium against a real server on SQLite: a PropellerAds source from
 * its template, the URL to paste, the postback previewed live and tested against a real receiver on
 * loopback, the delivery log after a real click and conversion, placements and their exclusion list,
 * a cost range moving the campaign's KPIs, and the conversion's event. One page, the steps in order.
 */
describe('traffic sources in the dashboard', { skip: BROWSER_SKIP_REASON }, () => {
  let t: HttpTestApp;
  let receiver: PostbackReceiver;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let token = '';
  let sourceId = 0;
  let campaign = { id: 0, uuid: '' };
  const consoleErrors: string[] = [];
  const today = new Date().toISOString().slice(0, 10);

  let nextAddress = 0;
  /** A fresh residential address per click, each in its own /24: no duplicates, no farms. */
  const address = () => {
    nextAddress += 1;
    return `84.${128 + Math.floor(nextAddress / 250)}.${nextAddress % 250}.10`;
  };
  /** One real click through the tracking URL (node:http, as the network's visitor); its click id. */
  const click = async (query: Record<string, string>, userAgent?: string) => {
    const response = await t.visit(`/c/${campaign.uuid}?${new URLSearchParams(query).toString()}`, {
      'x-forwarded-for': address(),
      ...(userAgent ? { 'user-agent': userAgent } : {}),
    });
    assert.equal(response.status, 302);
    return new URL(response.headers.get('location')!).searchParams.get('cid')!;
  };
  const postback = async (query: Record<string, string>) => {
    const response = await t.visit(`/api/v1/postback?${new URLSearchParams(query).toString()}`);
    assert.equal(response.status, 201, await response.text());
  };
  /** `SCREENSHOTS=1` writes the pictures into docs/screenshots, as dashboard.test.ts does. */
  const shoot = async (name: string) => {
    if (process.env.SCREENSHOTS)
      await page.screenshot({
        path: join(resolve(import.meta.dirname, '../../docs/screenshots'), `${name}.png`),
        fullPage: true,
      });
  };
  const callsTo = (path: string) => receiver.lines.filter((line) => line.startsWith(`GET ${path}?`));

  before(async () => {
    ensureDashboardBuilt();
    receiver = await startPostbackReceiver();
    // Loopback receivers are private addresses: the SSRF guard refuses them unless told otherwise.
    t = await startHttpApp(
      DIALECTS[0]!,
      { WEBHOOKS_ALLOW_PRIVATE_TARGETS: 'true', TRUST_PROXY: '127.0.0.1' },
      { postbacks: { pollIntervalMs: 50, timeoutMs: 2_000 } },
    );
    token = (await t.signUp()).token;
    // Professional: a browser suite loads whole pages (each a dozen requests) faster than anyone would, past
    // the starter plan's 60 requests a minute.
    await t.storage.db.updateTable('users').set({ plan: 'professional' }).execute();
    browser = await launchChromium();
    context = await browser.newContext({ baseURL: t.baseUrl, viewport: { width: 1280, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: t.baseUrl });
    // Signed in as the account above (sign-up in the browser is dashboard.test.ts's).
    await context.addInitScript({ content: `sessionStorage.setItem('cloakradar.token', ${JSON.stringify(token)});` });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(String(error)));
  });

  after(async () => {
    await browser?.close();
    await t?.app.close();
    await t?.storage.dispose();
    await receiver?.close();
  });

  test('creates a source from a template; the postback preview follows the typing', async () => {
    await page.goto('/traffic-sources');
    await page.getByText('No traffic sources').waitFor();
    await page.locator('#source-template').selectOption('propellerads');
    assert.equal(await page.locator('#source-name').inputValue(), 'PropellerAds');
    assert.equal(await page.locator('#source-click-id').inputValue(), 'visitor_id');
    assert.equal(await page.locator('#source-placement').inputValue(), 'zone');
    // The template's own postback, previewed with the sample values.
    const preview = page.getByTestId('postback-preview');
    assert.equal(
      await preview.innerText(),
      'http://ad.propellerads.com/conversion.php?aid=YOUR_AID&pid=&tid=YOUR_TID&visitor_id=test_external_id&payout=1',
    );
    const postbackInput = page.locator('#source-postback');
    await postbackInput.fill(`${receiver.origin}/ok/e2e?visitor_id={external_id}`);
    assert.equal(await preview.innerText(), `${receiver.origin}/ok/e2e?visitor_id=test_external_id`);
    await postbackInput.pressSequentially('&payout={payout}&ev={event}&x={nope}');
    assert.equal(
      await preview.innerText(),
      `${receiver.origin}/ok/e2e?visitor_id=test_external_id&payout=1&ev=conversion&x=`,
    );
    await page.getByText('Unknown macro {nope}: sent empty.').waitFor();
    await postbackInput.fill(`${receiver.origin}/ok/e2e?visitor_id={external_id}&payout={payout}&ev={event}`);
    await page.getByRole('button', { name: 'Add traffic source' }).click();
    // A new source opens on its own page.
    await page.getByRole('heading', { level: 1, name: 'PropellerAds' }).waitFor();
    sourceId = Number(new URL(page.url()).pathname.split('/').pop());
    assert.ok(sourceId > 0, page.url());
    await page.getByText('No campaign uses this source yet').waitFor();
  });

  test("shows each campaign's URL to paste into the network", async () => {
    const response = await t.request({
      method: 'POST',
      url: '/api/v1/campaigns',
      token,
      payload: {
        name: 'Push offer',
        traffic_source_id: sourceId,
        destination_url: 'https://shop.example/land?cid={clickid}',
        cost_model: 'cpc',
        cost_value: 0.2,
        fraud_action: 'monitor',
        // The conversions below come the instant after their clicks: the fake-lead timing rule is off here.
        min_time_to_convert: 0,
      },
    });
    assert.equal(response.statusCode, 201, response.body);
    const created = response.json<{ data: { id: number; uuid: string; tracking_url_for_source: string } }>().data;
    campaign = created;
    await page.reload();
    const url = page.locator(`#source-url-${created.id}`);
    await url.waitFor();
    assert.equal(await url.innerText(), created.tracking_url_for_source);
    assert.match(created.tracking_url_for_source, /\?visitor_id=\$\{SUBID\}&cost=\{cost\}&zone=\{zoneid\}$/);
  });

  test('edits the postback with a live preview, saves it and sends a test to the receiver', async () => {
    const input = page.locator('#postback-template');
    const preview = page.getByTestId('postback-preview');
    assert.equal(
      await input.inputValue(),
      `${receiver.origin}/ok/e2e?visitor_id={external_id}&payout={payout}&ev={event}`,
    );
    await input.fill(`${receiver.origin}/ok/e2e-test?visitor_id={external_id}`);
    assert.equal(await preview.innerText(), `${receiver.origin}/ok/e2e-test?visitor_id=test_external_id`);
    // Unsaved: the test would call the old URL, so it waits for the save.
    assert.equal(await page.getByRole('button', { name: 'Send test' }).isDisabled(), true);
    await input.pressSequentially('&payout={payout}&tx={txid}');
    const previewed = await preview.innerText();
    assert.equal(previewed, `${receiver.origin}/ok/e2e-test?visitor_id=test_external_id&payout=1&tx=test_txid`);
    await page.getByRole('button', { name: 'Save postback URL' }).click();
    await page.getByRole('button', { name: 'Send test' }).click();
    const result = page.getByTestId('postback-test-result');
    await result.waitFor();
    const text = await result.innerText();
    assert.match(text, /Delivered · HTTP 200 · \d+ ms/);
    assert.match(text, /OK: conversion accepted/);
    // What the receiver got is, byte for byte, what the preview showed.
    const { pathname, search } = new URL(previewed);
    assert.deepEqual(callsTo('/ok/e2e-test'), [`GET ${pathname}${search} HTTP/1.1`]);

    // A network that answers 500: the answer says so, with the start of its body.
    await input.fill(`${receiver.origin}/fail/e2e-test?visitor_id={external_id}`);
    await page.getByRole('button', { name: 'Save postback URL' }).click();
    await page.getByRole('button', { name: 'Send test' }).click();
    await result.filter({ hasText: 'Not delivered · HTTP 500' }).waitFor();
    assert.match(await result.innerText(), /error 500/);
    assert.equal(callsTo('/fail/e2e-test').length, 1);
    await input.fill(`${receiver.origin}/ok/e2e-test?visitor_id={external_id}&payout={payout}&tx={txid}`);
    await page.getByRole('button', { name: 'Save postback URL' }).click();
    await page.getByRole('button', { name: 'Save postback URL' }).and(page.locator(':disabled')).waitFor();
  });

  test('a real click and conversion show in the delivery log; a fraudulent one is withheld and says why', async () => {
    const human = await click({ visitor_id: 'pa-human-1', zone: 'good-zone', cost: '0.05' });
    const bot = await click({ visitor_id: 'pa-bot-1', zone: 'bad-zone', cost: '0.05' }, 'python-requests/2.31.0');
    await postback({ clickid: human, payout: '12.50', txid: 'order-1', event: 'sale' });
    await postback({ clickid: bot, payout: '3', txid: 'order-2' });
    await receiver.waitFor(() => callsTo('/ok/e2e-test').length === 2, 5_000, 'the conversion postback');
    assert.equal(callsTo('/ok/e2e-test')[1], 'GET /ok/e2e-test?visitor_id=pa-human-1&payout=12.5&tx=order-1 HTTP/1.1');
    await page.getByRole('button', { name: 'Refresh' }).click();
    const log = page.getByTestId('postback-log');
    const delivered = log.locator('tr', { hasText: 'delivered' });
    await delivered.waitFor();
    const cells = await delivered.locator('td').allInnerTexts();
    assert.equal(cells[2], '1', 'attempts');
    assert.equal(cells[3], '200', 'status code');
    assert.match(cells[4] ?? '', /visitor_id=pa-human-1/);
    const withheld = log.locator('tr', { hasText: 'withheld' });
    await withheld.waitFor();
    assert.match(await withheld.innerText(), /fraudulent \(bot.*postback_fraudulent is false/);
    assert.equal(callsTo('/ok/e2e-test').length, 2, 'the withheld conversion made no call');
  });

  test('placements with their figures, and the exclusion list downloaded and copied', async () => {
    for (let i = 0; i < 3; i++) await click({ visitor_id: `pa-good-${i}`, zone: 'good-zone', cost: '0.05' });
    for (let i = 0; i < 3; i++)
      await click({ visitor_id: `pa-bad-${i}`, zone: 'bad-zone', cost: '0.05' }, 'python-requests/2.31.0');
    await page.reload();
    const table = page.getByTestId('placements');
    await table.locator('tr', { hasText: 'good-zone' }).waitFor();
    const good = await table.locator('tr', { hasText: 'good-zone' }).locator('td').allInnerTexts();
    assert.deepEqual(good, ['good-zone', '4', '0.00%', '1', '12.50', '0.20', '6150.00%']);
    const bad = await table.locator('tr', { hasText: 'bad-zone' }).locator('td').first().innerText();
    assert.equal(bad, 'bad-zone', 'not yet listed for exclusion: 4 clicks are under the default 20');
    await page.getByTestId('exclusion-count').filter({ hasText: 'No placement passes these thresholds.' }).waitFor();

    await page.locator('#ex-clicks').fill('4');
    await page.locator('#ex-rate').fill('50');
    await page.getByTestId('exclusion-count').filter({ hasText: '1 placement to exclude.' }).waitFor();
    await table.locator('tr', { hasText: 'bad-zone' }).getByText('to exclude').waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download .txt' }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^exclusions-propellerads-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.txt$/);
    assert.equal(readFileSync((await download.path())!, 'utf8'), 'bad-zone\n');
    await page.getByRole('button', { name: 'Copy list' }).click();
    await page.getByRole('button', { name: 'Copied!' }).waitFor();
    assert.equal(await page.evaluate<string>('navigator.clipboard.readText()'), 'bad-zone\n');
    await shoot('traffic-source');
  });

  test("a cost range from the network replaces the campaign's cost in its KPIs", async () => {
    await page.goto(`/campaigns/${campaign.id}`);
    const cost = page.locator('[data-kpi="Cost"]');
    await cost.filter({ hasText: /\d/ }).waitFor();
    const before = await cost.innerText();
    assert.notEqual(before, '25.00');
    await page.getByText('No cost ranges set').waitFor();
    await page.locator('#cost-from').fill(today);
    await page.locator('#cost-to').fill(today);
    await page.locator('#cost-amount').fill('25');
    await page.getByRole('button', { name: 'Set cost' }).click();
    await cost.filter({ hasText: /^25\.00$/ }).waitFor();
    // Profit and ROI follow: the revenue (the sale, and the bot's conversion: withheld from the network, still
    // counted here) against the 25.00 now spent.
    const revenue = Number(await page.locator('[data-kpi="Revenue"]').innerText());
    assert.equal(revenue, 15.5);
    await page
      .locator('[data-kpi="Profit"]')
      .filter({ hasText: /^-9\.50$/ })
      .waitFor();
    await page
      .locator('[data-kpi="ROI"]')
      .filter({ hasText: /^-38\.00%$/ })
      .waitFor();
    const row = page.getByTestId('cost-ranges').locator('tbody tr');
    assert.equal(await row.count(), 1);
    assert.match(await row.innerText(), new RegExp(`${today}[^]*1 day[^]*25\\.00`));
    await shoot('campaign-costs');
  });

  test('conversions show their event', async () => {
    await page.getByRole('link', { name: 'Conversions' }).click();
    await page.getByRole('columnheader', { name: 'Event' }).waitFor();
    const events = await page.getByTestId('conversion-event').allInnerTexts();
    assert.deepEqual(events.sort(), ['conversion', 'sale']);
  });

  test('the source page fits a phone-sized screen', async () => {
    await page.setViewportSize({ width: 375, height: 740 });
    await page.goto(`/traffic-sources/${sourceId}`);
    await page.getByTestId('placements').waitFor();
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    assert.ok(overflow <= 0, `the source page scrolls sideways by ${overflow}px`);
  });

  test('no console errors on the way', () => {
    assert.deepEqual(consoleErrors, []);
  });
});
