import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialect } from '../helpers/test-app.ts';

forEachDialect('api keys', (ctx) => {
  test('create shows the secret once; it mints tokens; list never shows it', async () => {
    const { request, signUp, storage } = ctx();
    const { token } = await signUp();
    const created = await request({
      method: 'POST',
      url: '/api/v1/api-keys',
      token,
      payload: { name: 'CI', scope: 'write' },
    });
    assert.equal(created.statusCode, 201);
    const key = created.json().data;
    assert.match(key.api_key, /^ck_[0-9A-Za-z]{24}$/);
    assert.match(key.api_secret, /^cs_[0-9A-Za-z]{40}$/);
    const list = await request({ method: 'GET', url: '/api/v1/api-keys', token });
    assert.equal(list.json().data.length, 1);
    assert.equal(list.json().data[0].api_secret, undefined);
    assert.ok(!list.body.includes(key.api_secret));
    const stored = await storage.db
      .selectFrom('api_keys')
      .select('secret_hash')
      .where('id', '=', key.id)
      .executeTakeFirstOrThrow();
    assert.ok(!stored.secret_hash.includes(key.api_secret), 'the secret is stored hashed');
    assert.match(stored.secret_hash, /^scrypt\$/);
    const minted = await request({
      method: 'POST',
      url: '/api/v1/auth/token',
      payload: { api_key: key.api_key, api_secret: key.api_secret },
    });
    assert.equal(minted.statusCode, 200);
    const campaigns = await request({
      method: 'POST',
      url: '/api/v1/campaigns',
      token: minted.json().token,
      payload: { name: 'via key' },
    });
    assert.equal(campaigns.statusCode, 201);
    const wrong = await request({
      method: 'POST',
      url: '/api/v1/auth/token',
      payload: { api_key: key.api_key, api_secret: 'cs_wrong' },
    });
    assert.equal(wrong.statusCode, 401);
  });

  test('a read-scoped key reads but cannot write anything', async () => {
    const { request, signUp } = ctx();
    const { token } = await signUp();
    const key = (
      await request({ method: 'POST', url: '/api/v1/api-keys', token, payload: { name: 'reporting', scope: 'read' } })
    ).json().data;
    const readToken = (
      await request({
        method: 'POST',
        url: '/api/v1/auth/token',
        payload: { api_key: key.api_key, api_secret: key.api_secret },
      })
    ).json().token;
    assert.equal((await request({ method: 'GET', url: '/api/v1/campaigns', token: readToken })).statusCode, 200);
    for (const [method, url, payload] of [
      ['POST', '/api/v1/campaigns', { name: 'x' }],
      ['POST', '/api/v1/traffic-sources', { name: 'x', platform: 'google' }],
      ['POST', '/api/v1/api-keys', { name: 'escalate', scope: 'write' }],
      ['PUT', '/api/v1/account', { email: 'taken@example.com' }],
      ['DELETE', `/api/v1/api-keys/${key.id}`, undefined],
    ] as const) {
      const response = await request({ method, url, token: readToken, ...(payload ? { payload } : {}) });
      assert.equal(response.statusCode, 403, `${method} ${url}`);
      assert.equal(response.json().error.code, 'AUTHORIZATION_ERROR');
    }
  });

  test('revoking a key kills its tokens at once; another tenant cannot revoke it', async () => {
    const { request, signUp } = ctx();
    const { token } = await signUp();
    const other = await signUp();
    const key = (await request({ method: 'POST', url: '/api/v1/api-keys', token, payload: {} })).json().data;
    const keyToken = (
      await request({
        method: 'POST',
        url: '/api/v1/auth/token',
        payload: { api_key: key.api_key, api_secret: key.api_secret },
      })
    ).json().token;
    const foreign = await request({ method: 'DELETE', url: `/api/v1/api-keys/${key.id}`, token: other.token });
    assert.equal(foreign.statusCode, 404);
    assert.equal(foreign.json().error.code, 'NOT_FOUND');
    assert.equal((await request({ method: 'GET', url: '/api/v1/api-keys', token: other.token })).json().data.length, 0);
    assert.equal((await request({ method: 'GET', url: '/api/v1/campaigns', token: keyToken })).statusCode, 200);
    assert.equal((await request({ method: 'DELETE', url: `/api/v1/api-keys/${key.id}`, token })).statusCode, 200);
    const after = await request({ method: 'GET', url: '/api/v1/campaigns', token: keyToken });
    assert.equal(after.statusCode, 401);
    const mint = await request({
      method: 'POST',
      url: '/api/v1/auth/token',
      payload: { api_key: key.api_key, api_secret: key.api_secret },
    });
    assert.equal(mint.statusCode, 401);
    assert.equal((await request({ method: 'DELETE', url: `/api/v1/api-keys/${key.id}`, token })).statusCode, 404);
  });

  test('bad input', async () => {
    const { request, signUp } = ctx();
    const { token } = await signUp();
    const badScope = await request({ method: 'POST', url: '/api/v1/api-keys', token, payload: { scope: 'admin' } });
    assert.equal(badScope.statusCode, 400);
    assert.ok(badScope.json().error.details.scope);
    const badId = await request({ method: 'DELETE', url: '/api/v1/api-keys/abc', token });
    assert.equal(badId.statusCode, 400);
    assert.equal((await request({ method: 'GET', url: '/api/v1/api-keys' })).statusCode, 401);
  });
});
