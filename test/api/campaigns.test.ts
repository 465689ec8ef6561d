import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialect } from '../helpers/test-app.ts';

forEachDialect('campaigns', (ctx) => {
  test('the reference example: create, get, update, delete', async () => {
    const { request, signUp } = ctx();
    const { token } = await signUp();
    const source = (
      await request({
        method: 'POST',
        url: '/api/v1/traffic-sources',
        token,
        payload: { name: 'Google', platform: 'google' },
      })
    ).json().data;
    const created = await request({
      method: 'POST',
      url: '/api/v1/campaigns',
      token,
      payload: {
        name: 'New Campaign',
        traffic_source_id: source.id,
        cost_model: 'cpc',
        cost_value: 0.5,
        status: 'active',
      },
    });
    assert.equal(created.statusCode, 201);
    const campaign = created.json().data;
    assert.equal(campaign.name, 'New Campaign');
    assert.equal(campaign.cost_value, 0.5);
    assert.match(campaign.uuid, /^[A-Za-z0-9]{16}$/);
    assert.equal(campaign.tracking_url, `http://track.test/c/${campaign.uuid}`);
    assert.equal(campaign.clicks_today, 0);
    assert.equal(campaign.conversions_today, 0);
    assert.equal(campaign.fraud_action, 'monitor');
    assert.match(campaign.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    const updated = await request({
      method: 'PUT',
      url: `/api/v1/campaigns/${campaign.id}`,
      token,
      payload: { name: 'Updated Campaign Name', status: 'paused' },
    });
    assert.equal(updated.statusCode, 200);
    assert.equal(updated.json().data.name, 'Updated Campaign Name');
    assert.equal(updated.json().data.status, 'paused');
    assert.equal(updated.json().data.cost_model, 'cpc', 'fields not sent stay');

    const got = await request({ method: 'GET', url: `/api/v1/campaigns/${campaign.id}`, token });
    assert.equal(got.json().data.status, 'paused');

    const deleted = await request({ method: 'DELETE', url: `/api/v1/campaigns/${campaign.id}`, token });
    assert.deepEqual(deleted.json(), { success: true });
    assert.equal((await request({ method: 'GET', url: `/api/v1/campaigns/${campaign.id}`, token })).statusCode, 404);
    assert.equal(
      (await request({ method: 'PUT', url: `/api/v1/campaigns/${campaign.id}`, token, payload: { name: 'x' } }))
        .statusCode,
      404,
    );
    assert.equal((await request({ method: 'GET', url: '/api/v1/campaigns', token })).json().meta.total, 0);
  });

  test('targeting, destination macros and fraud action', async () => {
    const { request, signUp } = ctx();
    const { token } = await signUp();
    const created = await request({
      method: 'POST',
      url: '/api/v1/campaigns',
      token,
      payload: {
        name: 'Targeted',
        destination_url: 'https://shop.example/land?cid={clickid}&c={country}&s1={sub1}',
        allowed_countries: ['us', 'UK', 'DE'],
        blocked_countries: ['RU'],
        allowed_devices: ['mobile', 'tablet'],
        ip_blocklist: ['203.0.113.7', '198.51.100.0/24', '2001:db8::/32'],
        fraud_action: 'block',
        blocked_fraud_types: ['bot', 'datacenter'],
      },
    });
    assert.equal(created.statusCode, 201, created.body);
    const data = created.json().data;
    assert.deepEqual(data.allowed_countries, ['US', 'GB', 'DE']);
    assert.deepEqual(data.allowed_devices, ['mobile', 'tablet']);
    assert.deepEqual(data.ip_blocklist, ['203.0.113.7', '198.51.100.0/24', '2001:db8::/32']);
    assert.equal(data.fraud_action, 'block');
    assert.deepEqual(data.blocked_fraud_types, ['bot', 'datacenter']);
    const cleared = await request({
      method: 'PUT',
      url: `/api/v1/campaigns/${data.id}`,
      token,
      payload: { destination_url: null, allowed_countries: [] },
    });
    assert.equal(cleared.json().data.destination_url, null);
    assert.deepEqual(cleared.json().data.allowed_countries, []);
    assert.deepEqual(cleared.json().data.blocked_countries, ['RU']);
  });

  test('list: filters, pagination and meta', async () => {
    const { request, signUp } = ctx();
    const { token } = await signUp();
    for (let i = 1; i <= 25; i++) {
      await request({
        method: 'POST',
        url: '/api/v1/campaigns',
        token,
        payload: { name: `C${i}`, status: i % 5 === 0 ? 'paused' : 'active' },
      });
    }
    const first = await request({ method: 'GET', url: '/api/v1/campaigns', token });
    assert.equal(first.json().data.length, 20);
    assert.deepEqual(first.json().meta, { page: 1, per_page: 20, total: 25 });
    const second = await request({ method: 'GET', url: '/api/v1/campaigns?page=2', token });
    assert.deepEqual(
      second.json().data.map((c: { name: string }) => c.name),
      ['C21', 'C22', 'C23', 'C24', 'C25'],
    );
    const paused = await request({ method: 'GET', url: '/api/v1/campaigns?status=paused&per_page=2', token });
    assert.equal(paused.json().data.length, 2);
    assert.equal(paused.json().meta.total, 5);
    assert.ok(paused.json().data.every((c: { status: string }) => c.status === 'paused'));
    const beyond = await request({ method: 'GET', url: '/api/v1/campaigns?page=99', token });
    assert.deepEqual(beyond.json().data, []);
  });

  test('bad input, field by field', async () => {
    const { request, signUp } = ctx();
    const { token } = await signUp();
    const cases: Array<{ payload: unknown; field: string }> = [
      { payload: {}, field: 'name' },
      { payload: { name: 123 }, field: 'name' },
      { payload: { name: 'x', cost_model: 'cpx' }, field: 'cost_model' },
      { payload: { name: 'x', cost_value: 'cheap' }, field: 'cost_value' },
      { payload: { name: 'x', cost_value: -1 }, field: 'cost_value' },
      { payload: { name: 'x', status: 'deleted' }, field: 'status' },
      { payload: { name: 'x', destination_url: 'javascript:alert(1)' }, field: 'destination_url' },
      { payload: { name: 'x', destination_url: 'ftp://files.example/' }, field: 'destination_url' },
      { payload: { name: 'x', destination_url: '/relative' }, field: 'destination_url' },
      { payload: { name: 'x', allowed_countries: ['USA'] }, field: 'allowed_countries.0' },
      { payload: { name: 'x', allowed_devices: ['fridge'] }, field: 'allowed_devices.0' },
      { payload: { name: 'x', ip_blocklist: ['300.1.1.1'] }, field: 'ip_blocklist' },
      { payload: { name: 'x', ip_blocklist: ['10.0.0.0/33'] }, field: 'ip_blocklist' },
      { payload: { name: 'x', fraud_action: 'redirect' }, field: 'fraud_action' },
      { payload: { name: 'x', blocked_fraud_types: ['spam'] }, field: 'blocked_fraud_types.0' },
      { payload: { name: 'x', traffic_source_id: 'one' }, field: 'traffic_source_id' },
      { payload: { name: 'x', traffic_source_id: 987654 }, field: 'traffic_source_id' },
      { payload: { name: 'x', user_id: 1 }, field: 'user_id' },
      { payload: { name: 'x'.repeat(201) }, field: 'name' },
    ];
    for (const { payload, field } of cases) {
      const response = await request({ method: 'POST', url: '/api/v1/campaigns', token, payload: payload as object });
      assert.equal(response.statusCode, 400, `${JSON.stringify(payload)} → ${response.body}`);
      const { error } = response.json();
      assert.equal(error.code, 'VALIDATION_ERROR');
      assert.ok(error.details?.[field], `${field} in ${response.body}`);
      assert.equal(typeof error.message, 'string');
    }
    assert.equal((await request({ method: 'GET', url: '/api/v1/campaigns?status=gone', token })).statusCode, 400);
    assert.equal((await request({ method: 'GET', url: '/api/v1/campaigns?page=0', token })).statusCode, 400);
    assert.equal((await request({ method: 'GET', url: '/api/v1/campaigns?per_page=500', token })).statusCode, 400);
    assert.equal((await request({ method: 'GET', url: '/api/v1/campaigns/abc', token })).statusCode, 400);
    assert.equal(
      (await request({ method: 'GET', url: '/api/v1/campaigns/99999999999999999999', token })).statusCode,
      400,
    );
    assert.equal((await request({ method: 'PUT', url: '/api/v1/campaigns/1', token, payload: {} })).statusCode, 400);
    assert.equal((await request({ method: 'GET', url: '/api/v1/campaigns' })).statusCode, 401);
    assert.equal(
      (await request({ method: 'GET', url: '/api/v1/campaigns', token })).json().meta.total,
      0,
      'nothing was stored',
    );
  });

  test("another tenant's campaign and traffic source are invisible", async () => {
    const { request, signUp } = ctx();
    const owner = await signUp();
    const other = await signUp();
    const source = (
      await request({
        method: 'POST',
        url: '/api/v1/traffic-sources',
        token: owner.token,
        payload: { name: 'S', platform: 'google' },
      })
    ).json().data;
    const campaign = (
      await request({
        method: 'POST',
        url: '/api/v1/campaigns',
        token: owner.token,
        payload: { name: 'Mine', traffic_source_id: source.id },
      })
    ).json().data;
    for (const [method, payload] of [
      ['GET', undefined],
      ['PUT', { name: 'Stolen' }],
      ['DELETE', undefined],
    ] as const) {
      const response = await request({
        method,
        url: `/api/v1/campaigns/${campaign.id}`,
        token: other.token,
        ...(payload ? { payload } : {}),
      });
      assert.equal(response.statusCode, 404, method);
      assert.equal(response.json().error.code, 'NOT_FOUND');
    }
    const borrow = await request({
      method: 'POST',
      url: '/api/v1/campaigns',
      token: other.token,
      payload: { name: 'Borrow', traffic_source_id: source.id },
    });
    assert.equal(borrow.statusCode, 400);
    assert.ok(borrow.json().error.details.traffic_source_id);
    assert.equal((await request({ method: 'GET', url: '/api/v1/campaigns', token: other.token })).json().meta.total, 0);
    const mine = await request({ method: 'GET', url: `/api/v1/campaigns/${campaign.id}`, token: owner.token });
    assert.equal(mine.json().data.name, 'Mine');
  });

  test('deleting a traffic source detaches its campaigns', async () => {
    const { request, signUp } = ctx();
    const { token } = await signUp();
    const source = (
      await request({ method: 'POST', url: '/api/v1/traffic-sources', token, payload: { name: 'S', platform: 'meta' } })
    ).json().data;
    const campaign = (
      await request({
        method: 'POST',
        url: '/api/v1/campaigns',
        token,
        payload: { name: 'C', traffic_source_id: source.id },
      })
    ).json().data;
    await request({ method: 'DELETE', url: `/api/v1/traffic-sources/${source.id}`, token });
    const after = await request({ method: 'GET', url: `/api/v1/campaigns/${campaign.id}`, token });
    assert.equal(after.json().data.traffic_source_id, null);
  });
});
