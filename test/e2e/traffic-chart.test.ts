import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { parse } from 'csv-parse/sync';
import { startHttpApp, type HttpTestApp } from '../helpers/http-app.ts';
import { DIALECTS } from '../helpers/dialects.ts';
import { bulkClickRow, writeClicks } from '../helpers/bulk-clicks.ts';
import { BROWSER_SKIP_REASON, ensureDashboardBuilt, launchChromium } from './browser.ts';

const DAY = 86_400;
/** Unix seconds of a UTC day's midnight, `daysAgo` days before today. */
const midnight = (daysAgo: number) =>
  Date.parse(`${new Date(Date.now() - daysAgo * DAY * 1000).toISOString().slice(0, 10)}T00:00:00Z`) / 1000;

/**
 * The campaign page's "Traffic over time" with a single day of data (issue 20): the x axis is the range
 * chosen, every day (or hour) of it a point, quiet ones zero; it used to spread the one point over a
 * two-year axis. uPlot draws on a canvas, so the test reads the scale uPlot used from the chart's box.
 * Then the clicks page: sub ids shown, filtered by, and exported.
 */
describe('traffic chart and sub ids in a browser', { skip: BROWSER_SKIP_REASON }, () => {
  let t: HttpTestApp;
  let browser: Browser;
  let page: Page;
  let campaignId = 0;
  const consoleErrors: string[] = [];

  before(async () => {
    ensureDashboardBuilt();
    t = await startHttpApp(DIALECTS[0]!);
    const campaign = await t.createCampaign({ name: 'One day of data' });
    campaignId = campaign.id;
    const { user_id: userId } = await t.storage.db
      .selectFrom('campaigns')
      .select('user_id')
      .where('id', '=', campaign.id)
      .executeTakeFirstOrThrow();
    // Every click today, a minute ago or so: one day of data.
    const now = Date.now();
    await writeClicks(
      t.storage,
      Array.from({ length: 12 }, (_, i) =>
        bulkClickRow(Number(userId), campaign.id, {
          at: now - 60_000 - i * 1000,
          fraudTypes: i < 3 ? ['bot'] : [],
          fields: { sub1: `adset_${i % 2}`, sub7: i === 0 ? '=cmd' : `creative_${i}` },
        }),
      ),
    );
    browser = await launchChromium();
    const context = await browser.newContext({ baseURL: t.baseUrl, viewport: { width: 1280, height: 900 } });
    // Signed in as the campaign's owner (the dashboard keeps its token in sessionStorage); sign-in has tests of its own.
    await context.addInitScript({
      content: `sessionStorage.setItem('cloakradar.token', ${JSON.stringify(campaign.token)})`,
    });
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

  /** The chart's points and x scale once it is drawn for `points` periods. */
  async function chartFor(points: number) {
    const chart = page.locator(`[data-testid="traffic-chart"][data-points="${points}"]`);
    await chart.waitFor();
    return {
      min: Number(await chart.getAttribute('data-x-min')),
      max: Number(await chart.getAttribute('data-x-max')),
    };
  }

  test('the x axis is the chosen range, a point per day, with one day of data', async () => {
    await page.goto(`/campaigns/${campaignId}`);
    await page.getByRole('heading', { name: /Traffic over time/ }).waitFor();
    // The default range: the last 7 days, today included.
    const week = await chartFor(7);
    assert.equal(week.min, midnight(6), 'the axis starts on the first day of the range');
    assert.equal(week.max, midnight(0), 'and ends on today');
    await page.getByLabel('Range').selectOption('30d');
    const month = await chartFor(30);
    assert.deepEqual(month, { min: midnight(29), max: midnight(0) });
    await page.getByLabel('Range').selectOption('90d');
    assert.deepEqual(await chartFor(90), { min: midnight(89), max: midnight(0) });
  });

  test('today is 24 hours, empty hours as zero', async () => {
    await page.getByLabel('Range').selectOption('today');
    assert.deepEqual(await chartFor(24), { min: midnight(0), max: midnight(0) + 23 * 3600 });
  });

  test('the clicks page shows sub ids, filters by one and exports every click of the filter', async () => {
    await page.goto('/clicks');
    await page.getByRole('heading', { name: 'Clicks' }).waitFor();
    await page
      .getByTestId('sub-ids')
      .filter({ hasText: /^sub1=adset_1 · sub7=creative_1$/ })
      .waitFor();
    await page.getByLabel('Which sub id').selectOption('sub1');
    await page.getByLabel('Sub id value').fill('adset_0');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.locator('tbody tr').nth(5).waitFor();
    assert.equal(await page.locator('tbody tr').count(), 6, 'the six clicks of adset_0');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const records = parse(readFileSync((await download.path())!, 'utf8'), { columns: true }) as Record<
      string,
      string
    >[];
    assert.equal(records.length, 6);
    assert.ok(records.every((record) => record.sub1 === 'adset_0'));
    assert.ok(
      records.some((record) => record.sub7 === "'=cmd"),
      'the formula neutralised in the download',
    );
    assert.ok('sub10' in records[0]!);
  });

  test('no console errors on the way', () => {
    assert.deepEqual(consoleErrors, []);
  });
});
