import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialect } from '../helpers/test-app.ts';

forEachDialect('traffic sources', (ctx) => {
  test('CRUD with the platform click-id parameter defaults', async () => {
    const { request, signUp } = ctx();
    const { token } = await signUp();
    const created = await request({
      method: 'POST',
      url: '/api/v1/traffic-sources',
      token,
      payload: { name: 'Google Ads', platform: 'google' },
    });
    assert.equal(created.statusCode, 201);
    const source = created.json().data;
    assert.equal(source.click_id_param, 'gclid');
    const custom = await request({
      method: 'POST',
      url: '/api/v1/traffic-sources',
      token,
      payload: { name: 'Native', platform: 'other', click_id_param: 'click_id' },
    });
    assert.equal(custom.json().data.click_id_param, 'click_id');
    const switched = await request({
      method: 'PUT',
      url: `/api/v1/traffic-sources/${source.id}`,
      token,
      payload: { platform: 'meta' },
    });
    assert.equal(switched.json().data.click_id_param, 'fbclid');
    assert.equal(switched.json().data.name, 'Google Ads');
    const one = await request({ method: 'GET', url: `/api/v1/traffic-sources/${source.id}`, token });
    assert.equal(one.json().data.platform, 'meta');
    const list = await request({ method: 'GET', url: '/api/v1/traffic-sources?platform=other', token });
    assert.deepEqual(
      list.json().data.map((s: { name: string }) => s.name),
      ['Native'],
    );
    assert.deepEqual(list.json().meta, { page: 1, per_page: 20, total: 1 });
    assert.equal(
      (await request({ method: 'DELETE', url: `/api/v1/traffic-sources/${source.id}`, token })).statusCode,
      200,
    );
    assert.equal(
      (await request({ method: 'GET', url: `/api/v1/traffic-sources/${source.id}`, token })).statusCode,
      404,
    );
  });

  test('another tenant sees 404 and changes nothing', async () => {
    const { request, signUp } = ctx();
    const owner = await signUp();
    const other = await signUp();
    const source = (
      await request({
        method: 'POST',
        url: '/api/v1/traffic-sources',
        token: owner.token,
        payload: { name: 'Mine', platform: 'tiktok' },
      })
    ).json().data;
    for (const [method, payload] of [
      ['GET', undefined],
      ['PUT', { name: 'Stolen' }],
      ['DELETE', undefined],
    ] as const) {
      const response = await request({
        method,
        url: `/api/v1/traffic-sources/${source.id}`,
        token: other.token,
        ...(payload ? { payload } : {}),
      });
      assert.equal(response.statusCode, 404, method);
      assert.equal(response.json().error.code, 'NOT_FOUND');
    }
    assert.equal(
      (await request({ method: 'GET', url: '/api/v1/traffic-sources', token: other.token })).json().meta.total,
      0,
    );
    const still = await request({ method: 'GET', url: `/api/v1/traffic-sources/${source.id}`, token: owner.token });
    assert.equal(still.json().data.name, 'Mine');
  });

  test('bad input', async () => {
    const { request, signUp } = ctx();
    const { token } = await signUp();
    const cases = [
      { payload: {}, field: 'name' },
      { payload: { name: 'x', platform: 'myspace' }, field: 'platform' },
      { payload: { name: '', platform: 'google' }, field: 'name' },
      { payload: { name: 'x', platform: 'google', click_id_param: 'has space' }, field: 'click_id_param' },
      { payload: { name: 'x', platform: 'google', owner: 1 }, field: 'owner' },
    ];
    for (const { payload, field } of cases) {
      const response = await request({ method: 'POST', url: '/api/v1/traffic-sources', token, payload });
      assert.equal(response.statusCode, 400, JSON.stringify(payload));
      assert.ok(response.json().error.details[field], `${field} in ${response.body}`);
    }
    const empty = await request({ method: 'PUT', url: '/api/v1/traffic-sources/1', token, payload: {} });
    assert.equal(empty.statusCode, 400);
    assert.equal(
      (await request({ method: 'GET', url: '/api/v1/traffic-sources?per_page=101', token })).statusCode,
      400,
    );
    assert.equal((await request({ method: 'GET', url: '/api/v1/traffic-sources/0', token })).statusCode, 400);
    assert.equal((await request({ method: 'GET', url: '/api/v1/traffic-sources' })).statusCode, 401);
  });
});
