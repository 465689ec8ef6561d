// format=csv on GET /api/v1/clicks and /api/v1/conversions (SPEC section 9): every row of the filter,
// streamed a page at a time, formula-neutralised, and stopped cleanly when the client hangs up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse } from 'csv-parse/sync';
import { buildApp } from '../../src/app.ts';
import { bulkClickRow, writeClicks } from '../helpers/bulk-clicks.ts';
import { DIALECTS, POSTGRES_SKIP_REASON, openTestStorage } from '../helpers/dialects.ts';
import { forEachDialectOverHttp, type HttpTestApp } from '../helpers/http-app.ts';
import { campaignOwnerId, testConfig, testIntel } from '../helpers/test-app.ts';
import type { NewClickRow } from '../../src/modules/clicks/click.table.ts';

const HOUR = 3_600_000;
/** More than five export pages (1,000 rows each), so the keyset crosses page borders several times. */
const CLICKS = 5_300;
/**
 * The clicks start six hours back; the range runs from that day to today, so a run shortly after
 * midnight UTC still holds every one of them.
 */
const START = Date.now() - 6 * HOUR;
const RANGE = `from=${new Date(START).toISOString().slice(0, 10)}&to=${new Date().toISOString().slice(0, 10)}`;
const FORMULA = "=cmd|' /C calc'!A0";

type Json = Record<string, unknown>;

/** A JSON list field as the export writes it: true/false, arrays joined by ';', null as an empty cell. */
function asCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.join(';');
  if (typeof value !== 'string') return String(value);
  // The export neutralises text a spreadsheet would run (numbers are never formulas).
  return /^[=+\-@\t\r\n]/.test(value) ? `'${value}` : value;
}

