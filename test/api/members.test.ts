// Members of a workspace (SPEC section 11): invitation links, sign-in, roles, removal, and bad input
// that changes nothing. On SQLite and PostgreSQL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialect } from '../helpers/test-app.ts';
import { MEMBER_PASSWORD, addMember, apiKeyToken, inviteMember, signIn } from '../helpers/members.ts';

forEachDialect('members', (ctx) => {
  const membersOf = async (token: string) =>
    (await ctx().request({ method: 'GET', url: '/api/v1/members', token })).json().data as Array<{
      id: number;
      email: string;
      role: string;
      status: string;
      campaign_ids: number[] | null;
    }>;

  test('the registrant is the owner; an invited member accepts, signs in and sees their role', async () => {
    const t = ctx();
    const owner = await t.signUp();
    const before = await membersOf(owner.token);
    assert.deepEqual(
      before.map((m) => [m.email, m.role, m.status]),
      [[owner.email, 'owner', 'active']],
    );
    const invited = await t.request({
      method: 'POST',
      url: '/api/v1/members',
      token: owner.token,
      payload: { email: 'Analyst@Example.com', role: 'viewer' },
    });
    assert.equal(invited.statusCode, 201, invited.body);
    const invitation = invited.json().data;
    assert.match(invitation.invitation_token, /^inv_[0-9A-Za-z]{40}$/);
    assert.ok(invitation.invitation_url.startsWith('http://track.test/accept-invitation#token=inv_'));
    assert.equal(invitation.member.status, 'invited');
    // Only the hash is stored.
    const stored = await t.storage.db
      .selectFrom('members')
      .selectAll()
      .where('id', '=', invitation.member.id)
      .execute();
    assert.ok(!JSON.stringify(stored).includes(invitation.invitation_token));
    // Not yet accepted: no sign-in.
    const early = await t.request({
      method: 'POST',
      url: '/api/v1/auth/token',
      payload: { email: 'analyst@example.com', password: MEMBER_PASSWORD },
    });
    assert.equal(early.statusCode, 401);

    const accepted = await t.request({
      method: 'POST',
      url: '/api/v1/members/accept',
      payload: { token: invitation.invitation_token, password: MEMBER_PASSWORD },
    });
    assert.equal(accepted.statusCode, 200, accepted.body);
    const token = await signIn(t.request, 'analyst@example.com');
    const me = (await t.request({ method: 'GET', url: '/api/v1/members/me', token })).json().data;
    assert.equal(me.role, 'viewer');
    assert.ok(me.permissions.includes('read'));
    assert.ok(!me.permissions.includes('campaigns:write'));
    // Same workspace: the account (and its resources) are the owner's.
    const account = (await t.request({ method: 'GET', url: '/api/v1/account', token })).json().data;
    assert.equal(account.email, owner.email);
    const ownerMe = (await t.request({ method: 'GET', url: '/api/v1/members/me', token: owner.token })).json().data;
    assert.equal(ownerMe.role, 'owner');
    assert.equal((await membersOf(owner.token)).length, 2);
  });

  test('bad input: an existing member, an invalid role, expired or reused links, the last owner, rising above oneself', async () => {
    const t = ctx();
    const owner = await t.signUp();
    const admin = await addMember(t.request, owner.token, { email: `admin-${Date.now()}@example.com`, role: 'admin' });
    const snapshot = async () => JSON.stringify(await membersOf(owner.token));
    const unchanged = await snapshot();

    const again = await t.request({
      method: 'POST',
      url: '/api/v1/members',
      token: owner.token,
      payload: { email: admin.email, role: 'viewer' },
    });
    assert.equal(again.statusCode, 409, again.body);
    assert.equal(again.json().error.code, 'CONFLICT');
    const self = await t.request({
      method: 'POST',
      url: '/api/v1/members',
      token: owner.token,
      payload: { email: owner.email, role: 'viewer' },
    });
    assert.equal(self.statusCode, 409);
    const elsewhere = await t.signUp();
    const other = await t.request({
      method: 'POST',
      url: '/api/v1/members',
      token: owner.token,
      payload: { email: elsewhere.email, role: 'viewer' },
    });
    assert.equal(other.statusCode, 409);

    const badRole = await t.request({
      method: 'POST',
      url: '/api/v1/members',
      token: owner.token,
      payload: { email: 'x@example.com', role: 'superuser' },
    });
    assert.equal(badRole.statusCode, 400);
    assert.equal(badRole.json().error.code, 'VALIDATION_ERROR');
    assert.ok(
      Object.keys(badRole.json().error.details ?? {}).some((k) => k.includes('role')),
      badRole.body,
    );

    const limitedAdmin = await t.request({
      method: 'POST',
      url: '/api/v1/members',
      token: owner.token,
      payload: { email: 'y@example.com', role: 'admin', campaign_ids: [1] },
    });
    assert.equal(limitedAdmin.statusCode, 400);
    assert.ok(limitedAdmin.json().error.details.campaign_ids);
    const foreignCampaign = await t.request({
      method: 'POST',
      url: '/api/v1/members',
      token: owner.token,
      payload: { email: 'y@example.com', role: 'viewer', campaign_ids: [987654] },
    });
    assert.equal(foreignCampaign.statusCode, 400);
    assert.ok(foreignCampaign.json().error.details.campaign_ids);

    // An admin grants no owner role, changes no owner, removes no owner.
    const grantOwner = await t.request({
      method: 'POST',
      url: '/api/v1/members',
      token: admin.token,
      payload: { email: 'z@example.com', role: 'owner' },
    });
    assert.equal(grantOwner.statusCode, 403);
    assert.equal(grantOwner.json().error.code, 'AUTHORIZATION_ERROR');
    const ownerId = (await membersOf(owner.token)).find((m) => m.role === 'owner')!.id;
    const removeOwner = await t.request({ method: 'DELETE', url: `/api/v1/members/${ownerId}`, token: admin.token });
    assert.equal(removeOwner.statusCode, 403);
    const selfUp = await t.request({
      method: 'PATCH',
      url: `/api/v1/members/${admin.id}`,
      token: admin.token,
      payload: { role: 'owner' },
    });
    assert.equal(selfUp.statusCode, 403, selfUp.body);
    // The last owner stays.
    const lastOwner = await t.request({ method: 'DELETE', url: `/api/v1/members/${ownerId}`, token: owner.token });
    assert.equal(lastOwner.statusCode, 409, lastOwner.body);
    const demoteLast = await t.request({
      method: 'PATCH',
      url: `/api/v1/members/${ownerId}`,
      token: owner.token,
      payload: { role: 'viewer' },
    });
    assert.equal(demoteLast.statusCode, 409);
    const unknown = await t.request({
      method: 'PATCH',
      url: '/api/v1/members/987654',
      token: owner.token,
      payload: { role: 'viewer' },
    });
    assert.equal(unknown.statusCode, 404);
    const empty = await t.request({
      method: 'PATCH',
      url: `/api/v1/members/${admin.id}`,
      token: owner.token,
      payload: {},
    });
    assert.equal(empty.statusCode, 400);
    assert.equal(await snapshot(), unchanged, 'nothing changed');

    // A used link is refused, and so is an expired one.
    const { invitationToken } = await inviteMember(t.request, owner.token, {
      email: 'once@example.com',
      role: 'viewer',
    });
    const first = await t.request({
      method: 'POST',
      url: '/api/v1/members/accept',
      payload: { token: invitationToken, password: MEMBER_PASSWORD },
    });
    assert.equal(first.statusCode, 200);
    const reused = await t.request({
      method: 'POST',
      url: '/api/v1/members/accept',
      payload: { token: invitationToken, password: 'another long password' },
    });
    assert.equal(reused.statusCode, 409, reused.body);
    await signIn(t.request, 'once@example.com'); // the first password still holds
    const expiring = await inviteMember(t.request, owner.token, { email: 'late@example.com', role: 'viewer' });
    await t.storage.db
      .updateTable('members')
      .set({ invitation_expires_at: Date.now() - 1 })
      .where('id', '=', expiring.id)
      .execute();
    const late = await t.request({
      method: 'POST',
      url: '/api/v1/members/accept',
      payload: { token: expiring.invitationToken, password: MEMBER_PASSWORD },
    });
    assert.equal(late.statusCode, 400, late.body);
    assert.ok(late.json().error.details.token);
    const bogus = await t.request({
      method: 'POST',
      url: '/api/v1/members/accept',
      payload: { token: 'inv_nothing', password: MEMBER_PASSWORD },
    });
    assert.equal(bogus.statusCode, 400);
    const noPassword = await t.request({ method: 'POST', url: '/api/v1/members/accept', payload: { token: 'x' } });
    assert.equal(noPassword.statusCode, 400);
    assert.ok(noPassword.json().error.details.password);
  });

  test("removing a member ends their tokens and API keys at once; a role lowered lowers the member's keys", async () => {
    const t = ctx();
    const owner = await t.signUp();
    const manager = await addMember(t.request, owner.token, {
      email: `mgr-${Date.now()}@example.com`,
      role: 'manager',
    });
    const keyToken = await apiKeyToken(t.request, manager.token, 'write');
    const create = (token: string) =>
      t.request({
        method: 'POST',
        url: '/api/v1/offers',
        token,
        payload: { name: 'Offer', url: 'https://o.example/' },
      });
    assert.equal((await create(keyToken)).statusCode, 201);
    // Owner sees the manager's key; the manager sees only their own.
    const ownerKeys = (await t.request({ method: 'GET', url: '/api/v1/api-keys', token: owner.token })).json().data;
    assert.equal(ownerKeys.length, 1);
    await apiKeyToken(t.request, owner.token, 'read');
    const managerKeys = (await t.request({ method: 'GET', url: '/api/v1/api-keys', token: manager.token })).json().data;
    assert.equal(managerKeys.length, 1);

    const lowered = await t.request({
      method: 'PATCH',
      url: `/api/v1/members/${manager.id}`,
      token: owner.token,
      payload: { role: 'viewer' },
    });
    assert.equal(lowered.statusCode, 200, lowered.body);
    const refused = await create(keyToken);
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.json().error.code, 'AUTHORIZATION_ERROR');
    assert.equal((await create(manager.token)).statusCode, 403);
    assert.equal((await t.request({ method: 'GET', url: '/api/v1/offers', token: keyToken })).statusCode, 200);

    const removed = await t.request({ method: 'DELETE', url: `/api/v1/members/${manager.id}`, token: owner.token });
    assert.equal(removed.statusCode, 200, removed.body);
    for (const token of [keyToken, manager.token]) {
      const after = await t.request({ method: 'GET', url: '/api/v1/offers', token });
      assert.equal(after.statusCode, 401, after.body);
    }
    const signInAgain = await t.request({
      method: 'POST',
      url: '/api/v1/auth/token',
      payload: { email: manager.email, password: MEMBER_PASSWORD },
    });
    assert.equal(signInAgain.statusCode, 401);
    const keysLeft = (await t.request({ method: 'GET', url: '/api/v1/api-keys', token: owner.token })).json().data;
    assert.equal(keysLeft.length, 1, "the removed member's key is revoked; the owner's stays");
    assert.equal((await t.request({ method: 'GET', url: '/api/v1/offers', token: owner.token })).statusCode, 200);
  });

  test("another workspace's member ids are 404", async () => {
    const t = ctx();
    const a = await t.signUp();
    const b = await t.signUp();
    const member = await addMember(t.request, a.token, { email: `m-${Date.now()}@example.com`, role: 'viewer' });
    const patch = await t.request({
      method: 'PATCH',
      url: `/api/v1/members/${member.id}`,
      token: b.token,
      payload: { role: 'manager' },
    });
    assert.equal(patch.statusCode, 404);
    const del = await t.request({ method: 'DELETE', url: `/api/v1/members/${member.id}`, token: b.token });
    assert.equal(del.statusCode, 404);
    assert.ok(!JSON.stringify(await membersOf(b.token)).includes(member.email));
  });
});
