import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialect, type TestApp } from '../helpers/test-app.ts';
import { bulkClickRow, writeClicks, type BulkClick } from '../helpers/bulk-clicks.ts';
import { CLICK_DESTINATION } from '../helpers/clicks.ts';
import { claimMaintenanceJob } from '../../src/modules/retention/retention.repository.ts';

const DAY = 86_400_000;
const isoDay = (at: number) => new Date(at).toISOString().slice(0, 10);

async function campaignOfNewAccount(t: TestApp): Promise<{ token: string; id: number; userId: number }> {
  const { token } = await t.signUp();
  const response = await t.request({
    method: 'POST',
    url: '/api/v1/campaigns',
    token,
    payload: { name: 'Offer', cost_model: 'cpc', cost_value: 0.5, destination_url: CLICK_DESTINATION },
  });
  assert.equal(response.statusCode, 201, response.body);
  const id: number = response.json().data.id;
  const row = await t.storage.db
    .selectFrom('campaigns')
    .select('user_id')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return { token, id, userId: Number(row.user_id) };
}

async function addClicks(t: TestApp, userId: number, campaignId: number, clicks: BulkClick[]) {
  const rows = clicks.map((click) => bulkClickRow(userId, campaignId, click));
  await writeClicks(t.storage, rows);
  return rows.map((row) => row.id);
}

async function get(t: TestApp, token: string, url: string) {
  const response = await t.request({ method: 'GET', url, token });
  return { status: response.statusCode, body: response.json() };
}

forEachDialect(
  'click retention',
  (ctx) => {
    test('deletes raw clicks older than CLICK_RETENTION_DAYS, keeps newer ones, rollups and conversions', async () => {
      const t = ctx();
      const { token, id: campaignId, userId } = await campaignOfNewAccount(t);
      const now = Date.now();
      // Five old clicks (more than one batch of 2), four recent ones.
      const old = await addClicks(t, userId, campaignId, [
        ...[200, 200, 150].map((days, i): BulkClick => ({
          at: now - days * DAY + i,
          fraudTypes: i === 0 ? ['bot'] : [],
        })),
        { at: now - 100 * DAY },
        { at: now - 91 * DAY, country: 'FR' },
      ]);
      const recent = await addClicks(t, userId, campaignId, [
        { at: now - 89 * DAY },
        { at: now - 10 * DAY },
        { at: now - 60_000 },
        { at: now },
      ]);
      const converted = await t.request({
        method: 'GET',
        url: `/api/v1/postback?clickid=${old[3]}&payout=12&txid=old-1`,
      });
      assert.equal(converted.statusCode, 201, converted.body);

      const oldRange = `from=${isoDay(now - 210 * DAY)}&to=${isoDay(now - 91 * DAY)}`;
      const before = await get(t, token, `/api/v1/stats?${oldRange}`);
      const beforeCountries = await get(t, token, `/api/v2/analytics/country?${oldRange}`);
      assert.equal(before.body.data.clicks, 5);
      assert.equal(beforeCountries.status, 200);
      assert.equal(before.body.data.conversions, 1);

      const run = await t.app.services.retention.runOnce();
      assert.equal(run.ran, true);
      assert.equal(run.clicksDeleted, 5);
      assert.deepEqual(run.partitionsDropped, [], 'no daily partition held these clicks: they sat in the default one');

      for (const id of old) assert.equal((await get(t, token, `/api/v1/clicks/${id}`)).status, 404, 'deleted click');
      for (const id of recent) assert.equal((await get(t, token, `/api/v1/clicks/${id}`)).status, 200, 'kept click');
      assert.equal((await get(t, token, `/api/v1/clicks?${oldRange}`)).body.meta.total, 0);
      assert.equal(
        (await get(t, token, `/api/v1/clicks?from=${isoDay(now - 89 * DAY)}&to=${isoDay(now)}`)).body.meta.total,
        4,
      );

      // Rollups are not touched: the old range reports exactly what it reported before.
      assert.deepEqual(await get(t, token, `/api/v1/stats?${oldRange}`), before);
      assert.deepEqual(await get(t, token, `/api/v2/analytics/country?${oldRange}`), beforeCountries);
      // The conversion of a deleted click stays, listed as before.
      const conversions = await get(t, token, '/api/v1/conversions');
      assert.equal(conversions.status, 200);
      assert.deepEqual(
        conversions.body.data.map((c: { click_id: string }) => c.click_id),
        [old[3]],
      );
      // A postback for a deleted click is refused like an unknown one.
      assert.equal(
        (await t.request({ method: 'GET', url: `/api/v1/postback?clickid=${old[4]}&payout=1` })).statusCode,
        404,
      );

      const again = await t.app.services.retention.runOnce();
      assert.equal(again.clicksDeleted, 0, 'nothing left to delete');
    });

    test('one node at a time: a run while another holds the lease does nothing', async () => {
      const t = ctx();
      const { userId, id: campaignId } = await campaignOfNewAccount(t);
      const [id] = await addClicks(t, userId, campaignId, [{ at: Date.now() - 120 * DAY }]);
      assert.equal(await claimMaintenanceJob(t.storage.db, 'click-retention', Date.now(), Date.now() + 60_000), true);
      const run = await t.app.services.retention.runOnce();
      assert.equal(run.ran, false);
      assert.ok(
        await t.storage.db.selectFrom('clicks').select('id').where('id', '=', id!).executeTakeFirst(),
        'kept while another node holds the job',
      );
      // The other node's lease runs out: the job is ours again.
      await t.storage.db
        .updateTable('maintenance_jobs')
        .set({ claimed_until: Date.now() - 1 })
        .execute();
      assert.equal((await t.app.services.retention.runOnce()).ran, true);
      assert.equal(
        await t.storage.db.selectFrom('clicks').select('id').where('id', '=', id!).executeTakeFirst(),
        undefined,
      );
    });
  },
  {},
  { retention: { intervalMs: 0, batchSize: 2 } },
);

