import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startHttpApp, type HttpTestApp } from '../helpers/http-app.ts';
import { DIALECTS } from '../helpers/dialects.ts';
import { BROWSER_SKIP_REASON, ensureDashboardBuilt, launchChromium } from './browser.ts';

/**
 * The dashboard in Debian's Chromium against a real server on SQLite: one browser, one page, the
 * steps of a user's first session in order.
 */
describe('dashboard in a browser', { skip: BROWSER_SKIP_REASON }, () => {
  let t: HttpTestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const consoleErrors: string[] = [];
  const email = `e2e-${Date.now()}@example.com`;
  const password = 'correct horse battery';
  let campaignUuid = '';
  /** `SCREENSHOTS=1 npm test -- dashboard` refreshes the pictures in docs/screenshots (linked from the README). */
  const shoot = async (name: string) => {
    if (process.env.SCREENSHOTS)
      await page.screenshot({
        path: join(resolve(import.meta.dirname, '../../docs/screenshots'), `${name}.png`),
        fullPage: true,
      });
  };

  before(async () => {
    ensureDashboardBuilt();
    t = await startHttpApp(DIALECTS[0]!, { TRUST_PROXY: 'true' });
    browser = await launchChromium();
    context = await browser.newContext({ baseURL: t.baseUrl, viewport: { width: 1280, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: t.baseUrl });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('console', (message) => {
      // The one failed request we cause on purpose (a wrong password) is logged by Chromium itself.
      if (message.type() === 'error' && !/status of 401/.test(message.text())) consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(String(error)));
    page.on('dialog', (dialog) => void dialog.accept());
  });

  after(async () => {
    await browser?.close();
    await t?.app.close();
    await t?.storage.dispose();
  });

  test('serves the app at / with caching headers, and index.html for unknown page paths', async () => {
    const index = await fetch(`${t.baseUrl}/`);
    assert.equal(index.status, 200);
    assert.equal(index.headers.get('cache-control'), 'no-cache');
    const html = await index.text();
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    assert.ok(asset, html);
    const script = await fetch(`${t.baseUrl}${asset}`);
    assert.equal(script.status, 200);
    assert.match(script.headers.get('cache-control') ?? '', /max-age=31536000.*immutable/);
    const deep = await fetch(`${t.baseUrl}/campaigns/12`);
    assert.equal(deep.status, 200);
    assert.match(deep.headers.get('content-type') ?? '', /text\/html/);
    assert.equal((await fetch(`${t.baseUrl}/api/v1/nope`)).status, 404);
    assert.equal((await fetch(`${t.baseUrl}/assets/missing.js`)).status, 404);
  });

  test('sign up, sign out, a clear error on a wrong password, sign in', async () => {
    await page.goto('/');
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel(/^Password/).fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('No campaigns yet').waitFor();
    // Professional: this suite loads whole pages (each a dozen requests, the member's rights among them)
    // faster than anyone would, past the starter plan's 60 requests a minute.
    await t.storage.db.updateTable('users').set({ plan: 'professional' }).where('email', '=', email).execute();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel(/^Password/).fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const error = page.getByRole('alert');
    await error.waitFor();
    assert.match(await error.innerText(), /invalid|incorrect|wrong/i);
    await page.getByLabel(/^Password/).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Campaigns' }).waitFor();
  });

  test('creates a campaign with a macro destination, previewed live; copies the tracking URL', async () => {
    await page.getByRole('link', { name: 'New campaign' }).click();
    await page.getByLabel('Name').fill('Spring sale');
    await page.getByLabel(/^Destination URL/).fill('https://shop.example/land?cid=');
    await page.getByRole('button', { name: '{clickid}' }).click();
    const preview = page.getByTestId('destination-preview');
    assert.equal(await preview.innerText(), 'https://shop.example/land?cid=clk_7Hq2xV9mKp3RtY8wZb4N1c');
    await page.getByLabel('Cost value').fill('0.5');
    await page.getByRole('button', { name: 'Create campaign' }).click();
    await page.getByRole('heading', { name: /Spring sale/ }).waitFor();
    const trackingUrl = await page.locator('#tracking-url').innerText();
    campaignUuid = trackingUrl.split('/c/')[1] ?? '';
    assert.ok(campaignUuid);
    await page.locator('.copyline').first().getByRole('button', { name: 'Copy' }).click();
    await page.getByRole('button', { name: 'Copied!' }).waitFor();
    assert.equal(await page.evaluate<string>('navigator.clipboard.readText()'), trackingUrl);
  });

  test('real clicks appear in the live feed and the KPIs; a click shows its reasons', async () => {
    await page.getByTestId('live-state').filter({ hasText: 'live' }).waitFor();
    const clickIds: string[] = [];
    for (const ip of ['81.2.69.142', '81.2.69.160', '89.160.20.112']) {
      const response = await t.visit(`/c/${campaignUuid}`, { 'x-forwarded-for': ip });
      assert.equal(response.status, 302);
      clickIds.push(new URL(response.headers.get('location')!).searchParams.get('cid')!);
    }
    await t.visit(`/c/${campaignUuid}`, { 'x-forwarded-for': '81.2.69.200', 'user-agent': 'python-requests/2.31.0' });
    await page.getByTestId('live-feed').locator('li').nth(3).waitFor();
    await page.locator('[data-kpi="Clicks"]').filter({ hasText: /^4$/ }).waitFor();
    await page.getByTestId('live-feed').locator('li a').first().click();
    await page.getByRole('heading', { name: 'Why this verdict' }).waitFor();
    assert.ok((await page.getByTestId('reasons').innerText()).length > 0);
    await shoot('click-detail');
    // A conversion by postback moves the KPIs.
    const postback = await t.visit(`/api/v1/postback?clickid=${clickIds[0]}&payout=42&txid=e2e-1`);
    assert.equal(postback.status, 201);
    await page.goBack();
    await page.reload();
    await page.locator('[data-kpi="Conversions"]').filter({ hasText: /^1$/ }).waitFor();
    await page.locator('[data-kpi="Revenue"]').filter({ hasText: /42/ }).waitFor();
    await shoot('campaign-detail');
  });

  test('generates a fraud report and sees it become ready', async () => {
    await page.getByRole('link', { name: 'Fraud' }).click();
    await page.getByRole('button', { name: 'Generate report' }).click();
    await page.locator('[data-testid^="report-"]').getByText('ready').waitFor({ timeout: 15_000 });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'CSV' }).click(),
    ]);
    const csv = readFileSync((await download.path())!, 'utf8');
    assert.match(
      csv,
      /^time,click_id,gclid,ip,country,fraud_type,reasons,cost\r?\n/,
      "the downloaded CSV, with the platform's click-id column",
    );
    assert.match(csv, /python-requests/, 'the bot click is in it, with its reason');
    await shoot('fraud');
  });

  test('generates an API key (secret shown once) and revokes it', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Name').fill('Reporting');
    await page.getByRole('button', { name: 'Generate API key' }).click();
    assert.ok((await page.getByTestId('secret').innerText()).length >= 16);
    await page.getByRole('button', { name: 'I have stored it' }).click();
    await page.getByRole('cell', { name: 'Reporting' }).waitFor();
    await page.getByRole('button', { name: 'Revoke' }).click();
    await page.getByText(/No API keys/).waitFor();
    assert.match(await page.getByTestId('rate-limit').innerText(), /left in this window/);
    await shoot('settings');
  });

  test('fits a phone-sized screen', async () => {
    await page.setViewportSize({ width: 375, height: 740 });
    for (const path of ['/campaigns', '/clicks', '/settings']) {
      await page.goto(path);
      await page.getByRole('heading', { level: 1 }).waitFor();
      const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
      assert.ok(overflow <= 0, `${path} scrolls sideways by ${overflow}px`);
    }
  });

  test('no console errors on the way', () => {
    assert.deepEqual(consoleErrors, []);
  });
});
