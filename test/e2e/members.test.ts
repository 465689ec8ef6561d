import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startHttpApp, type HttpTestApp } from '../helpers/http-app.ts';
import { DIALECTS } from '../helpers/dialects.ts';
import { MEMBER_PASSWORD } from '../helpers/members.ts';
import { BROWSER_SKIP_REASON, ensureDashboardBuilt, launchChromium } from './browser.ts';

/**
 * Issue 23's dashboard in Debian's Chromium against a real server on SQLite: the owner invites a
 * viewer and sees the link once, the viewer accepts it in a browser of their own, signs in and finds
 * no button they may not use; the owner then changes the role and removes the member.
 */
describe('members in the dashboard', { skip: BROWSER_SKIP_REASON }, () => {
  let t: HttpTestApp;
  let browser: Browser;
  let owner: Page;
  let ownerToken = '';
  const viewerEmail = `viewer-${Date.now()}@team.test`;
  const pageErrors: string[] = [];

  const pageFor = async (token: string | null) => {
    const context = await browser.newContext({ baseURL: t.baseUrl, viewport: { width: 1280, height: 900 } });
    if (token)
      await context.addInitScript({ content: `sessionStorage.setItem('cloakradar.token', ${JSON.stringify(token)});` });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    return page;
  };
  const membersOf = async () =>
    (await t.request({ method: 'GET', url: '/api/v1/members', token: ownerToken })).json().data as Array<{
      id: number;
      email: string;
      role: string;
    }>;

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
      payload: { name: 'Spring sale', destination_url: 'https://shop.example/' },
    });
    assert.equal(created.statusCode, 201, created.body);
    browser = await launchChromium();
    owner = await pageFor(ownerToken);
  });
  after(async () => {
    await browser?.close();
    await t?.app.close();
    await t?.storage.dispose();
  });

  test('invite, accept, and a viewer sees no write buttons', async () => {
    await owner.goto('/members');
    await owner.getByLabel('Email').fill(viewerEmail);
    await owner.getByLabel('Role').selectOption('viewer');
    await owner.getByRole('button', { name: 'Invite' }).click();
    const link = (await owner.getByTestId('invitation-link').textContent()) ?? '';
    assert.match(link, /\/accept-invitation#token=inv_/);
    await owner.getByRole('row', { name: new RegExp(viewerEmail) }).waitFor();

    const invitee = await pageFor(null);
    await invitee.goto(new URL(link).pathname + new URL(link).hash);
    await invitee.getByLabel('Choose a password').fill(MEMBER_PASSWORD);
    await invitee.getByRole('button', { name: 'Set password' }).click();
    await invitee.getByText('Welcome aboard').waitFor();
    await invitee.getByRole('link', { name: 'Sign in' }).click();
    await invitee.getByLabel('Email').fill(viewerEmail);
    await invitee.getByLabel('Password').fill(MEMBER_PASSWORD);
    await invitee.getByRole('button', { name: 'Sign in' }).click();

    // The viewer reads campaigns but gets no button to change them, nor the members page.
    await invitee.getByRole('link', { name: 'Spring sale' }).waitFor();
    await invitee.getByRole('link', { name: 'Campaigns' }).waitFor();
    assert.equal(await invitee.getByRole('link', { name: 'New campaign' }).count(), 0);
    assert.equal(await invitee.getByRole('link', { name: 'Edit' }).count(), 0);
    assert.equal(await invitee.getByRole('button', { name: 'Delete' }).count(), 0);
    assert.equal(await invitee.getByRole('link', { name: 'Members' }).count(), 0);
    await invitee.getByRole('link', { name: 'Offers' }).click();
    await invitee.getByRole('heading', { name: 'Offers' }).waitFor();
    assert.equal(await invitee.getByRole('button', { name: /Save|Create|Add/ }).count(), 0);
    await invitee.getByRole('link', { name: 'Settings' }).click();
    await invitee.getByRole('heading', { name: 'Webhooks' }).waitFor();
    assert.equal(await invitee.getByRole('button', { name: 'Add webhook' }).count(), 0);
    assert.equal(await invitee.getByRole('button', { name: /Require a token|Replace the token/ }).count(), 0);
    // The owner, for contrast, has them.
    await owner.goto('/campaigns');
    await owner.getByRole('link', { name: 'New campaign' }).waitFor();
  });

  test('the owner changes the role, then removes the member', async () => {
    await owner.goto('/members');
    const row = owner.getByRole('row', { name: new RegExp(viewerEmail) });
    await row.getByLabel(`Role of ${viewerEmail}`).selectOption('manager');
    await row.getByRole('button', { name: 'Save' }).click();
    await waitUntil(async () => (await membersOf()).find((m) => m.email === viewerEmail)?.role === 'manager');
    owner.once('dialog', (dialog) => void dialog.accept());
    await row.getByRole('button', { name: 'Remove' }).click();
    await waitUntil(async () => !(await membersOf()).some((m) => m.email === viewerEmail));
    await owner.getByRole('row', { name: new RegExp(viewerEmail) }).waitFor({ state: 'detached' });
    assert.deepEqual(pageErrors, []);
  });
});

async function waitUntil(condition: () => Promise<boolean>, ms = 5_000) {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
