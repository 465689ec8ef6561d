import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SignJWT } from 'jose';
import { forEachDialect } from '../helpers/test-app.ts';

forEachDialect('account', (ctx) => {
  test('shows the account with its plan limits', async () => {
    const { request, signUp } = ctx();
    const { token, email } = await signUp();
    const response = await request({ method: 'GET', url: '/api/v1/account', token });
    assert.equal(response.statusCode, 200);
    const { data } = response.json();
    assert.equal(data.email, email);
    assert.deepEqual(data.rate_limits, { per_minute: 60, per_day: 10000 });
    assert.equal(data.password_hash, undefined);
  });

  test('changes email; changes password only with the current one', async () => {
    const { request, signUp } = ctx();
    const { token, password } = await signUp();
    const taken = await signUp();
    const clash = await request({
      method: 'PUT',
      url: '/api/v1/account',
      token,
      payload: { email: taken.email, current_password: password },
    });
    assert.equal(clash.statusCode, 400);
    assert.ok(clash.json().error.details.email);
    const newEmail = `moved-${Date.now()}@example.com`;
    const moved = await request({
      method: 'PUT',
      url: '/api/v1/account',
      token,
      payload: { email: newEmail, current_password: password },
    });
    assert.equal(moved.json().data.email, newEmail);
    const noCurrent = await request({
      method: 'PUT',
      url: '/api/v1/account',
      token,
      payload: { password: 'new-password-1' },
    });
    assert.equal(noCurrent.statusCode, 400);
    assert.ok(noCurrent.json().error.details.current_password);
    const wrong = await request({
      method: 'PUT',
      url: '/api/v1/account',
      token,
      payload: { password: 'new-password-1', current_password: 'nope-nope' },
    });
    assert.equal(wrong.statusCode, 400);
    const changed = await request({
      method: 'PUT',
      url: '/api/v1/account',
      token,
      payload: { password: 'new-password-1', current_password: password },
    });
    assert.equal(changed.statusCode, 200);
    const login = await request({
      method: 'POST',
      url: '/api/v1/auth/token',
      payload: { email: newEmail, password: 'new-password-1' },
    });
    assert.equal(login.statusCode, 200);
    const oldLogin = await request({
      method: 'POST',
      url: '/api/v1/auth/token',
      payload: { email: newEmail, password },
    });
    assert.equal(oldLogin.statusCode, 401);
  });

  test('an email change needs the current password: a token alone cannot take the account over', async () => {
    const { request, signUp } = ctx();
    const { token, email, password } = await signUp();
    const moveTo = `taken-over-${Date.now()}@example.com`;
    const bare = await request({ method: 'PUT', url: '/api/v1/account', token, payload: { email: moveTo } });
    assert.equal(bare.statusCode, 400);
    assert.equal(bare.json().error.code, 'VALIDATION_ERROR');
    assert.deepEqual(bare.json().error.details.current_password, [
      'The current_password field is required to change the email',
    ]);
    const wrong = await request({
      method: 'PUT',
      url: '/api/v1/account',
      token,
      payload: { email: moveTo, current_password: 'not-the-password' },
    });
    assert.equal(wrong.statusCode, 400);
    assert.ok(wrong.json().error.details.current_password);
    const account = await request({ method: 'GET', url: '/api/v1/account', token });
    assert.equal(account.json().data.email, email, 'the email did not move');
    const moved = await request({
      method: 'PUT',
      url: '/api/v1/account',
      token,
      payload: { email: moveTo, current_password: password },
    });
    assert.equal(moved.statusCode, 200);
    assert.equal(moved.json().data.email, moveTo);
  });

  test('a password change ends every token issued before it, API-key tokens included', async () => {
    const { request, signUp, config } = ctx();
    const { token, email, password } = await signUp();
    const signIn = (payload: object) => request({ method: 'POST', url: '/api/v1/auth/token', payload });
    const { data } = (await request({ method: 'GET', url: '/api/v1/account', token })).json<{ data: { id: number } }>();
    // As minted before migration 013: no `cv` claim, which counts as version 0.
    const legacy = await new SignJWT({ scope: 'write' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(String(data.id))
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(config.jwtSecret));
    const second = (await signIn({ email, password })).json<{ token: string }>().token;
    const created = await request({ method: 'POST', url: '/api/v1/api-keys', token, payload: { name: 'ci' } });
    const { api_key, api_secret } = created.json<{ data: { api_key: string; api_secret: string } }>().data;
    const keyToken = (await signIn({ api_key, api_secret })).json<{ token: string }>().token;
    const me = (bearer: string) => request({ method: 'GET', url: '/api/v1/account', token: bearer });
    for (const bearer of [token, second, keyToken, legacy]) assert.equal((await me(bearer)).statusCode, 200);

    const changed = await request({
      method: 'PUT',
      url: '/api/v1/account',
      token: second,
      payload: { password: 'a brand new passphrase', current_password: password },
    });
    assert.equal(changed.statusCode, 200);
    for (const bearer of [token, second, keyToken, legacy]) {
      const refused = await me(bearer);
      assert.equal(refused.statusCode, 401, 'an earlier token is refused at once');
      assert.equal(refused.json().error.code, 'AUTHENTICATION_ERROR');
    }
    const fresh = (await signIn({ email, password: 'a brand new passphrase' })).json<{ token: string }>().token;
    assert.equal((await me(fresh)).statusCode, 200, 'a token issued after the change works');
    const freshKeyToken = (await signIn({ api_key, api_secret })).json<{ token: string }>().token;
    assert.equal((await me(freshKeyToken)).statusCode, 200, 'the API key itself stays valid');
  });

  test('a password change refuses the most common passwords and keeps the old one', async () => {
    const { request, signUp } = ctx();
    const { token, email, password } = await signUp();
    const weak = await request({
      method: 'PUT',
      url: '/api/v1/account',
      token,
      payload: { password: 'iloveyou1', current_password: password },
    });
    assert.equal(weak.statusCode, 400);
    assert.equal(weak.json().error.code, 'VALIDATION_ERROR');
    assert.match(weak.json().error.details.password[0], /most common/);
    const login = await request({ method: 'POST', url: '/api/v1/auth/token', payload: { email, password } });
    assert.equal(login.statusCode, 200, 'the password did not change');
  });

  test('a stolen token cannot guess the current password: wrong ones lock the account like failed sign-ins', async () => {
    const { request, signUp } = ctx();
    const { token, email, password } = await signUp();
    const change = (current: string) =>
      request({
        method: 'PUT',
        url: '/api/v1/account',
        token,
        payload: { password: 'a brand new passphrase', current_password: current },
      });
    for (let i = 1; i <= 5; i++) assert.equal((await change(`guess-${i}`)).statusCode, 400, `guess ${i}`);
    const locked = await change(password);
    assert.equal(locked.statusCode, 429);
    assert.equal(locked.json().error.code, 'RATE_LIMIT_EXCEEDED');
    assert.equal(locked.headers['retry-after'], '30');
    const signIn = await request({ method: 'POST', url: '/api/v1/auth/token', payload: { email, password } });
    assert.equal(signIn.statusCode, 429, 'the same lock as sign-in');
  });

  test('bad input and no token', async () => {
    const { request, signUp } = ctx();
    const { token } = await signUp();
    const bad = await request({
      method: 'PUT',
      url: '/api/v1/account',
      token,
      payload: { email: 42, plan: 'enterprise' },
    });
    assert.equal(bad.statusCode, 400);
    assert.ok(bad.json().error.details.email);
    assert.deepEqual(bad.json().error.details.plan, ['The plan field is not allowed']);
    assert.equal((await request({ method: 'GET', url: '/api/v1/account' })).statusCode, 401);
  });
});