forEachDialect(
  'IP anonymisation',
  (ctx) => {
    test('clicks older than IP_ANONYMIZE_DAYS keep their /24 or /48 network, country and ASN; newer ones stay whole', async () => {
      const t = ctx();
      const { token, id: campaignId, userId } = await campaignOfNewAccount(t);
      const now = Date.now();
      const at = now - 40 * DAY;
      // Same millisecond for several rows and batches of 2: the watermark must not skip any.
      const old = await addClicks(t, userId, campaignId, [
        { at, ip: '203.0.113.7' },
        { at, ip: '203.0.113.200' },
        { at, ip: '2001:db8:abcd:12::1' },
        { at: at + 1, ip: '198.51.100.23' },
        { at: now - 31 * DAY, ip: '::ffff:192.0.2.55' },
      ]);
      const recent = await addClicks(t, userId, campaignId, [
        { at: now - 29 * DAY, ip: '203.0.113.9' },
        { at: now, ip: '2001:db8:abcd:12::2' },
      ]);

      const run = await t.app.services.retention.runOnce();
      assert.equal(run.clicksAnonymized, 5);
      assert.equal(run.clicksDeleted, 0);
      const rows = await t.storage.db
        .selectFrom('clicks')
        .select(['id', 'ip', 'visitor_hash', 'country', 'asn', 'as_org'])
        .execute();
      const byId = new Map(rows.map((row) => [row.id, row]));
      assert.deepEqual(
        old.map((id) => byId.get(id)!.ip),
        ['203.0.113.0', '203.0.113.0', '2001:db8:abcd::', '198.51.100.0', '192.0.2.0'],
      );
      for (const id of old) {
        const row = byId.get(id)!;
        assert.equal(row.visitor_hash, '', 'the hash of address and user agent would give the address back');
        assert.equal(row.country, 'DE');
        assert.equal(Number(row.asn), 3320);
        assert.equal(row.as_org, 'Deutsche Telekom AG');
      }
      assert.deepEqual(
        recent.map((id) => byId.get(id)!.ip),
        ['203.0.113.9', '2001:db8:abcd:12::2'],
      );
      assert.deepEqual(
        recent.map((id) => byId.get(id)!.visitor_hash),
        ['bulk', 'bulk'],
      );

      const detail = await get(t, token, `/api/v1/clicks/${old[0]}`);
      assert.equal(detail.status, 200);
      assert.equal(detail.body.data.ip, '203.0.113.0');
      assert.equal(detail.body.data.country, 'DE');

      assert.equal((await t.app.services.retention.runOnce()).clicksAnonymized, 0, 'done once, never again');
    });
  },
  { IP_ANONYMIZE_DAYS: '30' },
  { retention: { intervalMs: 0, batchSize: 2 } },
);

forEachDialect(
  'retention schedule',
  (ctx) => {
    test('runs on its own every interval, and app.close stops it', async () => {
      const t = ctx();
      const { userId, id: campaignId } = await campaignOfNewAccount(t);
      const [id] = await addClicks(t, userId, campaignId, [{ at: Date.now() - 100 * DAY }]);
      const deadline = Date.now() + 5_000;
      while (
        (await t.storage.db.selectFrom('clicks').select('id').where('id', '=', id!).executeTakeFirst()) &&
        Date.now() < deadline
      ) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.equal(
        await t.storage.db.selectFrom('clicks').select('id').where('id', '=', id!).executeTakeFirst(),
        undefined,
      );
    });
  },
  {},
  { retention: { intervalMs: 25, firstRunDelayMs: 0 } },
);
