// The audit log's later additions (SPEC section 11): accepting an invitation, fraud reports, conversions
// recorded through the API (not postbacks: partner traffic with no member behind it), and ad-platform
// connections (create, update, delete, sync) with their credentials never shown. Each entry is written in
// the change's own transaction and names who acted. On SQLite and PostgreSQL.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialect } from '../helpers/test-app.ts';
import { MEMBER_PASSWORD, addMember, inviteMember } from '../helpers/members.ts';
import { CLICK_DESTINATION, sendClick } from '../helpers/clicks.ts';
import { startAdPlatformReceiver } from '../helpers/ad-platform-receiver.ts';
import { MASKED } from '../../src/modules/audit/audit.writer.ts';

interface Entry {
  action: string;
  resource_type: string;
  resource_id: number | null;
  actor: { member_id: number | null; email: string | null; api_key_id: number | null };
  changes: Record<string, { before: unknown; after: unknown }>;
}

// Sync jobs call the platform: a receiver on loopback stands in for Google Ads.
const receiver = await startAdPlatformReceiver();
after(async () => {
  await receiver.close();
});

const GOOGLE_SECRETS = {
  client_id: 'client-1.apps.googleusercontent.com',
  client_secret: 'GOCSPX-audit-secret-value',
  refresh_token: 'refresh-ok',
  developer_token: 'dev-token-audit',
};

