// A member changes their own password (SPEC section 11): the current one is required, every earlier
// token ends, wrong current passwords count towards the sign-in lock, the audit log says the password
// changed and never what it is. The registrant does the same through the same route. On SQLite and PostgreSQL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialect } from '../helpers/test-app.ts';
import { MEMBER_PASSWORD, addMember, apiKeyToken, signIn } from '../helpers/members.ts';
import { MASKED } from '../../src/modules/audit/audit.writer.ts';

const NEW_PASSWORD = 'a brand new member password';
let address = 0;

forEachDialect('member password change', (ctx) => {
  // Each test its own client address: the sign-in limit per address (20 a minute) is the one under test last.
  const from = () => `192.0.2.${++address}`;
  const change = (token: string, payload: object, remoteAddress = '192.0.2.200') =>
    ctx().request({ method: 'PUT', url: '/api/v1/members/me/password', token, payload, remoteAddress });
  const status = async (token: string) =>
    (await ctx().request({ method: 'GET', url: '/api/v1/members/me', token })).statusCode;

  test('a member changes their password: older tokens and keys end, the new token and password work, audited masked', async () => {
    const t = ctx();
    const owner = await t.signUp();
    const member = await addMember(t.request, owner.token, { email: `pw-${Date.now()}@team.test`, role: 'manager' });
    const otherSession = await signIn(t.request, member.email);
    const keyToken = await apiKeyToken(t.request, member.token, 'write');

    const changed = await change(member.token, { current_password: MEMBER_PASSWORD, password: NEW_PASSWORD }, from());
    assert.equal(changed.statusCode, 200, changed.body);
    const body = changed.json();
    assert.equal(body.success, true);
    assert.equal(typeof body.token, 'string');
    assert.equal(body.expires_in, 86400);

    for (const old of [member.token, otherSession, keyToken]) {
      const response = await t.request({ method: 'GET', url: '/api/v1/members/me', token: old });
      assert.equal(response.statusCode, 401, response.body);
      assert.equal(response.json().error.code, 'AUTHENTICATION_ERROR');
    }
    assert.equal(await status(body.token), 200);
    assert.equal(await status(owner.token), 200, "the owner's session is not the member's");
    const oldSignIn = await t.request({
      method: 'POST',
      url: '/api/v1/auth/token',
      payload: { email: member.email, password: MEMBER_PASSWORD },
    });
    assert.equal(oldSignIn.statusCode, 401);
    await signIn(t.request, member.email, NEW_PASSWORD);

    const log = await t.request({
      method: 'GET',
      url: `/api/v1/audit-log?resource_type=member&resource_id=${member.id}&action=update`,
      token: owner.token,
    });
    assert.equal(log.statusCode, 200, log.body);
    const [entry] = log.json().data;
    assert.deepEqual(entry.changes, { password_hash: { before: MASKED, after: MASKED } });
    assert.equal(entry.actor.member_id, member.id);
    assert.ok(!log.body.includes(NEW_PASSWORD) && !log.body.includes('scrypt'), 'no secret in the log');
  });

  test('the registering owner changes theirs through the same route (the account password)', async () => {
    const t = ctx();
    const owner = await t.signUp();
    const changed = await change(owner.token, { current_password: owner.password, password: NEW_PASSWORD }, from());
    assert.equal(changed.statusCode, 200, changed.body);
    assert.equal(await status(owner.token), 401);
    assert.equal(await status(changed.json().token), 200);
    await signIn(t.request, owner.email, NEW_PASSWORD);
    const log = await t.request({
      method: 'GET',
      url: '/api/v1/audit-log?resource_type=account&action=update',
      token: changed.json().token,
    });
    assert.deepEqual(log.json().data[0].changes, { password_hash: { before: MASKED, after: MASKED } });
  });

  test('bad input and a wrong current password change nothing: 400 VALIDATION_ERROR naming the field', async () => {
    const t = ctx();
    const owner = await t.signUp();
    const member = await addMember(t.request, owner.token, { email: `bad-${Date.now()}@team.test`, role: 'viewer' });
    const remoteAddress = from();
    const cases: Array<[object, string]> = [
      [{ password: NEW_PASSWORD }, 'current_password'],
      [{ current_password: MEMBER_PASSWORD }, 'password'],
      [{ current_password: MEMBER_PASSWORD, password: 'short' }, 'password'],
      [{ current_password: MEMBER_PASSWORD, password: 'password123' }, 'password'],
      [{ current_password: '', password: NEW_PASSWORD }, 'current_password'],
      [{ current_password: MEMBER_PASSWORD, password: 12345678 }, 'password'],
      [{ current_password: 'not my password', password: NEW_PASSWORD }, 'current_password'],
    ];
    for (const [payload, field] of cases) {
      const response = await change(member.token, payload, remoteAddress);
      assert.equal(response.statusCode, 400, `${JSON.stringify(payload)}: ${response.body}`);
      const { error } = response.json();
      assert.equal(error.code, 'VALIDATION_ERROR');
      assert.ok(
        Object.keys(error.details ?? {}).some((key) => key.includes(field)),
        `${JSON.stringify(payload)} names ${field}: ${response.body}`,
      );
    }
    const extra = await change(member.token, {
      current_password: MEMBER_PASSWORD,
      password: NEW_PASSWORD,
      role: 'owner',
    });
    assert.equal(extra.statusCode, 400, extra.body);
    // Nothing changed: the token still works and the old password still signs in.
    assert.equal(await status(member.token), 200);
    await signIn(t.request, member.email);
    // Another workspace's token acts on its own caller only: the member's current password means nothing there.
    const stranger = await t.signUp();
    const foreign = await change(stranger.token, { current_password: MEMBER_PASSWORD, password: NEW_PASSWORD }, from());
    assert.equal(foreign.statusCode, 400, foreign.body);
    assert.equal(await status(member.token), 200);
    await signIn(t.request, member.email);
    // A read-only key changes nothing.
    const readKey = await apiKeyToken(t.request, member.token, 'read');
    const refused = await change(readKey, { current_password: MEMBER_PASSWORD, password: NEW_PASSWORD }, from());
    assert.equal(refused.statusCode, 403, refused.body);
    assert.equal(await status(member.token), 200);
  });

  test('wrong current passwords lock the account as failed sign-ins do, and the address limit applies', async () => {
    const t = ctx();
    const owner = await t.signUp();
    const member = await addMember(t.request, owner.token, { email: `lock-${Date.now()}@team.test`, role: 'viewer' });
    const wrong = { current_password: 'not my password', password: NEW_PASSWORD };
    for (let i = 0; i < 5; i++) assert.equal((await change(member.token, wrong, from())).statusCode, 400);
    // Locked now: even the right current password waits, from any address, and so does signing in.
    const locked = await change(member.token, { current_password: MEMBER_PASSWORD, password: NEW_PASSWORD }, from());
    assert.equal(locked.statusCode, 429, locked.body);
    assert.equal(locked.json().error.code, 'RATE_LIMIT_EXCEEDED');
    const signInLocked = await t.request({
      method: 'POST',
      url: '/api/v1/auth/token',
      payload: { email: member.email, password: MEMBER_PASSWORD },
      remoteAddress: from(),
    });
    assert.equal(signInLocked.statusCode, 429);
    assert.equal(await status(member.token), 200, 'the password did not change');

    // Per address: 20 attempts a minute, whatever account they name.
    const other = await t.signUp();
    const remoteAddress = from();
    const codes: number[] = [];
    for (let i = 0; i < 21; i++) {
      const wrongOnce = { current_password: `wrong ${i}`, password: NEW_PASSWORD };
      codes.push((await change(i % 2 === 0 ? other.token : owner.token, wrongOnce, remoteAddress)).statusCode);
    }
    assert.equal(codes.at(-1), 429, codes.join(','));
  });
});
