import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SignJWT } from 'jose';
import { forEachDialect } from '../helpers/test-app.ts';

forEachDialect('auth', (ctx) => {
  test('register returns a token and the account; the email is taken once', async () => {
    const { request } = ctx();
    const email = `New.User-${Date.now()}@Example.com`;
    const response = await request({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { email, password: 'longenough' },
    });
    assert.equal(response.statusCode, 201);
    const body = response.json();
    assert.equal(body.success, true);
    assert.match(body.token, /^eyJ/);
    assert.equal(body.expires_in, 86400);
    assert.equal(body.data.email, email.toLowerCase());
    assert.equal(body.data.plan, 'starter');
    assert.equal(body.data.password_hash, undefined);
    const again = await request({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { email: email.toUpperCase(), password: 'longenough' },
    });
    assert.equal(again.statusCode, 400);
    assert.equal(again.json().error.code, 'VALIDATION_ERROR');
    assert.deepEqual(Object.keys(again.json().error.details), ['email']);
  });

  test('register rejects bad input field by field', async () => {
    const { request } = ctx();
    const response = await request({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { email: 'nope', password: 'short', extra: 1 },
    });
    assert.equal(response.statusCode, 400);
    const { error } = response.json();
    assert.equal(error.code, 'VALIDATION_ERROR');
    assert.ok(error.details.email);
    assert.ok(error.details.password);
    assert.deepEqual(error.details.extra, ['The extra field is not allowed']);
  });

  test('register refuses the most common passwords, whatever their case (NIST SP 800-63B)', async () => {
    const { request } = ctx();
    for (const password of ['12345678', 'Password1', 'QWERTYUIOP']) {
      const response = await request({
        method: 'POST',
        url: '/api/v1/auth/register',
        payload: { email: `common-${Date.now()}@example.com`, password },
      });
      assert.equal(response.statusCode, 400, password);
      const { error } = response.json();
      assert.equal(error.code, 'VALIDATION_ERROR');
      assert.deepEqual(Object.keys(error.details), ['password']);
      assert.match(error.message, /most common/);
    }
  });

  test('token by email and password, as the reference shows', async () => {
    const { request, signUp } = ctx();
    const { email, password } = await signUp();
    const response = await request({ method: 'POST', url: '/api/v1/auth/token', payload: { email, password } });
    assert.equal(response.statusCode, 200);
    const body = response.json();
    assert.deepEqual(Object.keys(body).sort(), ['expires_in', 'success', 'token']);
    assert.equal(body.expires_in, 86400);
    const account = await request({ method: 'GET', url: '/api/v1/account', token: body.token });
    assert.equal(account.json().data.email, email);
  });

  test('wrong password, unknown email and half credentials', async () => {
    const { request, signUp } = ctx();
    const { email } = await signUp();
    const wrong = await request({
      method: 'POST',
      url: '/api/v1/auth/token',
      payload: { email, password: 'wrong-password' },
    });
    assert.equal(wrong.statusCode, 401);
    assert.equal(wrong.json().error.code, 'AUTHENTICATION_ERROR');
    const unknown = await request({
      method: 'POST',
      url: '/api/v1/auth/token',
      payload: { email: 'ghost@example.com', password: 'whatever1' },
    });
    assert.equal(unknown.statusCode, 401);
    const half = await request({ method: 'POST', url: '/api/v1/auth/token', payload: { email } });
    assert.equal(half.statusCode, 400);
    assert.deepEqual(half.json().error.details.password, ['The password field is required']);
    const none = await request({ method: 'POST', url: '/api/v1/auth/token', payload: {} });
    assert.equal(none.statusCode, 400);
    const mixed = await request({
      method: 'POST',
      url: '/api/v1/auth/token',
      payload: { email, password: 'x', api_key: 'k', api_secret: 's' },
    });
    assert.equal(mixed.statusCode, 400);
  });

  test('malformed JSON and wrong content type are validation errors', async () => {
    const { request } = ctx();
    const broken = await request({
      method: 'POST',
      url: '/api/v1/auth/token',
      payload: '{"email": ',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(broken.statusCode, 400);
    assert.equal(broken.json().success, false);
    assert.equal(broken.json().error.code, 'VALIDATION_ERROR');
    const text = await request({
      method: 'POST',
      url: '/api/v1/auth/token',
      payload: 'hello',
      headers: { 'content-type': 'text/plain' },
    });
    assert.ok(text.statusCode >= 400 && text.statusCode < 500);
    assert.equal(text.json().error.code, 'VALIDATION_ERROR');
    const array = await request({
      method: 'POST',
      url: '/api/v1/auth/token',
      payload: '[]',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(array.statusCode, 400);
  });

  test('missing, garbage, forged, alg:none, expired and never-expiring tokens are 401', async () => {
    const { request, config, signUp } = ctx();
    const account = await signUp();
    const missing = await request({ method: 'GET', url: '/api/v1/campaigns' });
    assert.equal(missing.statusCode, 401);
    assert.equal(missing.json().error.code, 'AUTHENTICATION_ERROR');
    const garbage = await request({ method: 'GET', url: '/api/v1/campaigns', token: 'not.a.jwt' });
    assert.equal(garbage.statusCode, 401);
    const forged = await new SignJWT({ scope: 'write' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('1')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('some-other-secret-some-other-secret-000'));
    assert.equal((await request({ method: 'GET', url: '/api/v1/campaigns', token: forged })).statusCode, 401);
    const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: '1', scope: 'write', exp: Math.floor(Date.now() / 1000) + 3600 })}.`;
    assert.equal((await request({ method: 'GET', url: '/api/v1/campaigns', token: none })).statusCode, 401);
    const key = new TextEncoder().encode(config.jwtSecret);
    const expired = await new SignJWT({ scope: 'write' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('1')
      .setIssuedAt(1_600_000_000)
      .setExpirationTime(1_600_000_100)
      .sign(key);
    assert.equal((await request({ method: 'GET', url: '/api/v1/campaigns', token: expired })).statusCode, 401);
    const ghost = await new SignJWT({ scope: 'write' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('999999')
      .setExpirationTime('1h')
      .sign(key);
    assert.equal((await request({ method: 'GET', url: '/api/v1/campaigns', token: ghost })).statusCode, 401);
    // Signed with the right key, for a real account, but without exp: it would never expire.
    const { data } = (await request({ method: 'GET', url: '/api/v1/account', token: account.token })).json<{
      data: { id: number };
    }>();
    const forever = await new SignJWT({ scope: 'write' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(String(data.id))
      .setIssuedAt()
      .sign(key);
    const endless = await request({ method: 'GET', url: '/api/v1/campaigns', token: forever });
    assert.equal(endless.statusCode, 401);
    assert.equal(endless.json().error.code, 'AUTHENTICATION_ERROR');
    const basic = await request({
      method: 'GET',
      url: '/api/v1/campaigns',
      headers: { authorization: 'Basic Zm9vOmJhcg==' },
    });
    assert.equal(basic.statusCode, 401);
  });
});

forEachDialect(
  'auth with sign-up turned off',
  (ctx) => {
    test('register answers 403', async () => {
      const response = await ctx().request({
        method: 'POST',
        url: '/api/v1/auth/register',
        payload: { email: 'a@example.com', password: 'longenough' },
      });
      assert.equal(response.statusCode, 403);
      assert.equal(response.json().error.code, 'AUTHORIZATION_ERROR');
    });
  },
  { SIGNUP: 'false' },
);
