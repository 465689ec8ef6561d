import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialectOverHttp, type HttpTestApp } from '../helpers/http-app.ts';
import { TEMPLATE_IDS } from '../../src/modules/traffic-sources/templates.ts';
import { STORED_LIMITS } from '../../src/modules/clicks/click-row.ts';

async function createSource(t: HttpTestApp, token: string, payload: Record<string, unknown>) {
  const response = await t.request({ method: 'POST', url: '/api/v1/traffic-sources', token, payload });
  assert.equal(response.statusCode, 201, response.body);
  return response.json().data;
}

/** One real HTTP click; the tracker commits before it redirects, so the click is readable at once. */
async function click(t: HttpTestApp, uuid: string, query: Record<string, string>, ip: string): Promise<string> {
  const response = await t.visit(`/c/${uuid}?${new URLSearchParams(query).toString()}`, { 'x-forwarded-for': ip });
  assert.equal(response.status, 302);
  return new URL(response.headers.get('location')!).searchParams.get('cid')!;
}

async function clickDetail(t: HttpTestApp, token: string, id: string) {
  const response = await t.request({ method: 'GET', url: `/api/v1/clicks/${id}`, token });
  assert.equal(response.statusCode, 200, response.body);
  return response.json().data;
}

forEachDialectOverHttp('traffic sources close the loop', (ctx) => {
  test('a template fills the source, explicit fields win, and the defaults hold', async () => {
    const t = ctx();
    const { token } = await t.signUp();
    const source = await createSource(t, token, { name: 'Propeller push', template: 'propellerads' });
    assert.equal(source.template, 'propellerads');
    assert.equal(source.platform, 'other');
    assert.equal(source.click_id_param, 'visitor_id');
    assert.equal(source.cost_param, 'cost');
    assert.equal(source.placement_param, 'zone');
    assert.match(source.postback_url, /^http:\/\/ad\.propellerads\.com\/conversion\.php\?.*visitor_id=\{external_id\}/);
    assert.deepEqual(source.postback_statuses, ['approved']);
    assert.equal(source.postback_fraudulent, false);

    const custom = await createSource(t, token, {
      name: 'Propeller, own zone parameter',
      template: 'propellerads',
      placement_param: 'zone_id',
      postback_url: null,
      postback_statuses: ['approved', 'pending'],
      postback_fraudulent: true,
    });
    assert.equal(custom.placement_param, 'zone_id');
    assert.equal(custom.click_id_param, 'visitor_id');
    assert.equal(custom.postback_url, null);
    assert.deepEqual(custom.postback_statuses, ['approved', 'pending']);
    assert.equal(custom.postback_fraudulent, true);

    const plain = await createSource(t, token, { name: 'Plain', platform: 'google' });
    assert.equal(plain.template, null);
    assert.equal(plain.cost_param, null);
    assert.deepEqual(plain.postback_statuses, ['approved']);

    const updated = await t.request({
      method: 'PUT',
      url: `/api/v1/traffic-sources/${source.id}`,
      token,
      payload: { postback_statuses: ['pending'], postback_fraudulent: true, cost_param: null },
    });
    assert.equal(updated.statusCode, 200, updated.body);
    assert.deepEqual(updated.json().data.postback_statuses, ['pending']);
    assert.equal(updated.json().data.postback_fraudulent, true);
    assert.equal(updated.json().data.cost_param, null);
    assert.equal(updated.json().data.template, 'propellerads');
  });

  test('the catalogue lists at least 15 networks, each complete, and drives the template field', async () => {
    const t = ctx();
    const { token } = await t.signUp();
    const response = await t.request({ method: 'GET', url: '/api/v1/traffic-source-templates', token });
    assert.equal(response.statusCode, 200, response.body);
    const templates: Array<Record<string, string | null>> = response.json().data;
    assert.ok(templates.length >= 15);
    assert.deepEqual(
      templates.map((entry) => entry.id),
      [...TEMPLATE_IDS],
    );
    for (const entry of templates) {
      assert.ok(['search', 'social', 'native', 'push', 'pop'].includes(entry.kind!), entry.id!);
      assert.ok(entry.name && entry.click_id_param, entry.id!);
      // A parameter without a token (or the reverse) would put half a pair in the tracking URL.
      assert.equal(entry.cost_param === null, entry.cost_token === null, entry.id!);
      assert.equal(entry.placement_param === null, entry.placement_token === null, entry.id!);
      if (entry.postback_url) {
        const created = await t.request({
          method: 'POST',
          url: '/api/v1/traffic-sources',
          token,
          payload: { name: entry.name, template: entry.id },
        });
        assert.equal(created.statusCode, 201, `${entry.id}: ${created.body}`);
      }
    }
    const names = templates.map((entry) => entry.name);
    for (const network of ['Google Ads', 'TikTok Ads', 'Taboola', 'MGID', 'PropellerAds', 'Zeropark', 'Adsterra']) {
      assert.ok(names.includes(network), network);
    }
    assert.equal((await t.request({ method: 'GET', url: '/api/v1/traffic-source-templates' })).statusCode, 401);
  });

  test("a campaign shows the URL to paste into its source's network, null without a source", async () => {
    const t = ctx();
    const { token } = await t.signUp();
    const propeller = await createSource(t, token, { name: 'Propeller', template: 'propellerads' });
    const google = await createSource(t, token, { name: 'Google', template: 'google-ads' });
    const own = await createSource(t, token, { name: 'Own', platform: 'other', placement_param: 'site' });
    const withSource = await t.createCampaign({ traffic_source_id: propeller.id }, token);
    const campaign = (await t.request({ method: 'GET', url: `/api/v1/campaigns/${withSource.id}`, token })).json().data;
    assert.equal(
      campaign.tracking_url_for_source,
      `http://track.test/c/${withSource.uuid}?visitor_id=\${SUBID}&cost={cost}&zone={zoneid}`,
    );
    // Google appends gclid itself: only the placement macro is written in.
    const googleCampaign = await t.createCampaign({ traffic_source_id: google.id }, token);
    const listed = (await t.request({ method: 'GET', url: `/api/v1/campaigns?per_page=100`, token })).json().data;
    const byId = new Map(listed.map((c: { id: number }) => [c.id, c]));
    assert.equal(
      (byId.get(googleCampaign.id) as { tracking_url_for_source: string }).tracking_url_for_source,
      `http://track.test/c/${googleCampaign.uuid}?placement={placement}`,
    );
    const ownCampaign = await t.createCampaign({ traffic_source_id: own.id }, token);
    assert.equal(
      (await t.request({ method: 'GET', url: `/api/v1/campaigns/${ownCampaign.id}`, token })).json().data
        .tracking_url_for_source,
      `http://track.test/c/${ownCampaign.uuid}?clickid={clickid}&site={site}`,
    );
    const bare = await t.createCampaign({}, token);
    assert.equal(
      (await t.request({ method: 'GET', url: `/api/v1/campaigns/${bare.id}`, token })).json().data
        .tracking_url_for_source,
      null,
    );
    // Detached from its source, the campaign has no source URL any more.
    const detached = await t.request({
      method: 'PUT',
      url: `/api/v1/campaigns/${withSource.id}`,
      token,
      payload: { traffic_source_id: null },
    });
    assert.equal(detached.json().data.tracking_url_for_source, null);
  });

  test("clicks store the source's click id and placement, bounded, and follow an edited source", async () => {
    const t = ctx();
    const { token } = await t.signUp();
    const source = await createSource(t, token, { name: 'Propeller', template: 'propellerads' });
    const campaign = await t.createCampaign({ traffic_source_id: source.id }, token);
    const bare = await t.createCampaign({}, token);

    const first = await click(t, campaign.uuid, { visitor_id: 'pa-123', zone: '8812', cost: '0.004' }, '84.128.1.10');
    const detail = await clickDetail(t, token, first);
    assert.equal(detail.external_id, 'pa-123');
    assert.equal(detail.placement, '8812');
    const list = await t.request({ method: 'GET', url: `/api/v1/clicks?campaign_id=${campaign.id}`, token });
    assert.equal(list.json().data[0].external_id, 'pa-123');
    assert.equal(list.json().data[0].placement, '8812');

    // Another campaign's click keeps none of them: the parameters mean something only for a source.
    const unrelated = await clickDetail(
      t,
      token,
      await click(t, bare.uuid, { visitor_id: 'x', zone: '1' }, '84.128.1.11'),
    );
    assert.equal(unrelated.external_id, null);
    assert.equal(unrelated.placement, null);

    const long = await clickDetail(
      t,
      token,
      await click(t, campaign.uuid, { visitor_id: 'v'.repeat(1000) }, '84.128.1.12'),
    );
    assert.equal(long.external_id, 'v'.repeat(STORED_LIMITS.valueChars));
    assert.equal(long.placement, null);

    // The cached campaign follows its source's edit at the next click, with no restart.
    const edited = await t.request({
      method: 'PUT',
      url: `/api/v1/traffic-sources/${source.id}`,
      token,
      payload: { click_id_param: 'subid', placement_param: 'site' },
    });
    assert.equal(edited.statusCode, 200, edited.body);
    const after = await clickDetail(
      t,
      token,
      await click(t, campaign.uuid, { visitor_id: 'old', subid: 'new-1', site: 's-9' }, '84.128.1.13'),
    );
    assert.equal(after.external_id, 'new-1');
    assert.equal(after.placement, 's-9');

    // A deleted source leaves its campaigns without one: their clicks keep no source parameters.
    assert.equal(
      (await t.request({ method: 'DELETE', url: `/api/v1/traffic-sources/${source.id}`, token })).statusCode,
      200,
    );
    const orphan = await clickDetail(t, token, await click(t, campaign.uuid, { subid: 'gone' }, '84.128.1.14'));
    assert.equal(orphan.external_id, null);
  });

  test('bad input names the field; another tenant cannot use or see a source', async () => {
    const t = ctx();
    const { token } = await t.signUp();
    const cases: Array<{ payload: Record<string, unknown>; field: string }> = [
      { payload: { name: 'x', template: 'myspace-ads' }, field: 'template' },
      { payload: { name: 'x' }, field: 'platform' },
      { payload: { name: 'x', platform: 'other', postback_url: 'ftp://network.example/pb' }, field: 'postback_url' },
      { payload: { name: 'x', platform: 'other', postback_url: 'not a url' }, field: 'postback_url' },
      {
        payload: { name: 'x', platform: 'other', postback_url: 'https://network.example/pb?id={clickid}' },
        field: 'postback_url',
      },
      { payload: { name: 'x', platform: 'other', postback_statuses: ['paid'] }, field: 'postback_statuses' },
      { payload: { name: 'x', platform: 'other', postback_statuses: [] }, field: 'postback_statuses' },
      { payload: { name: 'x', platform: 'other', postback_fraudulent: 'yes' }, field: 'postback_fraudulent' },
      { payload: { name: 'x', platform: 'other', cost_param: 'has space' }, field: 'cost_param' },
      { payload: { name: 'x', platform: 'other', placement_param: '' }, field: 'placement_param' },
    ];
    for (const { payload, field } of cases) {
      const response = await t.request({ method: 'POST', url: '/api/v1/traffic-sources', token, payload });
      assert.equal(response.statusCode, 400, JSON.stringify(payload));
      assert.equal(response.json().error.code, 'VALIDATION_ERROR');
      // An item of a list is named by its path (postback_statuses.0).
      const named = Object.keys(response.json().error.details).some(
        (key) => key === field || key.startsWith(`${field}.`),
      );
      assert.ok(named, `${field} in ${response.body}`);
    }
    const source = await createSource(t, token, {
      name: 'Taboola',
      template: 'taboola',
      postback_url: 'https://trc.taboola.com/pb?click-id={external_id}&revenue={payout}&c={sub10}',
    });
    const templateOnUpdate = await t.request({
      method: 'PUT',
      url: `/api/v1/traffic-sources/${source.id}`,
      token,
      payload: { template: 'mgid' },
    });
    assert.equal(templateOnUpdate.statusCode, 400);
    assert.ok(templateOnUpdate.json().error.details.template, templateOnUpdate.body);
    const badUpdate = await t.request({
      method: 'PUT',
      url: `/api/v1/traffic-sources/${source.id}`,
      token,
      payload: { postback_url: 'javascript:alert(1)' },
    });
    assert.equal(badUpdate.statusCode, 400);
    assert.ok(badUpdate.json().error.details.postback_url, badUpdate.body);

    const other = await t.signUp();
    const foreign = await t.request({
      method: 'POST',
      url: '/api/v1/campaigns',
      token: other.token,
      payload: { name: 'Borrowed source', traffic_source_id: source.id },
    });
    assert.equal(foreign.statusCode, 400);
    assert.ok(foreign.json().error.details.traffic_source_id, foreign.body);
    const peek = await t.request({ method: 'GET', url: `/api/v1/traffic-sources/${source.id}`, token: other.token });
    assert.equal(peek.statusCode, 404);
    const edit = await t.request({
      method: 'PUT',
      url: `/api/v1/traffic-sources/${source.id}`,
      token: other.token,
      payload: { postback_url: 'https://attacker.example/pb?c={external_id}' },
    });
    assert.equal(edit.statusCode, 404);
    const still = await t.request({ method: 'GET', url: `/api/v1/traffic-sources/${source.id}`, token });
    assert.match(still.json().data.postback_url, /^https:\/\/trc\.taboola\.com/);
  });
});
