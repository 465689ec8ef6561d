import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { parse } from 'csv-parse/sync';
import { startHttpApp, type HttpTestApp } from '../helpers/http-app.ts';
import { DIALECTS } from '../helpers/dialects.ts';
import { bulkClickRow, writeClicks } from '../helpers/bulk-clicks.ts';
import { BROWSER_SKIP_REASON, ensureDashboardBuilt, launchChromium } from './browser.ts';

type CsvRecord = Record<string, string>;

/**
 * The report builder (issue 20) in Debian's Chromium against a real server on SQLite: a two-level
 * report opened a row at a time, sorted by a column, kept in the address (reload and a shared link show
 * the same report) and exported; then the conversions list's export and a click's sub ids.
 * Alpha has 6 clicks (4 DE, 2 US) and no conversion; Beta 3 clicks (FR), two of them converted.
 */
describe('reports in a browser', { skip: BROWSER_SKIP_REASON }, () => {
  let t: HttpTestApp;
  let browser: Browser;
  let page: Page;
  let token = '';
  let alphaId = 0;
  let betaClickId = '';
  const consoleErrors: string[] = [];
  /** `SCREENSHOTS=1 npm test -- e2e/reports` refreshes the picture in docs/screenshots (linked from the README). */
  const shoot = async (name: string) => {
    if (process.env.SCREENSHOTS)
      await page.screenshot({
        path: join(resolve(import.meta.dirname, '../../docs/screenshots'), `${name}.png`),
        fullPage: true,
      });
  };

  /** The rows the table shows at one level, as their grouping labels, in order. */
  // A level shows a one-cell "Loading" row first, so waits are for labelled rows, never for any row of the level.
  const labelled = (level: number) =>
    page.locator(`table[data-testid="report"] tr[data-level="${level}"] .group-label`);
  const labelsAt = (level: number) => labelled(level).allInnerTexts();
  const metricOf = (label: string, metric: string) =>
    page
      .locator('table[data-testid="report"] tbody tr')
      .filter({ has: page.locator('.group-label', { hasText: new RegExp(`^${label}$`) }) })
      .locator(`td[data-metric="${metric}"]`)
      .innerText();
  const download = async (button: string): Promise<CsvRecord[]> => {
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: button }).click(),
    ]);
    return parse(readFileSync((await file.path())!, 'utf8'), { columns: true }) as CsvRecord[];
  };

  before(async () => {
    ensureDashboardBuilt();
    t = await startHttpApp(DIALECTS[0]!);
    const alpha = await t.createCampaign({ name: 'Alpha' });
    token = alpha.token;
    // Professional: a browser suite loads whole pages (each a dozen requests) faster than anyone would, past
    // the starter plan's 60 requests a minute.
    await t.storage.db.updateTable('users').set({ plan: 'professional' }).execute();
    alphaId = alpha.id;
    const beta = await t.createCampaign({ name: 'Beta' }, token);
    const { user_id: userId } = await t.storage.db
      .selectFrom('campaigns')
      .select('user_id')
      .where('id', '=', alpha.id)
      .executeTakeFirstOrThrow();
    const at = Date.now() - 120_000;
    const rows = [
      ...['DE', 'DE', 'DE', 'DE', 'US', 'US'].map((country, i) =>
        bulkClickRow(Number(userId), alpha.id, { at: at + i, country, fields: { sub2: `zone_${i}` } }),
      ),
      ...[0, 1, 2].map((i) =>
        bulkClickRow(Number(userId), beta.id, { at: at + 10 + i, country: 'FR', fields: { sub9: `creative_${i}` } }),
      ),
    ];
    await writeClicks(t.storage, rows);
    betaClickId = rows[6]!.id;
    for (const [i, click] of [rows[6]!, rows[7]!].entries()) {
      const response = await t.request({
        method: 'POST',
        url: '/api/v1/conversions',
        token,
        payload: {
          click_id: click.id,
          payout: 10,
          transaction_id: `tx-${i}`,
          status: i === 0 ? 'approved' : 'pending',
        },
      });
      assert.equal(response.statusCode, 201, response.body);
    }
    browser = await launchChromium();
    const context = await browser.newContext({ baseURL: t.baseUrl, viewport: { width: 1400, height: 900 } });
    await context.addInitScript({ content: `sessionStorage.setItem('cloakradar.token', ${JSON.stringify(token)})` });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('console', (message) => {
      // The one refused request is caused on purpose (a hand-edited link); Chromium logs it itself.
      if (message.type() === 'error' && !/status of 400/.test(message.text())) consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(String(error)));
  });

  after(async () => {
    await browser?.close();
    await t?.app.close();
    await t?.storage.dispose();
  });

  test('a two-level report: campaign, then country, opened a row at a time', async () => {
    await page.goto('/campaigns');
    await page.getByRole('link', { name: 'Reports' }).click();
    await page.getByRole('heading', { name: 'Reports' }).waitFor();
    await page.getByLabel('Group by').selectOption('campaign');
    await page.getByLabel('then by', { exact: true }).selectOption('country');
    await page.getByRole('button', { name: 'Run report' }).click();
    await page.getByRole('button', { name: 'Expand Alpha' }).waitFor();
    assert.deepEqual(await labelsAt(1), ['Alpha', 'Beta'], 'most clicks first');
    assert.equal(await metricOf('Alpha', 'clicks'), '6');
    assert.deepEqual(await labelsAt(2), [], 'the second level waits until a row is opened');

    await page.getByRole('button', { name: 'Expand Alpha' }).click();
    await labelled(2).nth(1).waitFor();
    assert.deepEqual(await labelsAt(2), ['DE', 'US'], "Alpha's countries, most clicks first");
    assert.equal(await metricOf('DE', 'clicks'), '4');
    assert.equal(await metricOf('US', 'clicks'), '2');
    assert.equal(await page.getByRole('button', { name: 'Collapse Alpha' }).getAttribute('aria-expanded'), 'true');
    await shoot('reports');
    const url = new URL(page.url());
    assert.equal(url.pathname, '/reports');
    assert.equal(url.searchParams.get('group_by'), 'campaign,country');
  });

  test('a click on a column header sorts by it, a second click turns the order round', async () => {
    await page.getByRole('button', { name: 'Conv.' }).click();
    await page.waitForURL(/sort=conversions/);
    await page.locator('th[aria-sort="descending"]', { hasText: 'Conv.' }).waitFor();
    await page.getByRole('button', { name: 'Expand Beta' }).waitFor();
    assert.equal((await labelsAt(1))[0], 'Beta', 'Beta converted, Alpha did not');
    assert.equal(await metricOf('Beta', 'conversions'), '2');
    // The sorted column's name carries its arrow (Clicks ↓).
    const clicksHeader = page.getByRole('button', { name: /^Clicks/ });
    await clicksHeader.click();
    await page.waitForURL(/sort=clicks&order=desc/);
    await clicksHeader.click();
    await page.waitForURL(/order=asc/);
    await page.locator('th[aria-sort="ascending"]', { hasText: 'Clicks' }).waitFor();
    assert.deepEqual(await labelsAt(1), ['Beta', 'Alpha'], 'fewest clicks first');
  });

  test('the address holds the report: a filter, reload and a shared link show the same report', async () => {
    await page.getByRole('button', { name: 'Add filter' }).click();
    await page.getByLabel('Filter 1 dimension').selectOption('country');
    await page.getByLabel('Filter 1 values').fill('DE,FR');
    await page.getByLabel('Time zone').selectOption('Europe/Berlin');
    await page.getByRole('button', { name: 'Run report' }).click();
    await page.waitForURL(/country=DE%2CFR/);
    await page.getByRole('button', { name: 'Expand Alpha' }).waitFor();
    const shown = async () => ({
      url: page.url(),
      groupings: [
        await page.getByLabel('Group by').inputValue(),
        await page.getByLabel('then by', { exact: true }).inputValue(),
      ],
      tz: await page.getByLabel('Time zone').inputValue(),
      filter: [
        await page.getByLabel('Filter 1 dimension').inputValue(),
        await page.getByLabel('Filter 1 values').inputValue(),
      ],
      sorted: await page.locator('th[aria-sort="ascending"]').innerText(),
      rows: await labelsAt(1),
      alphaClicks: await metricOf('Alpha', 'clicks'),
    });
    const before = await shown();
    assert.deepEqual(before.groupings, ['campaign', 'country']);
    assert.equal(before.tz, 'Europe/Berlin');
    assert.deepEqual(before.filter, ['country', 'DE,FR']);
    assert.equal(before.alphaClicks, '4', "only Alpha's DE clicks pass the filter");
    assert.deepEqual(before.rows, ['Beta', 'Alpha'], 'still sorted by clicks, fewest first');

    await page.reload();
    await page.getByRole('button', { name: 'Expand Alpha' }).waitFor();
    assert.deepEqual(await shown(), before);

    const shared = await page.context().newPage();
    try {
      await shared.goto(before.url);
      await shared.getByRole('button', { name: 'Expand Alpha' }).waitFor();
      assert.equal(await shared.getByLabel('then by', { exact: true }).inputValue(), 'country');
      assert.equal(await shared.locator('th[aria-sort="ascending"]').innerText(), before.sorted);
    } finally {
      await shared.close();
    }
  });

  test('Export CSV downloads the rows of the report on screen', async () => {
    const records = await download('Export CSV');
    assert.ok(records.length > 0, 'rows in the file');
    const alpha = records.filter((record) => record.campaign === String(alphaId));
    assert.deepEqual(alpha.map((record) => record.country).sort(), ['DE'], 'grouped by country, filtered to DE,FR');
    assert.equal(alpha[0]!.clicks, '4');
    assert.ok(records.some((record) => record.country === 'FR' && record.conversions === '2'));
  });

  test('three levels from a shared link, and a row of unknown values opens too', async () => {
    await page.goto('/reports?group_by=campaign,country,sub2');
    await page.getByRole('button', { name: 'Expand Alpha' }).click();
    await page.getByRole('button', { name: 'Expand DE' }).click();
    await labelled(3).nth(3).waitFor();
    assert.deepEqual((await labelsAt(3)).sort(), ['zone_0', 'zone_1', 'zone_2', 'zone_3'], "DE's four sub2 values");
    assert.equal(
      await page.getByRole('button', { name: /^Expand zone/ }).count(),
      0,
      'the last level opens no further',
    );

    // Beta's clicks carry no sub2: a filter cannot name "none", so the row's children are picked out of the wider query.
    await page.goto('/reports?group_by=campaign,sub2,country');
    await page.getByRole('button', { name: 'Expand Beta' }).click();
    await page.getByRole('button', { name: 'Expand (unknown)' }).click();
    await labelled(3).first().waitFor();
    assert.deepEqual(await labelsAt(3), ['FR']);
    assert.equal(await metricOf('FR', 'clicks'), '3');
  });

  test('a network opens onto its devices: the row shows the AS holder, the filter takes the number', async () => {
    await page.goto('/reports?group_by=asn,device');
    const network = page.getByRole('button', { name: /^Expand .*3320/ });
    await network.click();
    await labelled(2).first().waitFor();
    assert.deepEqual(await labelsAt(2), ['desktop']);
    assert.equal(await metricOf('desktop', 'clicks'), '9', 'every click came from AS3320 on a desktop');
  });

  test("a hand-edited link the API refuses shows the API's reason", async () => {
    await page.goto('/reports?group_by=campaign&country=Germany');
    await page
      .getByRole('alert')
      .filter({ hasText: /country/ })
      .waitFor();
  });

  test("a click's page shows its sub ids", async () => {
    await page.goto(`/clicks/${betaClickId}`);
    await page.getByText('sub9=creative_0').waitFor();
  });

  test('the conversions list exports every conversion of its filter', async () => {
    await page.getByRole('link', { name: 'Conversions' }).click();
    await page.getByRole('heading', { name: 'Conversions' }).waitFor();
    await page.getByTestId('conversion-event').nth(1).waitFor();
    const all = await download('Export CSV');
    assert.equal(all.length, 2);
    await page.getByLabel('Status').selectOption('pending');
    await page.getByTestId('conversion-event').nth(1).waitFor({ state: 'detached' });
    const pending = await download('Export CSV');
    assert.equal(pending.length, 1, 'the file follows the filter');
    assert.equal(pending[0]!.status, 'pending');
    assert.equal(pending[0]!.transaction_id, 'tx-1');
  });

  test('no console errors on the way', () => {
    assert.deepEqual(consoleErrors, []);
  });
});
