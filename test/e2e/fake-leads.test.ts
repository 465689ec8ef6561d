import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startHttpApp, type HttpTestApp } from '../helpers/http-app.ts';
import { DIALECTS } from '../helpers/dialects.ts';
import { BROWSER_SKIP_REASON, ensureDashboardBuilt, launchChromium } from './browser.ts';

/**
 * Fake leads in the dashboard (Debian's Chromium, a real server on SQLite): a campaign's minimum time to
 * convert set in its form, a bot's lead and a too-fast lead shown with a badge and their reasons in the
 * conversions list (and filtered), and the campaign's figures counting suspicious conversions.
 */
describe('fake leads in the dashboard', { skip: BROWSER_SKIP_REASON }, () => {
  let t: HttpTestApp;
  let browser: Browser;
  let page: Page;
  let token = '';
  let campaign = { id: 0, uuid: '' };
  const consoleErrors: string[] = [];
  let nextAddress = 0;

  /** One real click through the tracking URL (node:http) from a fresh residential address; its click id. */
  const click = async (userAgent?: string) => {
    nextAddress += 1;
    const response = await t.visit(`/c/${campaign.uuid}`, {
      'x-forwarded-for': `84.140.${nextAddress}.10`,
      ...(userAgent ? { 'user-agent': userAgent } : {}),
    });
    assert.equal(response.status, 302);
    return new URL(response.headers.get('location')!).searchParams.get('cid')!;
  };
  const postback = async (query: Record<string, string>) => {
    const response = await t.visit(`/api/v1/postback?${new URLSearchParams(query).toString()}`);
    assert.equal(response.status, 201, await response.text());
  };

  before(async () => {
    ensureDashboardBuilt();
    t = await startHttpApp(DIALECTS[0]!, { TRUST_PROXY: '127.0.0.1' });
    token = (await t.signUp()).token;
    // Professional: a browser suite loads whole pages (each a dozen requests) faster than anyone would, past
    // the starter plan's 60 requests a minute.
    await t.storage.db.updateTable('users').set({ plan: 'professional' }).execute();
    browser = await launchChromium();
    const context = await browser.newContext({ baseURL: t.baseUrl, viewport: { width: 1280, height: 900 } });
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
  });

  test('the campaign form sets the minimum time to convert; one over an hour is refused', async () => {
    const created = await t.createCampaign({ name: 'Lead gen' }, token);
    campaign = created;
    await page.goto(`/campaigns/${created.id}/edit`);
    const input = page.locator('#min-time-to-convert');
    assert.equal(await input.inputValue(), '3', 'the default');
    // Over the hour the API allows: the browser itself refuses to submit it.
    await input.fill('5000');
    await page.locator('#min-time-to-convert:invalid').waitFor();
    await input.fill('60');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForURL(`**/campaigns/${created.id}`);
    const shown = await t.request({ method: 'GET', url: `/api/v1/campaigns/${created.id}`, token });
    assert.equal(shown.json().data.min_time_to_convert, 60);
  });

  test('the conversions list shows suspicious leads with their reasons and filters them; the KPIs count them', async () => {
    await postback({ clickid: await click('python-requests/2.31.0'), payout: '9', txid: 'bot-lead' });
    await postback({ clickid: await click(), payout: '11', txid: 'fast-lead' });
    await page.goto('/conversions');
    const rows = page.locator('tbody tr');
    await rows.nth(1).waitFor();
    const reasons = await page.getByTestId('conversion-suspicious-reasons').allInnerTexts();
    assert.equal(reasons.length, 2, 'both leads are flagged');
    const all = reasons.join('\n');
    assert.match(all, /The click was flagged bot/);
    assert.match(all, /Converted \d+\.\d+ s after the click \(minimum 60 s\)/);
    assert.equal(await page.getByTestId('conversion-suspicious').count(), 2);

    await page.locator('#c-suspicious').selectOption('false');
    await page.getByText('No conversions match').waitFor();
    await page.locator('#c-suspicious').selectOption('true');
    await page.getByTestId('conversion-suspicious').nth(1).waitFor();

    await page.goto(`/campaigns/${campaign.id}`);
    await page.locator('[data-kpi="Conversions"]').filter({ hasText: /^2$/ }).waitFor();
    await page.locator('[data-kpi="Suspicious conv."]').filter({ hasText: /^2$/ }).waitFor();
    await page.locator('[data-kpi="Revenue"]').filter({ hasText: /20/ }).waitFor();
    assert.deepEqual(consoleErrors, []);
  });
});
