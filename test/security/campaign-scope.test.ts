// Campaign limits, generated from the route table: a viewer limited to campaign B reads every
// campaign-scoped route (src/http/route-policy.ts, `campaign`) and never sees campaign A: A's ids are
// 404, lists and CSV exports hold none of A's rows, ?campaign_id=A is 404, and every total and every
// analytics grouping counts B's clicks only. On SQLite and PostgreSQL.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSecurityWorld, fillPath, hasOwnedParams, type SecurityWorld } from './fixtures.ts';
import { policyOf } from '../../src/http/route-policy.ts';
import { ANALYTICS_DIMENSIONS } from '../../src/modules/stats/dimensions.ts';
import { DIALECTS } from '../helpers/dialects.ts';
import { addMember } from '../helpers/members.ts';

const fastifyPath = (path: string) => path.replace(/\{([^}]+)\}/g, ':$1');
const B_CLICKS = 2;

for (const dialect of DIALECTS) {
  describe(`campaign limits, generated from the route table [${dialect.name}]`, () => {
    let world: SecurityWorld;
    let limited: string;
    let manager: string;
    let campaignA: { id: string; uuid: string };
    let campaignB: number;
    const bClickIds: string[] = [];

    before(async () => {
      world = await buildSecurityWorld(dialect);
      const owner = (options: Parameters<SecurityWorld['request']>[0]) =>
        world.request({ ...options, token: world.owner.token });
      const a = (await owner({ method: 'GET', url: `/api/v1/campaigns/${world.ids['campaigns/id']}` })).json().data;
      campaignA = { id: String(a.id), uuid: a.uuid };
      const b = (
        await owner({
          method: 'POST',
          url: '/api/v1/campaigns',
          payload: { name: 'Client B', destination_url: 'https://b.example/?cid={clickid}' },
        })
      ).json().data;
      campaignB = b.id;
      for (let i = 0; i < B_CLICKS; i++) {
        const redirect = await world.app.inject({
          method: 'GET',
          url: `/c/${b.uuid}`,
          headers: { 'user-agent': 'curl/8.4.0', 'x-forwarded-for': `198.51.100.${i + 1}` },
        });
        bClickIds.push(new URL(String(redirect.headers.location)).searchParams.get('cid')!);
      }
      limited = (
        await addMember(world.request, world.owner.token, {
          email: 'client-b@team.test',
          role: 'viewer',
          campaign_ids: [campaignB],
        })
      ).token;
      manager = (
        await addMember(world.request, world.owner.token, {
          email: 'buyer-b@team.test',
          role: 'manager',
          campaign_ids: [campaignB],
        })
      ).token;
      await world.t.app.services.statsFolder.foldAll();
    });
    after(async () => {
      await world.app.close();
      await world.t.storage.dispose();
    });

    const scopedReads = () =>
      world.operations.filter(
        (op) =>
          op.method === 'GET' &&
          op.path !== '/api/v1/clicks/stream' &&
          policyOf(op.method, fastifyPath(op.path))?.limited === 'campaign',
      );
    const get = (url: string, token = limited) => world.request({ method: 'GET', url, token });
    const leaks = (body: string) => [world.ids['clicks/clickid']!, campaignA.uuid].filter((s) => body.includes(s));

    test("A's own ids are 404 on every route that names one", async () => {
      const named = scopedReads().filter((op) => hasOwnedParams(op.path));
      assert.ok(named.length >= 6, `routes with ids: ${named.length}`);
      for (const op of named) {
        const response = await get(fillPath(op.path, world.ids).url);
        assert.equal(response.statusCode, 404, `${op.path}: ${response.body.slice(0, 200)}`);
      }
    });

    test('lists, exports and groupings hold B only; ?campaign_id=A is 404', async () => {
      const lists = scopedReads().filter((op) => !hasOwnedParams(op.path));
      assert.ok(lists.length >= 8, `lists: ${lists.length}`);
      for (const op of lists) {
        const urls = op.path.includes('{dimension}')
          ? ANALYTICS_DIMENSIONS.map((dimension) => op.path.replace('{dimension}', dimension))
          : [op.path];
        for (const url of urls) {
          const variants = [url, ...(op.queryParams.includes('format') ? [`${url}?format=csv`] : [])];
          for (const variant of variants) {
            const response = await get(variant);
            assert.equal(response.statusCode, 200, `${variant}: ${response.body.slice(0, 200)}`);
            assert.deepEqual(leaks(response.body), [], `${variant} shows campaign A`);
          }
          // Every grouping sums to B's clicks, never A's as well.
          if (url.startsWith('/api/v2/analytics/')) {
            const rows = (await get(url)).json().data as Array<{ clicks: number }>;
            const sum = rows.reduce((total, row) => total + row.clicks, 0);
            if (!url.endsWith('/event')) assert.equal(sum, B_CLICKS, `${url}: ${JSON.stringify(rows)}`);
          }
          if (op.queryParams.includes('campaign_id')) {
            const foreign = await get(`${url}?campaign_id=${campaignA.id}`);
            assert.equal(foreign.statusCode, 404, `${url}?campaign_id=A: ${foreign.body.slice(0, 200)}`);
            const own = await get(`${url}?campaign_id=${campaignB}`);
            assert.equal(own.statusCode, 200, `${url}?campaign_id=B: ${own.body.slice(0, 200)}`);
          }
        }
      }
      const stats = (await get('/api/v1/stats')).json().data;
      assert.equal(stats.clicks, B_CLICKS, JSON.stringify(stats));
      const ownerStats = (await get('/api/v1/stats', world.owner.token)).json().data;
      assert.equal(ownerStats.clicks, B_CLICKS + 1, 'the owner sees both campaigns');
      const clicks = (await get('/api/v1/clicks')).json().data as Array<{ id: string }>;
      assert.deepEqual(clicks.map((c) => c.id).sort(), [...bClickIds].sort());
      const campaigns = (await get('/api/v1/campaigns')).json().data as Array<{ id: number }>;
      assert.deepEqual(
        campaigns.map((c) => c.id),
        [campaignB],
      );
    });

    test('a limited manager writes B only: A, a new campaign and shared settings are out of reach', async () => {
      const before = await world.ownerDigest();
      const put = await world.request({
        method: 'PUT',
        url: `/api/v1/campaigns/${campaignA.id}`,
        token: manager,
        payload: { name: 'Taken over' },
      });
      assert.equal(put.statusCode, 404);
      const report = await world.request({
        method: 'POST',
        url: '/api/v2/fraud/report',
        token: manager,
        payload: { campaign_id: Number(campaignA.id), platform: 'google' },
      });
      assert.equal(report.statusCode, 404);
      const conversion = await world.request({
        method: 'POST',
        url: '/api/v1/conversions',
        token: manager,
        payload: { click_id: world.ids['clicks/clickid'], payout: 5 },
      });
      assert.equal(conversion.statusCode, 404, conversion.body);
      const created = await world.request({
        method: 'POST',
        url: '/api/v1/campaigns',
        token: manager,
        payload: { name: 'New', destination_url: 'https://n.example/' },
      });
      assert.equal(created.statusCode, 403);
      assert.equal(await world.ownerDigest(), before, 'nothing of A changed');
      const own = await world.request({
        method: 'PUT',
        url: `/api/v1/campaigns/${campaignB}`,
        token: manager,
        payload: { name: 'Client B, renamed' },
      });
      assert.equal(own.statusCode, 200, own.body);
    });
  });
}
