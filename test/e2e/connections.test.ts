import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startHttpApp, type HttpTestApp } from '../helpers/http-app.ts';
import { DIALECTS } from '../helpers/dialects.ts';
import { startAdPlatformReceiver, type AdPlatformReceiver } from '../helpers/ad-platform-receiver.ts';
import { BROWSER_SKIP_REASON, ensureDashboardBuilt, launchChromium } from './browser.ts';

const SECRETS = {
  client_id: 'client-1.apps.googleusercontent.com',
  client_secret: 'GOCSPX-browser-secret',
  refresh_token: 'refresh-ok',
  developer_token: 'dev-token-browser',
};

/**
 * Issue 25's Connections page in Debian's Chromium against a real server on SQLite, with Google Ads
 * played by the loopback stand-in: the owner signs in, connects an account through the form, finds it
 * listed with none of its secrets on the page, tests it and reads the answer and the log line, then
 * links a campaign to a Google Ads campaign id in the campaign form.
 */
describe('connections in the dashboard', { skip: BROWSER_SKIP_REASON }, () => {
  let receiver: AdPlatformReceiver;
  let t: HttpTestApp;
  let browser: Browser;
  let page: Page;
  let owner = { token: '', email: '', password: '' };
  const consoleErrors: string[] = [];

  before(async () => {
    ensureDashboardBuilt();
    receiver = await startAdPlatformReceiver();
    // No scheduled sync: the only calls to the stand-in are the ones this test makes.
    t = await startHttpApp(DIALECTS[0]!, { ...receiver.env, CONNECTIONS_SYNC_MINUTES: '0' });
    owner = await t.signUp();
    // Professional: a browser suite loads whole pages (each a dozen requests) faster than anyone would, past
    // the starter plan's 60 requests a minute.
    await t.storage.db.updateTable('users').set({ plan: 'professional' }).execute();
    browser = await launchChromium();
    const context = await browser.newContext({ baseURL: t.baseUrl, viewport: { width: 1280, height: 900 } });
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

  test('sign in, connect Google Ads, no secret shown, Test answers and logs', async () => {
    await page.goto('/');
    await page.getByLabel('Email').fill(owner.email);
    await page.getByLabel(/^Password/).fill(owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Connections' }).click();
    await page.getByRole('heading', { name: 'Connections', level: 1 }).waitFor();
    await page.getByText('No connections yet').waitFor();

    await page.getByLabel('Platform').selectOption('google');
    await page.getByLabel('Name', { exact: true }).fill('Shop Google Ads');
    await page.getByLabel('Customer id (123-456-7890)').fill('123-456-7890');
    await page.getByLabel('Conversion action id').fill('555');
    await page.getByLabel('Currency of conversion values').fill('EUR');
    await page.getByLabel('OAuth client ID').fill(SECRETS.client_id);
    await page.getByLabel('OAuth client secret').fill(SECRETS.client_secret);
    await page.getByLabel('Refresh token').fill(SECRETS.refresh_token);
    await page.getByLabel('Developer token').fill(SECRETS.developer_token);
    await page.getByRole('button', { name: 'Connect' }).click();

    const card = page.getByRole('region', { name: 'Shop Google Ads' });
    await card.waitFor();
    // The form is emptied once the server has the secrets; neither the list nor the form shows any of them.
    assert.equal(await page.getByLabel('OAuth client secret').inputValue(), '');
    const html = await page.content();
    for (const secret of Object.values(SECRETS)) assert.ok(!html.includes(secret), `${secret} is on the page`);
    const listed = await t.request({ method: 'GET', url: '/api/v1/connections', token: owner.token });
    assert.equal(listed.statusCode, 200, listed.body);
    const [connection] = listed.json().data as Array<{ platform: string; customer_id: string; currency: string }>;
    assert.equal(connection?.platform, 'google');
    assert.equal(connection?.customer_id, '1234567890');
    assert.equal(connection?.currency, 'EUR');
    for (const secret of Object.values(SECRETS)) assert.ok(!listed.body.includes(secret));

    // Google refuses the refresh token first: the card says why and asks for attention.
    receiver.script('/token', {
      kind: 'status',
      status: 400,
      body: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' },
    });
    const testButton = card.getByRole('button', { name: 'Test' });
    await testButton.click();
    await card
      .getByRole('alert')
      .filter({ hasText: /invalid_grant|expired or revoked/ })
      .waitFor();
    await card.locator('h2 .badge', { hasText: 'needs_attention' }).waitFor();

    // Then it accepts them: the answer is shown, the warning goes, and the stand-in was really asked.
    await testButton.click();
    await card.getByRole('status').filter({ hasText: 'customer 1234567890 is reachable' }).waitFor();
    await card.getByRole('alert').waitFor({ state: 'detached' });
    assert.ok(receiver.calls.some((call) => call.path.endsWith('/customers/1234567890/googleAds:search')));

    await card.getByRole('button', { name: 'Show log' }).click();
    const lines = card.getByRole('table', { name: 'Connection log' }).locator('tbody tr');
    await lines.nth(1).waitFor();
    assert.equal(await lines.count(), 2);
    const newest = await lines.nth(0).locator('td').allInnerTexts();
    const oldest = await lines.nth(1).locator('td').allInnerTexts();
    assert.deepEqual([newest[1], newest[2]], ['test', 'ok']);
    assert.match(newest[3] ?? '', /customer 1234567890 is reachable/);
    assert.deepEqual([oldest[1], oldest[2]], ['test', 'error']);
    assert.match(oldest[3] ?? '', /invalid_grant|expired or revoked/);
    assert.ok(!(await page.content()).includes(SECRETS.client_secret));
  });

  test('a Test request that never reaches the server says so', async () => {
    const card = page.getByRole('region', { name: 'Shop Google Ads' });
    await page.route('**/api/v1/connections/*/test', (route) => route.abort('connectionrefused'), { times: 1 });
    const before = consoleErrors.length;
    await card.getByRole('button', { name: 'Test' }).click();
    await card.getByRole('alert').filter({ hasText: 'cannot be reached' }).waitFor();
    // Chromium reports the refused request itself; that is the failure this step makes, nothing else.
    const made = consoleErrors.splice(before);
    assert.ok(
      made.every((line) => /Failed to load resource/.test(line)),
      made.join('\n'),
    );
  });

  test('the campaign form saves a Google Ads campaign id', async () => {
    const campaign = await t.createCampaign({ name: 'Linked' }, owner.token);
    await page.goto(`/campaigns/${campaign.id}/edit`);
    const input = page.getByLabel(/Google Ads campaign id/);
    assert.equal(await input.inputValue(), '');
    // Dashes as the Google Ads UI may show them are dropped on save.
    await input.fill('987-654-321');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForURL(`**/campaigns/${campaign.id}`);
    const shown = await t.request({ method: 'GET', url: `/api/v1/campaigns/${campaign.id}`, token: owner.token });
    assert.equal(shown.json().data.google_ads_campaign_id, '987654321');
    await page.goto(`/campaigns/${campaign.id}/edit`);
    assert.equal(await page.getByLabel(/Google Ads campaign id/).inputValue(), '987654321');
    assert.deepEqual(consoleErrors, []);
  });
});
