import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialectOverHttp } from '../helpers/http-app.ts';

forEachDialectOverHttp(
  'clicks API',
  (ctx) => {
    test('filters by campaign, status, country and date; masks IPs in lists', async () => {
      const t = ctx();
      const a = await t.createCampaign();
      const b = await t.createCampaign({}, a.token);
      await t.visit(`/c/${a.uuid}`, { 'x-forwarded-for': '84.128.1.1' });
      await t.visit(`/c/${a.uuid}`, { 'x-forwarded-for': '8.8.8.8', 'user-agent': 'curl/8.4.0' });
      await t.visit(`/c/${b.uuid}`, { 'x-forwarded-for': '126.0.0.1' });
      const list = async (query: string) =>
        (await t.request({ method: 'GET', url: `/api/v1/clicks${query}`, token: a.token })).json();
      assert.equal((await list('')).meta.total, 3);
      assert.equal((await list(`?campaign_id=${a.id}`)).meta.total, 2);
      assert.equal((await list('?status=bot')).data[0].ip, '8.8.x.x');
      assert.equal((await list('?country=de')).meta.total, 1);
      assert.equal((await list('?country=JP')).data[0].campaign_id, b.id);
      const today = new Date().toISOString().slice(0, 10);
      assert.equal((await list(`?from=${today}&to=${today}`)).meta.total, 3);
      assert.equal((await list('?from=2020-01-01&to=2020-01-31')).meta.total, 0);
      const page = await list('?per_page=2&page=2');
      assert.equal(page.data.length, 1);
      assert.deepEqual(page.meta, { page: 2, per_page: 2, total: 3 });
      const item = (await list('?country=DE')).data[0];
      for (const field of [
        'id',
        'campaign_id',
        'ip',
        'country',
        'city',
        'device',
        'os',
        'browser',
        'status',
        'is_bot',
        'is_vpn',
        'converted',
        'created_at',
      ]) {
        assert.ok(field in item, `the reference's ${field} field`);
      }
      assert.equal(item.ip, '84.128.x.x');
      assert.equal(item.converted, false);
    });

    test("another tenant's clicks are invisible", async () => {
      const t = ctx();
      const owner = await t.createCampaign();
      const other = await t.signUp();
      const response = await t.visit(`/c/${owner.uuid}`, { 'x-forwarded-for': '84.128.1.9' });
      const id = new URL(response.headers.get('location')!).searchParams.get('cid');
      const detail = await t.request({ method: 'GET', url: `/api/v1/clicks/${id}`, token: other.token });
      assert.equal(detail.statusCode, 404);
      assert.equal(detail.json().error.code, 'NOT_FOUND');
      assert.equal(
        (await t.request({ method: 'GET', url: '/api/v1/clicks', token: other.token })).json().meta.total,
        0,
      );
      const byCampaign = await t.request({
        method: 'GET',
        url: `/api/v1/clicks?campaign_id=${owner.id}`,
        token: other.token,
      });
      assert.equal(byCampaign.statusCode, 404, "another account's campaign answers like a missing one");
      assert.equal(byCampaign.json().error.code, 'NOT_FOUND');
    });

    test('bad input', async () => {
      const t = ctx();
      const { token } = await t.signUp();
      for (const query of [
        'from=2024-13-01',
        'to=yesterday',
        'from=2024-02-10&to=2024-02-01',
        'status=human',
        'country=USA',
        'campaign_id=x',
        'per_page=0',
        'colour=red',
      ]) {
        const response = await t.request({ method: 'GET', url: `/api/v1/clicks?${query}`, token });
        assert.equal(response.statusCode, 400, query);
        assert.equal(response.json().error.code, 'VALIDATION_ERROR');
      }
      assert.equal((await t.request({ method: 'GET', url: '/api/v1/clicks/clk_doesnotexist', token })).statusCode, 404);
      assert.equal(
        (await t.request({ method: 'GET', url: `/api/v1/clicks/${'x'.repeat(100)}`, token })).statusCode,
        400,
      );
      assert.equal((await t.request({ method: 'GET', url: '/api/v1/clicks' })).statusCode, 401);
    });
  },
  { TRUST_PROXY: '127.0.0.1' },
);
