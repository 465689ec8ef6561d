import { test } from 'node:test';
import assert from 'node:assert/strict';
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
    const clash = await request({ method: 'PUT', url: '/api/v1/account', token, payload: { email: taken.email } });
    assert.equal(clash.statusCode, 400);
    const newEmail = `moved-${Date.now()}@example.com`;
    const moved = await request({ method: 'PUT', url: '/api/v1/account', token, payload: { email: newEmail } });
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
