// The audit log (SPEC section 11): who created, changed or deleted what, the changed fields before and
// after with secrets masked, written in the change's own transaction. On SQLite and PostgreSQL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialect } from '../helpers/test-app.ts';
import { addMember, apiKeyToken } from '../helpers/members.ts';
import { auditedCreate, auditedUpdate } from '../../src/modules/audit/audited.ts';
import { findCampaign, insertCampaign, updateCampaign } from '../../src/modules/campaigns/campaign.repository.ts';

interface Entry {
  id: number;
  action: string;
  resource_type: string;
  resource_id: number | null;
  actor: { member_id: number | null; email: string | null; api_key_id: number | null };
  changes: Record<string, { before: unknown; after: unknown }>;
}

forEachDialect('audit log', (ctx) => {
  const log = async (token: string, query = '') => {
    const response = await ctx().request({ method: 'GET', url: `/api/v1/audit-log${query}`, token });
    assert.equal(response.statusCode, 200, response.body);
    return response.json() as { data: Entry[]; meta: { per_page: number; next_cursor: number | null } };
  };
  const createCampaign = async (token: string, name: string) => {
    const created = await ctx().request({ method: 'POST', url: '/api/v1/campaigns', token, payload: { name } });
    assert.equal(created.statusCode, 201, created.body);
    return created.json().data.id as number;
  };
  const me = async (token: string) =>
    (await ctx().request({ method: 'GET', url: '/api/v1/members/me', token })).json().data as { id: number };

  test('create, update and delete are logged newest first, with only the changed fields on update', async () => {
    const t = ctx();
    const owner = await t.signUp();
    const id = await createCampaign(owner.token, 'First');
    const renamed = await t.request({
      method: 'PUT',
      url: `/api/v1/campaigns/${id}`,
      token: owner.token,
      payload: { name: 'Second' },
    });
    assert.equal(renamed.statusCode, 200, renamed.body);
    assert.equal(
      (await t.request({ method: 'DELETE', url: `/api/v1/campaigns/${id}`, token: owner.token })).statusCode,
      200,
    );

    const { data } = await log(owner.token, `?resource_type=campaign&resource_id=${id}`);
    assert.deepEqual(
      data.map((e) => e.action),
      ['delete', 'update', 'create'],
    );
    const [removed, update, create] = data as [Entry, Entry, Entry];
    assert.deepEqual(update.changes, { name: { before: 'First', after: 'Second' } });
    assert.equal(create.changes.name?.after, 'First');
    assert.equal(create.changes.name?.before, null);
    assert.equal(removed.changes.name?.before, 'Second');
    const ownerMember = await me(owner.token);
    assert.deepEqual(update.actor, { member_id: ownerMember.id, email: owner.email, api_key_id: null });

    // Filters: action, member, days; keyset pages of one.
    assert.deepEqual(
      (await log(owner.token, `?action=update&resource_type=campaign`)).data.map((e) => e.id),
      [update.id],
    );
    assert.equal((await log(owner.token, `?member_id=${ownerMember.id}`)).data.length, 3);
    assert.equal((await log(owner.token, '?from=2000-01-01&to=2000-01-02')).data.length, 0);
    const today = new Date().toISOString().slice(0, 10);
    assert.equal((await log(owner.token, `?from=${today}&to=${today}`)).data.length, 3);
    const seen: number[] = [];
    let cursor: number | null = null;
    do {
      const page = await log(owner.token, `?per_page=1${cursor === null ? '' : `&cursor=${cursor}`}`);
      seen.push(...page.data.map((e) => e.id));
      cursor = page.meta.next_cursor;
    } while (cursor !== null);
    assert.deepEqual(seen, [removed.id, update.id, create.id]);
  });

  test('secrets are masked: API key secrets, invitation tokens; the key used is named', async () => {
    const t = ctx();
    const owner = await t.signUp();
    const key = (
      await t.request({
        method: 'POST',
        url: '/api/v1/api-keys',
        token: owner.token,
        payload: { name: 'ci', scope: 'write' },
      })
    ).json().data as { id: number; api_secret: string };
    const invited = (
      await t.request({
        method: 'POST',
        url: '/api/v1/members',
        token: owner.token,
        payload: { email: `m-${Date.now()}@example.com`, role: 'viewer' },
      })
    ).json().data as { invitation_token: string };
    const keyToken = await apiKeyToken(t.request, owner.token, 'write');
    await createCampaign(keyToken, 'By key');

    const { data } = await log(owner.token);
    const text = JSON.stringify(data);
    assert.ok(!text.includes(key.api_secret), 'the secret never reaches the log');
    assert.ok(!text.includes(invited.invitation_token));
    const keyEntry = data.find((e) => e.resource_type === 'api_key' && e.resource_id === key.id)!;
    assert.deepEqual(keyEntry.changes.secret_hash, { before: null, after: '********' });
    const memberEntry = data.find((e) => e.resource_type === 'member' && e.action === 'create')!;
    assert.equal(memberEntry.changes.invitation_hash?.after, '********');
    const byKey = data.find((e) => e.resource_type === 'campaign')!;
    assert.notEqual(byKey.actor.api_key_id, null);
    const stored = await t.storage.db.selectFrom('audit_log').select('changes').execute();
    assert.ok(!JSON.stringify(stored).includes(key.api_secret));
  });

  test('costs, detection settings and account settings are logged; passwords and postback tokens masked', async () => {
    const t = ctx();
    const owner = await t.signUp();
    const id = await createCampaign(owner.token, 'Costed');
    const cost = await t.request({
      method: 'POST',
      url: `/api/v1/campaigns/${id}/costs`,
      token: owner.token,
      payload: { from: '2026-03-01', to: '2026-03-31', amount: 310 },
    });
    assert.equal(cost.statusCode, 200, cost.body);
    const settings = await t.request({
      method: 'PUT',
      url: '/api/v1/detection-settings',
      token: owner.token,
      payload: { ip_blocklist: ['203.0.113.7'] },
    });
    assert.equal(settings.statusCode, 200, settings.body);
    const newPassword = 'a fresh long password 42';
    const account = await t.request({
      method: 'PUT',
      url: '/api/v1/account',
      token: owner.token,
      payload: { password: newPassword, current_password: owner.password },
    });
    assert.equal(account.statusCode, 200, account.body);
    const token = await t.request({
      method: 'POST',
      url: '/api/v1/auth/token',
      payload: { email: owner.email, password: newPassword },
    });
    const fresh = token.json().token as string;
    const postbackToken = await t.request({ method: 'POST', url: '/api/v1/account/postback-token', token: fresh });
    assert.ok(postbackToken.statusCode < 300, postbackToken.body);

    const { data } = await log(fresh);
    const text = JSON.stringify(data);
    assert.ok(!text.includes(newPassword) && !text.includes(owner.password));
    assert.ok(!text.includes(JSON.stringify(postbackToken.json().data)));
    const costEntry = data.find((e) => e.resource_type === 'campaign_costs')!;
    assert.equal(costEntry.resource_id, id);
    assert.equal(costEntry.changes.amount?.after, 310);
    const settingsEntry = data.find((e) => e.resource_type === 'detection_settings')!;
    assert.deepEqual(settingsEntry.changes.ip_blocklist, { before: [], after: ['203.0.113.7'] });
    const accountEntries = data.filter((e) => e.resource_type === 'account');
    assert.deepEqual(accountEntries.at(-1)!.changes, { password_hash: { before: '********', after: '********' } });
    assert.deepEqual(accountEntries[0]!.changes.postback_token, { before: null, after: '********' });
  });

  test('owner and admin read it; manager and viewer get 403; another workspace sees nothing and its member ids are 404', async () => {
    const t = ctx();
    const owner = await t.signUp();
    await createCampaign(owner.token, 'Mine');
    const stamp = Date.now();
    const admin = await addMember(t.request, owner.token, { email: `a-${stamp}@example.com`, role: 'admin' });
    const manager = await addMember(t.request, owner.token, { email: `mg-${stamp}@example.com`, role: 'manager' });
    const viewer = await addMember(t.request, owner.token, { email: `v-${stamp}@example.com`, role: 'viewer' });
    assert.ok((await log(admin.token)).data.length >= 4);
    for (const member of [manager, viewer]) {
      const refused = await t.request({ method: 'GET', url: '/api/v1/audit-log', token: member.token });
      assert.equal(refused.statusCode, 403, refused.body);
      assert.equal(refused.json().error.code, 'AUTHORIZATION_ERROR');
    }
    const stranger = await t.signUp();
    assert.deepEqual((await log(stranger.token)).data, []);
    const foreign = await t.request({
      method: 'GET',
      url: `/api/v1/audit-log?member_id=${admin.id}`,
      token: stranger.token,
    });
    assert.equal(foreign.statusCode, 404, foreign.body);
    assert.equal(foreign.json().error.code, 'NOT_FOUND');
  });

  test('bad filters: 400 VALIDATION_ERROR naming the parameter', async () => {
    const t = ctx();
    const owner = await t.signUp();
    const cases: Array<[string, string]> = [
      ['member_id=abc', 'member_id'],
      ['resource_type=planet', 'resource_type'],
      ['resource_id=0', 'resource_id'],
      ['action=rename', 'action'],
      ['from=2024-13-01', 'from'],
      ['to=yesterday', 'to'],
      ['from=2024-02-02&to=2024-02-01', 'from'],
      ['cursor=-5', 'cursor'],
      ['per_page=1000', 'per_page'],
    ];
    for (const [query, parameter] of cases) {
      const response = await t.request({ method: 'GET', url: `/api/v1/audit-log?${query}`, token: owner.token });
      assert.equal(response.statusCode, 400, `${query}: ${response.body}`);
      const error = response.json().error;
      assert.equal(error.code, 'VALIDATION_ERROR');
      assert.ok(
        Object.keys(error.details ?? {}).some((key) => key.includes(parameter)) || error.message.includes(parameter),
        `${query} names ${parameter}: ${response.body}`,
      );
    }
  });

  test('same transaction: a failing change leaves no audit row, a failing audit write leaves no change', async () => {
    const t = ctx();
    const owner = await t.signUp();
    const id = await createCampaign(owner.token, 'Kept');
    const userId = Number(
      (await t.storage.db.selectFrom('campaigns').select('user_id').where('id', '=', id).executeTakeFirstOrThrow())
        .user_id,
    );
    const rows = async () =>
      Number(
        (
          await t.storage.db
            .selectFrom('audit_log')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('user_id', '=', userId)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await rows();
    assert.equal(before, 1, 'the successful create has its row');

    // The change writes, then fails: neither the change nor an audit row remain.
    await assert.rejects(
      auditedUpdate(
        t.storage.db,
        userId,
        'campaign',
        (trx) => findCampaign(trx, userId, id),
        async (trx) => {
          await updateCampaign(trx, userId, id, { name: 'Lost' });
          throw new Error('the change fails after writing');
        },
      ),
    );
    assert.equal(await rows(), before);
    assert.equal((await findCampaign(t.storage.db, userId, id))?.name, 'Kept');

    // The audit write fails (its workspace does not exist): the change it records is rolled back too.
    await assert.rejects(
      auditedUpdate(
        t.storage.db,
        987_654_321,
        'campaign',
        (trx) => findCampaign(trx, userId, id),
        (trx) => updateCampaign(trx, userId, id, { name: 'Unlogged' }),
      ),
    );
    assert.equal((await findCampaign(t.storage.db, userId, id))?.name, 'Kept');
    await assert.rejects(
      auditedCreate(t.storage.db, 987_654_321, 'campaign', (trx) =>
        insertCampaign(trx, {
          user_id: userId,
          uuid: `audit${Date.now()}`.slice(0, 16),
          name: 'Ghost',
          status: 'active',
          traffic_source_id: null,
          cost_model: 'cpc',
          cost_value: 0,
          destination_url: null,
          allowed_countries: '[]',
          blocked_countries: '[]',
          allowed_devices: '[]',
          ip_blocklist: '[]',
          fraud_action: 'monitor',
          blocked_fraud_types: '[]',
          allow_repeat_conversions: 0,
          require_beacon: 0,
          flow: null,
          created_at: Date.now(),
          updated_at: Date.now(),
          deleted_at: null,
        }),
      ),
    );
    const ghosts = await t.storage.db.selectFrom('campaigns').select('id').where('name', '=', 'Ghost').execute();
    assert.deepEqual(ghosts, []);

    // A successful change always has its row.
    const renamed = await t.request({
      method: 'PUT',
      url: `/api/v1/campaigns/${id}`,
      token: owner.token,
      payload: { name: 'Renamed' },
    });
    assert.equal(renamed.statusCode, 200);
    assert.equal(await rows(), before + 1);
    // A refused change (bad input) writes nothing.
    const refused = await t.request({
      method: 'PUT',
      url: `/api/v1/campaigns/${id}`,
      token: owner.token,
      payload: { traffic_source_id: 999_999 },
    });
    assert.equal(refused.statusCode, 400);
    assert.equal(await rows(), before + 1);
  });
});
