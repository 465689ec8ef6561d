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

  const pageFor = (token: string | null) => openPage(browser, t.baseUrl, token, pageErrors);
  const membersOf = async () =>
    (await t.request({ method: 'GET', url: '/api/v1/members', token: ownerToken })).json().data as Array<{
      id: number;
      email: string;
      role: string;
    }>;

  before(async () => {
    ({ t, ownerToken } = await startWorkspace());
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

describe('campaign limits and passwords in the dashboard', { skip: BROWSER_SKIP_REASON }, () => {
  let t: HttpTestApp;
  let browser: Browser;
  let owner: Page;
  let ownerToken = '';
  const campaignIds = new Map<string, number>();
  let sourceId = 0;
  const managerEmail = `limited-${Date.now()}@team.test`;
  const pageErrors: string[] = [];

  const pageFor = (token: string) => openPage(browser, t.baseUrl, token, pageErrors);
  const memberNamed = async (email: string) =>
    (
      (await t.request({ method: 'GET', url: '/api/v1/members', token: ownerToken })).json().data as Array<{
        id: number;
        email: string;
        campaign_ids: number[] | null;
      }>
    ).find((m) => m.email === email);

  before(async () => {
    ({ t, ownerToken } = await startWorkspace());
    for (const name of ['Spring sale', 'Autumn sale']) {
      const created = await t.request({
        method: 'POST',
        url: '/api/v1/campaigns',
        token: ownerToken,
        payload: { name, destination_url: 'https://shop.example/' },
      });
      assert.equal(created.statusCode, 201, created.body);
      campaignIds.set(name, created.json().data.id);
    }
    const source = await t.request({
      method: 'POST',
      url: '/api/v1/traffic-sources',
      token: ownerToken,
      payload: { name: 'Push network', platform: 'other' },
    });
    assert.equal(source.statusCode, 201, source.body);
    sourceId = source.json().data.id;
    browser = await launchChromium();
    owner = await pageFor(ownerToken);
  });
  after(async () => {
    await browser?.close();
    await t?.app.close();
    await t?.storage.dispose();
  });

  test('the owner limits a manager by campaign name; the manager sees no New campaign and no workspace pages', async () => {
    await owner.goto('/members');
    await owner.getByLabel('Email').fill(managerEmail);
    await owner.getByLabel('Role').selectOption('manager');
    const invite = owner.getByRole('region', { name: 'Invite a member' });
    await invite
      .getByRole('group', { name: /Campaigns/ })
      .getByLabel('Spring sale')
      .check();
    await owner.getByRole('button', { name: 'Invite' }).click();
    const link = (await owner.getByTestId('invitation-link').textContent()) ?? '';
    assert.deepEqual((await memberNamed(managerEmail))?.campaign_ids, [campaignIds.get('Spring sale')]);
    // The table names the campaign, not its id.
    const row = owner.getByRole('row', { name: new RegExp(managerEmail) });
    await row
      .getByRole('group', { name: `Campaigns of ${managerEmail}` })
      .getByLabel('Spring sale')
      .waitFor();
    assert.equal(await row.getByLabel('Spring sale').isChecked(), true);
    assert.equal(await row.getByLabel('Autumn sale').isChecked(), false);

    const accepted = await t.request({
      method: 'POST',
      url: '/api/v1/members/accept',
      payload: { token: new URL(link).hash.replace('#token=', ''), password: MEMBER_PASSWORD },
    });
    assert.equal(accepted.statusCode, 200, accepted.body);
    const token = (
      await t.request({
        method: 'POST',
        url: '/api/v1/auth/token',
        payload: { email: managerEmail, password: MEMBER_PASSWORD },
      })
    ).json().token as string;
    const manager = await pageFor(token);
    await manager.goto('/campaigns');
    await manager.getByRole('link', { name: 'Spring sale' }).waitFor();
    // The Edit link shows once /members/me has answered: it is the control the limit still allows.
    await manager.getByRole('link', { name: 'Edit' }).waitFor();
    assert.equal(await manager.getByRole('link', { name: 'Autumn sale' }).count(), 0);
    assert.equal(await manager.getByRole('link', { name: 'New campaign' }).count(), 0);
    assert.equal(await manager.getByRole('link', { name: 'Connections' }).count(), 0);
    await manager.getByRole('link', { name: 'Offers' }).click();
    await manager.getByRole('heading', { name: 'Offers' }).waitFor();
    assert.equal(await manager.getByRole('heading', { name: 'New offer' }).count(), 0);
    // A source's postback settings, delivery log and placements span every campaign it feeds.
    await manager.goto(`/traffic-sources/${sourceId}`);
    await manager.getByRole('heading', { name: 'Tracking URLs to paste into the network' }).waitFor();
    // The Settings link needs /members/me's answer too: once it shows, the hidden sections are decided.
    await manager.getByRole('link', { name: 'Settings' }).waitFor();
    await owner.goto(`/traffic-sources/${sourceId}`);
    await owner.getByRole('heading', { name: 'Delivery log' }).waitFor();
    for (const heading of ['Postback to the network', 'Delivery log', 'Placements']) {
      assert.equal(await manager.getByRole('heading', { name: heading }).count(), 0, heading);
    }
    await manager.getByRole('link', { name: 'Settings' }).click();
    await manager.getByRole('heading', { name: 'Your password' }).waitFor();
    assert.equal(await manager.getByRole('heading', { name: 'Webhooks' }).count(), 0);

    // The manager changes their password: a wrong current one is refused, then the right one works and
    // this tab stays signed in while the old token ends.
    await manager.getByLabel('Current password').fill('not my password');
    await manager.getByLabel('New password', { exact: true }).fill('a brand new member password');
    await manager.getByLabel('Repeat the new password').fill('a brand new member password');
    await manager.getByRole('button', { name: 'Change password' }).click();
    await manager.getByRole('alert').filter({ hasText: 'The current password is wrong' }).waitFor();
    await manager.getByLabel('Current password').fill(MEMBER_PASSWORD);
    await manager.getByRole('button', { name: 'Change password' }).click();
    await manager.getByRole('status').filter({ hasText: 'Password changed' }).waitFor();
    const old = await t.request({ method: 'GET', url: '/api/v1/members/me', token });
    assert.equal(old.statusCode, 401);
    await manager.getByRole('link', { name: 'Campaigns' }).click();
    await manager.getByRole('link', { name: 'Spring sale' }).waitFor();
    const signIn = await t.request({
      method: 'POST',
      url: '/api/v1/auth/token',
      payload: { email: managerEmail, password: 'a brand new member password' },
    });
    assert.equal(signIn.statusCode, 200, signIn.body);
  });

  test('the owner widens the limit with the picker', async () => {
    await owner.goto('/members');
    const row = owner.getByRole('row', { name: new RegExp(managerEmail) });
    await row.getByLabel('Autumn sale').check();
    await row.getByRole('button', { name: 'Save' }).click();
    await waitUntil(async () => (await memberNamed(managerEmail))?.campaign_ids?.length === 2);
    assert.deepEqual(
      [...((await memberNamed(managerEmail))?.campaign_ids ?? [])].sort((a, b) => a - b),
      [...campaignIds.values()].sort((a, b) => a - b),
    );
    assert.deepEqual(pageErrors, []);
  });
});

/** A server on SQLite and its owner's token, on the professional plan. */
async function startWorkspace(): Promise<{ t: HttpTestApp; ownerToken: string }> {
  ensureDashboardBuilt();
  const t = await startHttpApp(DIALECTS[0]!);
  const ownerToken = (await t.signUp()).token;
  // Professional: a browser suite loads whole pages (each a dozen requests) faster than anyone would, past
  // the starter plan's 60 requests a minute.
  await t.storage.db.updateTable('users').set({ plan: 'professional' }).execute();
  return { t, ownerToken };
}

/** A browser tab of its own (a separate sessionStorage), signed in with `token` or not at all. */
async function openPage(browser: Browser, baseURL: string, token: string | null, errors: string[]): Promise<Page> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 900 } });
  if (token)
    await context.addInitScript({ content: `sessionStorage.setItem('cloakradar.token', ${JSON.stringify(token)});` });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on('pageerror', (error) => errors.push(String(error)));
  return page;
}

async function waitUntil(condition: () => Promise<boolean>, ms = 5_000) {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
