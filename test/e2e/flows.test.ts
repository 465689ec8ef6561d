import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startHttpApp, type HttpTestApp } from '../helpers/http-app.ts';
import { DIALECTS } from '../helpers/dialects.ts';
import { BROWSER_SKIP_REASON, ensureDashboardBuilt, launchChromium } from './browser.ts';

const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
/** DE addresses in different /24s, so no farm or burst rule sees one visitor twice. */
const germanIp = (i: number) => `84.${128 + i}.${i + 1}.${i + 2}`;

/**
 * Flows in the dashboard (issue 19), in Debian's Chromium against a real server on SQLite: offers and
 * a lander, the flow built in the editor (DE → lander A with offers X/Y at 70/30; mobile →
 * offer Z; default → offer D), its preview, real clicks through the tracking URL and the lander link,
 * then the per-path figures on the campaign page. The API's side runs on both databases in
 * test/api/flows.test.ts; here the browser is the point.
 */
describe('flows in the dashboard', { skip: BROWSER_SKIP_REASON }, () => {
  let t: HttpTestApp;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];
  let campaignId = 0;
  let campaignUuid = '';
  const offerIds = new Map<string, number>();
  /** DE clicks that went on through the lander's link, and the offer it sent each to. */
  const landed: Array<{ clickid: string; offer: string }> = [];

  before(async () => {
    ensureDashboardBuilt();
    t = await startHttpApp(DIALECTS[0]!, { TRUST_PROXY: 'true' });
    browser = await launchChromium();
    const context = await browser.newContext({ baseURL: t.baseUrl, viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('console', (message) => {
      // The refusals we cause on purpose (a reserved rule name, deleting an offer in use) are logged by Chromium.
      if (message.type() === 'error' && !/status of (400|409)/.test(message.text())) consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(String(error)));
    page.on('dialog', (dialog) => void dialog.accept());
  });

  after(async () => {
    await browser?.close();
    await t?.app.close();
    await t?.storage.dispose();
  });

  test('signs up and creates offers X, Y, Z, D and lander A', async () => {
    await page.goto('/sign-up');
    const email = `flows-${Date.now()}@example.com`;
    await page.getByLabel('Email').fill(email);
    await page.getByLabel(/^Password/).fill('correct horse battery');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('No campaigns yet').waitFor();
    // Professional: the test reloads whole pages (each a dozen requests) faster than anyone would, past
    // the starter plan's 60 requests a minute.
    await t.storage.db.updateTable('users').set({ plan: 'professional' }).where('email', '=', email).execute();

    await page.getByRole('link', { name: 'Offers', exact: true }).click();
    await page.getByText('No offers yet').waitFor();
    const rows = page.locator('table[aria-label="Offers"] tbody tr');
    for (const [i, [name, payout]] of (
      [
        ['X', '5'],
        ['Y', '7'],
        ['Z', '3'],
        ['D', '1'],
      ] as const
    ).entries()) {
      await page.getByLabel('Offer name').fill(name);
      await page.getByLabel(/^Offer URL/).fill(`https://${name.toLowerCase()}.example/go?cid={clickid}`);
      await page.getByLabel(/^Payout/).fill(payout);
      await page.getByRole('button', { name: 'Add offer' }).click();
      await rows.nth(i).waitFor();
    }
    for (const row of await rows.all()) {
      const id = Number((await row.getAttribute('data-testid'))!.replace('offer-', ''));
      offerIds.set((await row.locator('td').first().innerText()).trim(), id);
    }
    assert.deepEqual([...offerIds.keys()].sort(), ['D', 'X', 'Y', 'Z']);
    // Edit: the payout changes in the list.
    await rows.filter({ hasText: /^D/ }).getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel(/^Payout/).fill('1.5');
    await page.getByRole('button', { name: 'Save offer' }).click();
    await rows.filter({ hasText: /^D/ }).getByText('1.50').waitFor();

    await page.getByRole('link', { name: 'Landers', exact: true }).click();
    await page.getByLabel('Lander name').fill('A');
    await page.getByLabel(/^Lander URL/).fill('https://lander.example/a?cid={clickid}');
    await page.getByLabel(/^Offer links/).fill('2');
    await page.getByRole('button', { name: 'Add lander' }).click();
    await page.locator('table[aria-label="Landers"] tbody tr').filter({ hasText: 'A' }).waitFor();
  });

  test("builds the issue's flow in the editor; the API's refusal shows at its place; the preview says where visitors go", async () => {
    await page.getByRole('link', { name: 'Campaigns', exact: true }).click();
    await page.getByRole('link', { name: 'New campaign' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Split test');
    await page.getByLabel('Send visitors through a flow instead of the single destination URL').check();

    await page.getByRole('button', { name: 'Add a rule' }).click();
    await page.getByLabel('Rule 1 name', { exact: true }).fill('DE');
    await page.getByLabel('Rule 1 countries', { exact: true }).fill('de');
    await page.getByLabel('Rule 1 path 1 lander', { exact: true }).selectOption({ label: 'A' });
    await page.getByLabel('Rule 1 path 1 offer 1', { exact: true }).selectOption({ label: 'X' });
    await page.getByLabel('Rule 1 path 1 offer 1 weight', { exact: true }).fill('70');
    await page.getByRole('button', { name: 'Rule 1 path 1: add an offer' }).click();
    await page.getByLabel('Rule 1 path 1 offer 2', { exact: true }).selectOption({ label: 'Y' });
    await page.getByLabel('Rule 1 path 1 offer 2 weight', { exact: true }).fill('30');

    await page.getByRole('button', { name: 'Add a rule' }).click();
    // "default" is reserved for the default paths: the API refuses it and names the place.
    await page.getByLabel('Rule 2 name', { exact: true }).fill('default');
    await page.getByRole('group', { name: 'Rule 2 devices' }).getByLabel('mobile').check();
    await page.getByLabel('Rule 2 path 1 offer 1', { exact: true }).selectOption({ label: 'Z' });
    await page.getByLabel('Default path 1 offer 1', { exact: true }).selectOption({ label: 'D' });

    const preview = page.getByTestId('flow-preview');
    assert.equal(
      await preview.innerText(),
      'A visitor from DE on mobile (Android, Chrome, language de) goes to rule “DE” → lander A → offers X 70 % / Y 30 %',
    );
    await page.getByLabel('Preview country', { exact: true }).fill('US');
    assert.match(await preview.innerText(), /^A visitor from US on mobile .* goes to rule “default” → offer Z$/);
    await page.getByLabel('Preview device', { exact: true }).selectOption('desktop');
    assert.match(await preview.innerText(), /goes to no rule matches: the default paths → offer D$/);

    await page.getByRole('button', { name: 'Create campaign' }).click();
    const refusal = page.locator('[data-place="flow.rules[1].name"]');
    await refusal.waitFor();
    assert.match(await refusal.innerText(), /reserved/);
    assert.equal(await page.getByTestId('flow.rules[1]').locator('[data-place="flow.rules[1].name"]').count(), 1);

    await page.getByLabel('Rule 2 name', { exact: true }).fill('mobile');
    await page.getByLabel('Preview country', { exact: true }).fill('US');
    await page.getByLabel('Preview device', { exact: true }).selectOption('mobile');
    assert.match(await preview.innerText(), /goes to rule “mobile” → offer Z$/);
    await page.getByRole('button', { name: 'Create campaign' }).click();
    await page.getByRole('heading', { name: /Split test/ }).waitFor();
    campaignId = Number(/\/campaigns\/(\d+)$/.exec(page.url())?.[1]);
    campaignUuid = (await page.locator('#tracking-url').innerText()).split('/c/')[1] ?? '';
    assert.ok(campaignId > 0 && campaignUuid, page.url());
    await page.getByText(/Destination: a flow of 2 rules/).waitFor();

    // Editing loads the saved flow into the editor: the same preview (once the offers' names have loaded).
    await page.goto(`/campaigns/${campaignId}/edit`);
    assert.equal(await page.getByLabel('Rule 1 countries', { exact: true }).inputValue(), 'DE');
    const again = page.getByTestId('flow-preview').filter({ hasText: 'lander A → offers X 70 % / Y 30 %' });
    await again.waitFor();
    assert.equal(
      await again.innerText(),
      'A visitor from DE on mobile (Android, Chrome, language de) goes to rule “DE” → lander A → offers X 70 % / Y 30 %',
    );
  });

  test('real clicks and lander click-throughs show up per path, per offer and per lander', async () => {
    const DE_CLICKS = 10;
    for (let i = 0; i < DE_CLICKS; i++) {
      const response = await t.visit(`/c/${campaignUuid}?sub1=e2e`, { 'x-forwarded-for': germanIp(i) });
      assert.equal(response.status, 302);
      const location = new URL(response.headers.get('location')!);
      assert.equal(location.origin + location.pathname, 'https://lander.example/a', 'DE goes through lander A');
      const clickid = location.searchParams.get('cid')!;
      // Four of ten click through the lander: LP CTR 40 %.
      if (i < 4) {
        const through = await t.visit(`/lp/${clickid}`);
        assert.equal(through.status, 302);
        const offer = new URL(through.headers.get('location')!).host;
        assert.ok(['x.example', 'y.example'].includes(offer), offer);
        landed.push({ clickid, offer: offer === 'x.example' ? 'X' : 'Y' });
      }
    }
    for (const ip of ['66.249.66.1', '66.249.66.2']) {
      const response = await t.visit(`/c/${campaignUuid}`, { 'x-forwarded-for': ip, 'user-agent': IPHONE });
      assert.equal(new URL(response.headers.get('location')!).host, 'z.example', 'mobile outside DE → Z');
    }
    const desktop = await t.visit(`/c/${campaignUuid}`, { 'x-forwarded-for': '8.8.4.4' });
    assert.equal(new URL(desktop.headers.get('location')!).host, 'd.example', 'the default → D');
    // A postback without a payout earns the click's offer's (X 5, Y 7).
    const converted = landed[0]!;
    const postback = await t.visit(`/api/v1/postback?clickid=${converted.clickid}&txid=e2e-flow-1`);
    assert.ok(postback.status === 200 || postback.status === 201, String(postback.status));
    const payout = converted.offer === 'X' ? '5.00' : '7.00';

    await page.goto(`/campaigns/${campaignId}`);
    const paths = page.getByTestId('flow-stats-path');
    const cell = (table: typeof paths, value: string, measure: string) =>
      table.locator(`tr[data-value="${value}"] [data-measure="${measure}"]`);
    await cell(paths, 'DE #1', 'clicks')
      .filter({ hasText: new RegExp(`^${DE_CLICKS}$`) })
      .waitFor();
    assert.equal(await cell(paths, 'DE #1', 'lp_ctr').innerText(), '40.00%');
    assert.equal(await cell(paths, 'DE #1', 'conversions').innerText(), '1');
    assert.equal(await cell(paths, 'DE #1', 'revenue').innerText(), payout);
    assert.equal(await cell(paths, 'DE #1', 'epc').innerText(), (Number(payout) / DE_CLICKS).toFixed(2));
    assert.match(
      await paths.locator('tr[data-value="DE #1"] th').innerText(),
      /rule “DE” path 1: lander A → X 70 % \/ Y 30 %/,
    );
    assert.equal(await cell(paths, 'mobile #1', 'clicks').innerText(), '2');
    assert.equal(await cell(paths, 'default #1', 'clicks').innerText(), '1');
    await paths.getByText('best EPC').waitFor();

    await page.getByLabel('Split by').selectOption('offer');
    const offers = page.getByTestId('flow-stats-offer');
    const convertedId = String(offerIds.get(converted.offer));
    assert.equal(await cell(offers, convertedId, 'revenue').innerText(), payout);
    assert.match(
      await offers.locator(`tr[data-value="${convertedId}"] th`).innerText(),
      new RegExp(`^${converted.offer}`),
    );
    assert.equal(await cell(offers, String(offerIds.get('Z')), 'clicks').innerText(), '2');
    await page.getByLabel('Split by').selectOption('lander');
    const landers = page.getByTestId('flow-stats-lander');
    assert.match(await landers.locator('tbody tr').first().innerText(), /^A\s+10\s+4\s+40\.00%/);
  });

  test("a click's page says where the flow sent it", async () => {
    const { clickid, offer } = landed[0]!;
    await page.goto(`/clicks/${clickid}`);
    const facts = page.locator('dl.facts');
    await facts.getByText('rule “DE”, path 1').waitFor();
    assert.match(await facts.innerText(), /clicked through/);
    assert.match(await facts.innerText(), new RegExp(`Offer\\s+#${offerIds.get(offer)}`));
  });

  test('deleting an offer the flow uses is refused, naming the campaign', async () => {
    await page.getByRole('link', { name: 'Offers', exact: true }).click();
    const row = page.locator('table[aria-label="Offers"] tbody tr').filter({ hasText: /^X/ });
    await row.getByRole('button', { name: 'Delete' }).click();
    const error = page.getByTestId('delete-error');
    await error.waitFor();
    assert.match(
      await error.innerText(),
      new RegExp(`cannot be deleted: it is used by the flow of campaign #${campaignId}`),
    );
    assert.equal(await error.getByRole('link').getAttribute('href'), `/campaigns/${campaignId}/edit`);
    assert.equal(await page.locator('table[aria-label="Offers"] tbody tr').count(), 4, 'nothing deleted');
  });

  test('the flow pages fit a phone-sized screen', async () => {
    await page.setViewportSize({ width: 375, height: 740 });
    for (const path of ['/offers', '/landers', `/campaigns/${campaignId}/edit`, `/campaigns/${campaignId}`]) {
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