/** A real HTTP GET; the whole body as text with the response's head. */
function get(
  baseUrl: string,
  path: string,
  token: string,
): Promise<{ status: number; headers: IncomingMessage['headers']; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Every row of the JSON list for `query`, page by page (100 per page, the list's maximum). */
async function jsonList(t: HttpTestApp, path: string, token: string): Promise<Json[]> {
  const rows: Json[] = [];
  for (let page = 1; ; page++) {
    const response = await t.request({ method: 'GET', url: `${path}&per_page=100&page=${page}`, token });
    assert.equal(response.statusCode, 200, response.body);
    const { data, meta } = response.json<{ data: Json[]; meta: { total: number } }>();
    rows.push(...data);
    if (rows.length >= meta.total || data.length === 0) return rows;
  }
}

/**
 * Clicks over the last hours, three to each millisecond so ties of created_at straddle the export's
 * page borders; every tenth carries sub ids, two a formula.
 */
function manyClicks(userId: number, campaignId: number, count: number): NewClickRow[] {
  return Array.from({ length: count }, (_, i) =>
    bulkClickRow(userId, campaignId, {
      at: START + Math.floor(i / 3) * 7,
      country: i % 2 ? 'DE' : 'US',
      fraudTypes: i % 7 === 0 ? ['bot', 'datacenter'] : [],
      fields:
        i % 10 === 0
          ? {
              sub1: `adset_${i % 4}`,
              sub6: i === 10 ? FORMULA : `creative_${i}`,
              sub10: i === 20 ? `@SUM(1+1)*cmd|' /C calc'!A0` : `kw ${i}, "broad"`,
              placement: `zone-${i % 5}`,
            }
          : {},
    }),
  );
}

forEachDialectOverHttp('list exports', (ctx) => {
  test('the clicks CSV holds every row of the filter, as the JSON list shows them, formulas neutralised', async () => {
    const t = ctx();
    const campaign = await t.createCampaign();
    const userId = await campaignOwnerId(t, campaign.id);
    await writeClicks(t.storage, manyClicks(userId, campaign.id, CLICKS));
    // Another account's clicks never reach this one's export.
    const other = await t.createCampaign();
    await writeClicks(t.storage, manyClicks(await campaignOwnerId(t, other.id), other.id, 50));

    const response = await get(t.baseUrl, `/api/v1/clicks?format=csv&${RANGE}`, campaign.token);
    assert.equal(response.status, 200);
    assert.equal(response.headers['content-type'], 'text/csv; charset=utf-8');
    assert.equal(response.headers['content-disposition'], 'attachment; filename="clicks.csv"');
    const records = parse(response.body, { columns: true, relax_column_count: false }) as Record<string, string>[];
    assert.equal(records.length, CLICKS, 'every row of the filter, past any page limit');

    const list = await jsonList(t, `/api/v1/clicks?${RANGE}`, campaign.token);
    assert.equal(list.length, CLICKS);
    const header = Object.keys(records[0]!);
    for (const field of ['id', 'created_at', 'ip', 'status', 'fraud_types', 'sub1', 'sub6', 'sub10', 'placement'])
      assert.ok(header.includes(field), `column ${field}`);
    for (const [i, record] of records.entries()) {
      const row = list[i]!;
      assert.equal(record.id, row.id, `row ${i}: the list's order`);
      for (const column of header) assert.equal(record[column], asCell(row[column]), `row ${i} ${column}`);
    }
    assert.equal(new Set(records.map((record) => record.id)).size, CLICKS, 'no row twice across page borders');

    const formula = records.find((record) => record.sub6?.includes('cmd|'));
    assert.equal(formula?.sub6, `'${FORMULA}`, 'a sub id that starts like a formula is neutralised');
    assert.ok(records.some((record) => record.sub10 === `'@SUM(1+1)*cmd|' /C calc'!A0`));
    assert.ok(!/^[=+\-@]/m.test(response.body), 'no line of the file starts like a formula');
    assert.match(response.body, /"kw 10, ""broad"""/, 'commas and quotes are quoted');

    // Filters are the list's: campaign, status, country, sub ids.
    const filtered = await get(
      t.baseUrl,
      `/api/v1/clicks?format=csv&campaign_id=${campaign.id}&country=us&status=real&sub1=adset_2`,
      campaign.token,
    );
    const expected = await jsonList(
      t,
      `/api/v1/clicks?campaign_id=${campaign.id}&country=us&status=real&sub1=adset_2`,
      campaign.token,
    );
    assert.ok(expected.length > 0);
    assert.deepEqual(
      (parse(filtered.body, { columns: true }) as Record<string, string>[]).map((record) => record.id),
      expected.map((row) => row.id),
    );
    for (const row of expected) {
      assert.equal(row.sub1, 'adset_2');
      assert.equal(row.country, 'US');
    }
  });

  test('sub1…sub10 from the tracking URL are stored, shown and filterable', async () => {
    const t = ctx();
    const campaign = await t.createCampaign();
    const query = new URLSearchParams(
      Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`sub${i + 1}`, `value-${i + 1}`])),
    );
    const visit = await t.visit(`/c/${campaign.uuid}?${query}`, { 'x-forwarded-for': '84.128.1.7' });
    assert.equal(visit.status, 302);
    const list = (
      await t.request({ method: 'GET', url: '/api/v1/clicks?sub7=value-7&sub10=value-10', token: campaign.token })
    ).json<{ data: Json[] }>().data;
    assert.equal(list.length, 1);
    for (let i = 1; i <= 10; i++) assert.equal(list[0]![`sub${i}`], `value-${i}`);
    const none = await t.request({ method: 'GET', url: '/api/v1/clicks?sub8=other', token: campaign.token });
    assert.equal(none.json<{ meta: { total: number } }>().meta.total, 0);
    const detail = await t.request({
      method: 'GET',
      url: `/api/v1/clicks/${String(list[0]!.id)}`,
      token: campaign.token,
    });
    assert.equal(detail.json<{ data: Json }>().data.sub9, 'value-9');
    // Rolled up like sub1…sub5: the analytics dimension answers from the stored rollups.
    const analytics = await t.request({ method: 'GET', url: '/api/v2/analytics/sub8', token: campaign.token });
    assert.equal(analytics.statusCode, 200, analytics.body);
    assert.match(analytics.body, /value-8/);
  });

  test('the conversions CSV holds every conversion of the filter, as the JSON list shows them', async () => {
    const t = ctx();
    const campaign = await t.createCampaign();
    const userId = await campaignOwnerId(t, campaign.id);
    const rows = manyClicks(userId, campaign.id, 130);
    await writeClicks(t.storage, rows);
    for (const [i, row] of rows.entries()) {
      if (i % 4 !== 0) continue;
      const response = await t.request({
        method: 'POST',
        url: '/api/v1/conversions',
        token: campaign.token,
        payload: {
          click_id: row.id,
          payout: 10 + i,
          transaction_id: i === 8 ? '=HYPERLINK("http://evil.example")' : `tx-${i}`,
          status: i % 8 === 0 ? 'approved' : 'pending',
        },
      });
      assert.equal(response.statusCode, 201, response.body);
    }
    const response = await get(t.baseUrl, '/api/v1/conversions?format=csv', campaign.token);
    assert.equal(response.status, 200);
    assert.equal(response.headers['content-type'], 'text/csv; charset=utf-8');
    assert.equal(response.headers['content-disposition'], 'attachment; filename="conversions.csv"');
    const records = parse(response.body, { columns: true }) as Record<string, string>[];
    const list = await jsonList(t, '/api/v1/conversions?', campaign.token);
    assert.equal(records.length, 33);
    assert.equal(list.length, 33);
    for (const [i, record] of records.entries())
      for (const column of Object.keys(record)) {
        const value = list[i]![column];
        const expected = column === 'suspicious_reasons' ? (value as string[]).join('; ') : asCell(value);
        assert.equal(record[column], expected, `row ${i} ${column}`);
      }
    assert.ok(records.some((record) => record.transaction_id === `'=HYPERLINK("http://evil.example")`));
    const pending = await get(t.baseUrl, '/api/v1/conversions?format=csv&status=pending', campaign.token);
    assert.equal((parse(pending.body, { columns: true }) as unknown[]).length, 16);
  });

  test('bad input is a 400 naming the field; another account sees nothing of it', async () => {
    const t = ctx();
    const campaign = await t.createCampaign();
    const other = await t.signUp();
    for (const [path, field] of [
      ['/api/v1/clicks?format=xlsx', 'format'],
      ['/api/v1/conversions?format=pdf', 'format'],
      ['/api/v1/clicks?format=csv&from=2024-13-01', 'from'],
      ['/api/v1/clicks?format=csv&from=2024-02-10&to=2024-02-01', 'from'],
      ['/api/v1/clicks?format=csv&country=USA', 'country'],
      ['/api/v1/clicks?format=csv&status=human', 'status'],
      [`/api/v1/clicks?format=csv&sub3=${'x'.repeat(256)}`, 'sub3'],
      ['/api/v1/clicks?format=csv&sub11=x', 'sub11'],
      ['/api/v1/conversions?format=csv&status=paid', 'status'],
    ] as const) {
      const response = await t.request({ method: 'GET', url: path, token: campaign.token });
      assert.equal(response.statusCode, 400, `${path}: ${response.body}`);
      const { error } = response.json<{
        error: { code: string; message: string; details?: Record<string, string[]> };
      }>();
      assert.equal(error.code, 'VALIDATION_ERROR', path);
      assert.ok(
        error.message.includes(field) || Object.keys(error.details ?? {}).some((key) => key.includes(field)),
        `${path} names ${field}: ${JSON.stringify(error)}`,
      );
    }
    for (const path of ['/api/v1/clicks', '/api/v1/conversions']) {
      const response = await t.request({
        method: 'GET',
        url: `${path}?format=csv&campaign_id=${campaign.id}`,
        token: other.token,
      });
      assert.equal(response.statusCode, 404, "another account's campaign answers like a missing one");
      assert.equal(response.json<{ error: { code: string } }>().error.code, 'NOT_FOUND');
    }
    const unauthenticated = await t.request({ method: 'GET', url: '/api/v1/clicks?format=csv' });
    assert.equal(unauthenticated.statusCode, 401);
  });
});

