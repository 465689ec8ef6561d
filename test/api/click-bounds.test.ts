// Security finding 7: 2,500 clicks from one address in 1.9 s were all stored, up to ~15 KB each with
// padded parameters. A stored click is now bounded (STORED_LIMITS, flagged `truncated`), and past
// CLICK_ROWS_PER_ADDRESS_PER_SECOND an address's clicks on a campaign are counted, not stored as rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { forEachDialectOverHttp, type HttpTestApp } from '../helpers/http-app.ts';
import { STORED_LIMITS } from '../../src/modules/clicks/click-row.ts';

/** One clock for the app: a flood inside one second of it, whatever the machine's speed. */
let clock = Date.UTC(2026, 0, 15, 12, 0, 0, 100);
const DAY = '2026-01-15';
const RATE = 20;

async function rowsFrom(t: HttpTestApp, campaignId: number, ip: string): Promise<number> {
  const row = await t.storage.db
    .selectFrom('clicks')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('campaign_id', '=', campaignId)
    .where('ip', '=', ip)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function statsClicks(t: HttpTestApp, token: string, campaignId: number): Promise<number> {
  const response = await t.request({
    method: 'GET',
    url: `/api/v1/campaigns/${campaignId}/stats?from=${DAY}&to=${DAY}`,
    token,
  });
  assert.equal(response.statusCode, 200, response.body);
  return response.json().data.clicks as number;
}

/** `count` clicks from `ip`, `parallel` at a time, as a flooding client would send them. */
async function flood(t: HttpTestApp, uuid: string, ip: string, count: number, parallel = 25): Promise<number[]> {
  const statuses: number[] = [];
  for (let sent = 0; sent < count; sent += parallel) {
    const wave = Array.from({ length: Math.min(parallel, count - sent) }, (_, i) =>
      t.visit(`/c/${uuid}?sub1=flood${sent + i}`, { 'x-forwarded-for': ip }).then((response) => response.status),
    );
    statuses.push(...(await Promise.all(wave)));
  }
  return statuses;
}

forEachDialectOverHttp(
  'what one click and one address may store',
  (ctx) => {
    test('a padded click is stored cut to the documented bounds, and flagged', async () => {
      const t = ctx();
      const { uuid, id, token } = await t.createCampaign();
      const padding = 'x'.repeat(1_000);
      const query = new URLSearchParams({
        sub1: padding,
        sub2: padding,
        sub3: padding,
        sub4: padding,
        sub5: padding,
        gclid: padding,
        ...Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`pad${i}`, padding])),
      });
      const padded = await t.visit(`/c/${uuid}?${query}`, {
        'x-forwarded-for': '84.128.7.1',
        referer: `https://ref.example/${'r'.repeat(2_000)}`,
        'user-agent': `Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0.0.0 Safari/537.36 ${'A'.repeat(600)}`,
      });
      assert.equal(padded.status, 302);
      const plain = await t.visit(`/c/${uuid}?sub1=campaign-a`, { 'x-forwarded-for': '84.128.7.2' });
      assert.equal(plain.status, 302);
      const idOf = (response: Response) => new URL(response.headers.get('location')!).searchParams.get('cid')!;

      const row = await t.storage.db
        .selectFrom('clicks')
        .selectAll()
        .where('id', '=', idOf(padded))
        .executeTakeFirstOrThrow();
      assert.equal(row.truncated, 1);
      for (const sub of [row.sub1, row.sub2, row.sub3, row.sub4, row.sub5, row.platform_click_id])
        assert.equal(sub, 'x'.repeat(STORED_LIMITS.valueChars));
      assert.ok(row.query.length <= STORED_LIMITS.queryChars, `query ${row.query.length}`);
      const storedQuery = JSON.parse(row.query) as Record<string, string>;
      assert.equal(storedQuery.sub1, 'x'.repeat(STORED_LIMITS.valueChars), 'the first parameters are kept, cut');
      assert.equal(row.referrer!.length, STORED_LIMITS.referrerChars);
      assert.ok(row.user_agent.length <= STORED_LIMITS.userAgentChars);
      const { rows } = await sql<{ bytes: number }>`select ${sql.raw(
        t.storage.dialect.name === 'postgres' ? 'pg_column_size(clicks.*)' : 'length(cast(query as blob)) + 0',
      )} as bytes from clicks where id = ${row.id}`.execute(t.storage.db);
      assert.ok(Number(rows[0]!.bytes) < 8_000, `the stored row stays small (${rows[0]!.bytes} bytes)`);

      const plainRow = await t.storage.db
        .selectFrom('clicks')
        .select(['truncated', 'sub1'])
        .where('id', '=', idOf(plain))
        .executeTakeFirstOrThrow();
      assert.deepEqual(plainRow, { truncated: 0, sub1: 'campaign-a' });
      assert.equal(await statsClicks(t, token, id), 2);
    });

    test('a flood from one address stores the documented number of rows a second; the statistics count every click', async () => {
      const t = ctx();
      clock += 1_000;
      const { uuid, id, token } = await t.createCampaign();
      const other = await t.createCampaign({}, token);
      const statuses = await flood(t, uuid, '84.128.9.9', 300);
      assert.deepEqual(new Set(statuses), new Set([302]), 'every click is still redirected');
      assert.equal(await rowsFrom(t, id, '84.128.9.9'), RATE, 'one second of the flood stores RATE rows');

      // Other addresses, and the same address on another campaign, are not held back by it.
      for (let i = 1; i <= 5; i++)
        assert.equal((await t.visit(`/c/${uuid}`, { 'x-forwarded-for': `84.128.10.${i}` })).status, 302);
      assert.equal((await t.visit(`/c/${other.uuid}`, { 'x-forwarded-for': '84.128.9.9' })).status, 302);
      for (let i = 1; i <= 5; i++) assert.equal(await rowsFrom(t, id, `84.128.10.${i}`), 1);
      assert.equal(await rowsFrom(t, other.id, '84.128.9.9'), 1);

      // The next second the flooding address gets RATE rows again.
      clock += 1_000;
      await flood(t, uuid, '84.128.9.9', 30);
      assert.equal(await rowsFrom(t, id, '84.128.9.9'), 2 * RATE);

      assert.equal(await statsClicks(t, token, id), 300 + 5 + 30, 'the statistics count every click');
      assert.equal(await statsClicks(t, token, other.id), 1);
    });

    test('a flood against a blocking campaign is still refused, and counted', async () => {
      const t = ctx();
      clock += 1_000;
      const { uuid, id, token } = await t.createCampaign({ fraud_action: 'block' });
      const statuses = await flood(t, uuid, '84.128.11.11', 100);
      // The burst is caught by detection and refused as the campaign says; the first clicks got through.
      assert.ok(statuses.filter((status) => status !== 302).length > 50, `most are refused: ${[...new Set(statuses)]}`);
      assert.ok((await rowsFrom(t, id, '84.128.11.11')) <= RATE);
      assert.equal(await statsClicks(t, token, id), 100);
    });
  },
  { TRUST_PROXY: '127.0.0.1', CLICK_ROWS_PER_ADDRESS_PER_SECOND: String(RATE) },
  { now: () => clock },
);