forEachDialect(
  'audit log: invitations, fraud reports, conversions, connections',
  (ctx) => {
    const entries = async (token: string, query: string) => {
      const response = await ctx().request({ method: 'GET', url: `/api/v1/audit-log?${query}`, token });
      assert.equal(response.statusCode, 200, response.body);
      return { data: response.json().data as Entry[], body: response.body };
    };
    const campaign = async (token: string, extra: Record<string, unknown> = {}) => {
      const created = await ctx().request({
        method: 'POST',
        url: '/api/v1/campaigns',
        token,
        payload: { name: `Audited ${Date.now()}`, destination_url: CLICK_DESTINATION, ...extra },
      });
      assert.equal(created.statusCode, 201, created.body);
      return created.json().data as { id: number; uuid: string };
    };

    test('accepting an invitation is logged as the member’s own act, the password masked', async () => {
      const t = ctx();
      const owner = await t.signUp();
      const email = `joiner-${Date.now()}@team.test`;
      const { id, invitationToken } = await inviteMember(t.request, owner.token, { email, role: 'viewer' });
      const accepted = await t.request({
        method: 'POST',
        url: '/api/v1/members/accept',
        payload: { token: invitationToken, password: MEMBER_PASSWORD },
      });
      assert.equal(accepted.statusCode, 200, accepted.body);
      // A reused link changes nothing and logs nothing.
      const reused = await t.request({
        method: 'POST',
        url: '/api/v1/members/accept',
        payload: { token: invitationToken, password: 'another long password' },
      });
      assert.equal(reused.statusCode, 409);

      const { data, body } = await entries(owner.token, `resource_type=member&resource_id=${id}`);
      assert.deepEqual(
        data.map((e) => e.action),
        ['update', 'create'],
      );
      const [accept] = data as [Entry];
      assert.deepEqual(accept.actor, { member_id: id, email, api_key_id: null });
      assert.deepEqual(accept.changes.password_hash, { before: null, after: MASKED });
      assert.equal(accept.changes.accepted_at?.before, null);
      assert.equal(typeof accept.changes.accepted_at?.after, 'number');
      assert.ok(!body.includes(MEMBER_PASSWORD) && !body.includes(invitationToken));
    });

    test('a fraud report and API conversions are logged with their actor; postbacks are not', async () => {
      const t = ctx();
      const owner = await t.signUp();
      const manager = await addMember(t.request, owner.token, {
        email: `buyer-${Date.now()}@team.test`,
        role: 'manager',
      });
      const { id: campaignId, uuid } = await campaign(owner.token);

      const report = await t.request({
        method: 'POST',
        url: '/api/v2/fraud/report',
        token: manager.token,
        payload: { campaign_id: campaignId, platform: 'google' },
      });
      assert.equal(report.statusCode, 201, report.body);
      const reportId = report.json().data.id as number;
      const [reportEntry, ...moreReports] = (await entries(owner.token, 'resource_type=fraud_report')).data;
      assert.equal(moreReports.length, 0);
      assert.equal(reportEntry!.action, 'create');
      assert.equal(reportEntry!.resource_id, reportId);
      assert.equal(reportEntry!.actor.member_id, manager.id);
      assert.deepEqual(reportEntry!.changes.campaign_id, { before: null, after: campaignId });
      assert.deepEqual(reportEntry!.changes.platform, { before: null, after: 'google' });

      const clickId = await sendClick(t, uuid, { ip: '84.128.9.10' });
      const first = await t.request({
        method: 'POST',
        url: '/api/v1/conversions',
        token: manager.token,
        payload: { click_id: clickId, payout: 5, transaction_id: 'tx-audit-1', status: 'pending' },
      });
      assert.equal(first.statusCode, 201, first.body);
      const conversionId = first.json().data.id as number;
      const changed = await t.request({
        method: 'POST',
        url: '/api/v1/conversions',
        token: manager.token,
        payload: { click_id: clickId, transaction_id: 'tx-audit-1', status: 'approved' },
      });
      assert.equal(changed.statusCode, 200, changed.body);
      // The same txid again from the partner's server: the conversion changes, the log does not.
      const postback = await t.request({
        method: 'GET',
        url: `/api/v1/postback?clickid=${clickId}&txid=tx-audit-1&payout=9`,
      });
      assert.ok(postback.statusCode < 300, postback.body);
      const bad = await t.request({
        method: 'POST',
        url: '/api/v1/conversions',
        token: manager.token,
        payload: { click_id: clickId, payout: -1 },
      });
      assert.equal(bad.statusCode, 400);

      const { data } = await entries(owner.token, 'resource_type=conversion');
      assert.deepEqual(
        data.map((e) => [e.action, e.resource_id, e.actor.member_id]),
        [
          ['update', conversionId, manager.id],
          ['create', conversionId, manager.id],
        ],
      );
      assert.deepEqual(data[0]!.changes.status, { before: 'pending', after: 'approved' });
      assert.equal(data[0]!.changes.payout, undefined, 'only what changed');
      assert.deepEqual(data[1]!.changes.payout, { before: null, after: 5 });
      const stored = await t.storage.db
        .selectFrom('conversions')
        .select('payout')
        .where('id', '=', conversionId)
        .executeTakeFirstOrThrow();
      assert.equal(Number(stored.payout), 9, 'the postback did change the conversion');
    });

    test('connections: create, update, sync and delete are logged; the credentials never are', async () => {
      const t = ctx();
      const owner = await t.signUp();
      const { id: campaignId } = await campaign(owner.token, { google_ads_campaign_id: '4242' });
      const created = await t.request({
        method: 'POST',
        url: '/api/v1/connections',
        token: owner.token,
        payload: {
          platform: 'google',
          name: 'Google Ads',
          customer_id: '123-456-7890',
          conversion_action_id: '555',
          currency: 'EUR',
          credentials: GOOGLE_SECRETS,
        },
      });
      assert.equal(created.statusCode, 201, created.body);
      const id = created.json().data.id as number;
      const renamed = await t.request({
        method: 'PUT',
        url: `/api/v1/connections/${id}`,
        token: owner.token,
        payload: { name: 'Google Ads (EU)', credentials: { refresh_token: 'refresh-rotated-secret' } },
      });
      assert.equal(renamed.statusCode, 200, renamed.body);
      const synced = await t.request({
        method: 'POST',
        url: `/api/v1/connections/${id}/sync`,
        token: owner.token,
        payload: { campaign_id: campaignId },
      });
      assert.ok(synced.statusCode < 300, synced.body);
      const badSync = await t.request({
        method: 'POST',
        url: `/api/v1/connections/${id}/sync`,
        token: owner.token,
        payload: { campaign_id: 'all' },
      });
      assert.equal(badSync.statusCode, 400);
      const stranger = await t.signUp();
      const foreign = await t.request({ method: 'DELETE', url: `/api/v1/connections/${id}`, token: stranger.token });
      assert.equal(foreign.statusCode, 404);
      const removed = await t.request({ method: 'DELETE', url: `/api/v1/connections/${id}`, token: owner.token });
      assert.equal(removed.statusCode, 200, removed.body);

      const { data, body } = await entries(owner.token, `resource_type=connection&resource_id=${id}`);
      assert.deepEqual(
        data.map((e) => e.action),
        ['delete', 'sync', 'update', 'create'],
      );
      const [remove, sync, update, create] = data as [Entry, Entry, Entry, Entry];
      assert.deepEqual(create.changes.credentials, { before: null, after: MASKED });
      assert.deepEqual(create.changes.platform, { before: null, after: 'google' });
      assert.deepEqual(update.changes.name, { before: 'Google Ads', after: 'Google Ads (EU)' });
      assert.deepEqual(update.changes.credentials, { before: MASKED, after: MASKED });
      assert.deepEqual(sync.changes.campaign_ids, { before: null, after: [campaignId] });
      assert.equal(remove.changes.name?.before, 'Google Ads (EU)');
      assert.deepEqual(remove.changes.credentials, { before: MASKED, after: null });
      for (const secret of [...Object.values(GOOGLE_SECRETS), 'refresh-rotated-secret']) {
        assert.ok(!body.includes(secret), `${secret} reached the log`);
      }
      const rows = await t.storage.db.selectFrom('audit_log').select('changes').execute();
      assert.ok(!JSON.stringify(rows).includes('GOCSPX'), 'nor the stored rows');
      assert.deepEqual((await entries(stranger.token, 'resource_type=connection')).data, []);
      // Filters take the new action and resources.
      assert.equal((await entries(owner.token, 'action=sync')).data.length, 1);
    });
  },
  { ...receiver.env, CONNECTIONS_SYNC_MINUTES: '0' },
);