/** Log lines the app writes, parsed: the abort test reads what the server said about the cut download. */
function logCollector() {
  const lines: Json[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line) as Json);
      done();
    },
  });
  return { lines, stream };
}

for (const dialect of DIALECTS)
  test(`a client that hangs up mid-export stops the export and leaves the server healthy [${dialect.name}]`, async () => {
    const log = logCollector();
    const storage = openTestStorage(dialect);
    const app = await buildApp({
      config: testConfig(),
      storage,
      logger: { level: 'debug', stream: log.stream },
      intel: await testIntel(),
      retention: { intervalMs: 0 },
    });
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      const register = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/register',
        payload: { email: `abort-${Date.now()}@example.com`, password: 'correct horse battery' },
      });
      const token = register.json<{ token: string }>().token;
      const created = await app.inject({
        method: 'POST',
        url: '/api/v1/campaigns',
        headers: { authorization: `Bearer ${token}` },
        payload: { name: 'Export', destination_url: 'https://shop.example/?cid={clickid}' },
      });
      const campaignId = created.json<{ data: { id: number } }>().data.id;
      const { user_id: userId } = await storage.db
        .selectFrom('campaigns')
        .select('user_id')
        .where('id', '=', campaignId)
        .executeTakeFirstOrThrow();
      await writeClicks(storage, manyClicks(Number(userId), campaignId, 12_000));

      // Read the head of the download, then hang up.
      const received = await new Promise<number>((resolve, reject) => {
        const req = httpRequest(
          `${baseUrl}/api/v1/clicks?format=csv`,
          { headers: { authorization: `Bearer ${token}` } },
          (res) => {
            assert.equal(res.statusCode, 200);
            res.once('data', (chunk: Buffer) => {
              req.destroy();
              resolve(chunk.length);
            });
            res.on('error', () => undefined);
          },
        );
        req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? undefined : reject(error)));
        req.end();
      });
      assert.ok(received > 0);

      // The server notices, ends the reads (the stream's end reaches the export: debug, not an error).
      const deadline = Date.now() + 5_000;
      while (
        !log.lines.some((line) => line.msg === 'CSV export stopped: the client went away') &&
        Date.now() < deadline
      )
        await new Promise((resolve) => setTimeout(resolve, 25));
      assert.ok(
        log.lines.some((line) => line.msg === 'CSV export stopped: the client went away'),
        'the export heard the hang-up',
      );
      assert.deepEqual(
        log.lines.filter((line) => Number(line.level) >= 50),
        [],
        'nothing logged as an error (no 500)',
      );
      for (const line of log.lines)
        if (line.res && typeof line.res === 'object') assert.notEqual((line.res as Json).statusCode, 500);

      // Healthy: it answers, and a whole export right after is whole.
      const health = await get(baseUrl, '/healthz', token);
      assert.equal(health.status, 200);
      const whole = await get(baseUrl, '/api/v1/clicks?format=csv', token);
      assert.equal(whole.status, 200);
      assert.equal((parse(whole.body, { columns: true }) as unknown[]).length, 12_000);
    } finally {
      await app.close();
      await storage.dispose();
    }
  });
if (POSTGRES_SKIP_REASON)
  test('a client that hangs up mid-export [postgres]', { skip: POSTGRES_SKIP_REASON }, () => undefined);
