import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startHttpApp, type HttpTestApp } from '../helpers/http-app.ts';
import { DIALECTS } from '../helpers/dialects.ts';
import { addMember } from '../helpers/members.ts';
import { BROWSER_SKIP_REASON, ensureDashboardBuilt, launchChromium } from './browser.ts';

/**
 * Issue 23's audit log in Debian's Chromium against a real server on SQLite: the owner finds a rename
 * with its name before and after, narrows the log by action, and a viewer has no link to the page.
 */
describe('audit log in the dashboard', { skip: BROWSER_SKIP_REASON }, () => {
  let t: HttpTestApp;
  let browser: Browser;
  let ownerToken = '';
  let viewerToken = '';
  const pageErrors: string[] = [];

  const pageFor = async (token: string) => {
    const context = await browser.newContext({ baseURL: t.baseUrl, viewport: { width: 1280, height: 900 } });
    await context.addInitScript({ content: `sessionStorage.setItem('cloakradar.token', ${JSON.stringify(token)});` });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    return page;
  };

  before(async () => {
    ensureDashboardBuilt();
    t = await startHttpApp(DIALECTS[0]!);
    ownerToken = (await t.signUp()).token;
    // Professional: a browser suite loads whole pages (each a dozen requests) faster than anyone would, past
    // the starter plan's 60 requests a minute.
    await t.storage.db.updateTable('users').set({ plan: 'professional' }).execute();
    const created = await t.request({
      method: 'POST',
      url: '/api/v1/campaigns',
      token: ownerToken,
      payload: { name: 'Spring sale' },
    });
    assert.equal(created.statusCode, 201, created.body);
    const renamed = await t.request({
      method: 'PUT',
      url: `/api/v1/campaigns/${created.json().data.id}`,
      token: ownerToken,
      payload: { name: 'Summer sale' },
    });
    assert.equal(renamed.statusCode, 200, renamed.body);
    viewerToken = (await addMember(t.request, ownerToken, { email: `v-${Date.now()}@team.test`, role: 'viewer' }))
      .token;
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await t?.app.close();
    await t?.storage.dispose();
  });

  test('the owner sees who changed what, before and after, and filters by action', async () => {
    const owner = await pageFor(ownerToken);
    await owner.goto('/campaigns');
    await owner.getByRole('link', { name: 'Audit log' }).click();
    await owner.getByRole('heading', { name: 'Audit log' }).waitFor();
    const table = owner.getByRole('table', { name: 'Audit log' });
    const update = table.getByRole('row').filter({ hasText: 'campaign #' }).filter({ hasText: 'update' });
    await update.waitFor();
    assert.match((await update.textContent()) ?? '', /"Spring sale".*→.*"Summer sale"/);
    await owner.getByLabel('Action').selectOption('update');
    await owner.getByRole('button', { name: 'Filter' }).click();
    // Only updates are left: the creations (the campaign, the viewer) leave the table.
    await table.getByRole('cell', { name: 'create', exact: true }).first().waitFor({ state: 'detached' });
    // Awaited, not counted at once: while the filtered page loads the table holds no rows at all.
    await table.getByRole('cell', { name: 'update', exact: true }).first().waitFor();
    assert.ok((await table.getByRole('cell', { name: 'update', exact: true }).count()) > 0);
    assert.deepEqual(pageErrors, []);
  });

  test('a viewer has no link to the audit log', async () => {
    const viewer = await pageFor(viewerToken);
    await viewer.goto('/campaigns');
    await viewer.getByRole('link', { name: 'Campaigns' }).waitFor();
    assert.equal(await viewer.getByRole('link', { name: 'Audit log' }).count(), 0);
    assert.deepEqual(pageErrors, []);
  });
});
