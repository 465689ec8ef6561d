import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialectOverHttp, type HttpTestApp } from '../helpers/http-app.ts';

const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
/** A US address (Google's) for a visitor outside DE; detection may flag it, the campaign only monitors. */
const US_IP = '66.249.66.1';

async function create(t: HttpTestApp, token: string, url: string, payload: Record<string, unknown>) {
  const response = await t.request({ method: 'POST', url, token, payload });
  assert.equal(response.statusCode, 201, response.body);
  return response.json().data as { id: number } & Record<string, unknown>;
}

async function clickDetail(t: HttpTestApp, token: string, id: string) {
  const response = await t.request({ method: 'GET', url: `/api/v1/clicks/${id}`, token });
  assert.equal(response.statusCode, 200, response.body);
  return response.json().data;
}

/** A DE address per index, spread over many /24s so no farm or burst rule sees one visitor twice. */
const germanIp = (i: number) => `84.${128 + (i % 60)}.${Math.floor(i / 60) + 1}.${(i % 200) + 2}`;

async function visit(t: HttpTestApp, uuid: string, ip: string, headers: Record<string, string> = {}) {
  const response = await t.visit(`/c/${uuid}?sub1=s`, { 'x-forwarded-for': ip, ...headers });
  assert.equal(response.status, 302, await response.text());
  return new URL(response.headers.get('location')!);
}

/** The scenario: DE → lander A with offers X/Y at 70/30; mobile → offer Z; default → offer D. */
async function scenario(t: HttpTestApp) {
  const { token } = await t.signUp();
  const offer = (name: string, payout: number) =>
    create(t, token, '/api/v1/offers', {
      name,
      url: `https://${name.toLowerCase()}.example/go?cid={clickid}&c={country}&s={sub1}`,
      payout,
      affiliate_network: 'Net',
    });
  const [x, y, z, d] = [await offer('X', 5), await offer('Y', 7), await offer('Z', 3), await offer('D', 1)];
  const lander = await create(t, token, '/api/v1/landers', {
    name: 'A',
    url: 'https://lander.example/a?cid={clickid}',
    offers_count: 2,
  });
  const flow = {
    rules: [
      {
        name: 'DE',
        when: { country: ['de'] },
        paths: [
          {
            weight: 1,
            lander_id: lander.id,
            offers: [
              { offer_id: x.id, weight: 70 },
              { offer_id: y.id, weight: 30 },
            ],
          },
        ],
      },
      { name: 'mobile', when: { device: ['mobile'] }, paths: [{ weight: 1, offers: [{ offer_id: z.id, weight: 1 }] }] },
    ],
    paths: [{ weight: 1, offers: [{ offer_id: d.id, weight: 1 }] }],
  };
  const campaign = await create(t, token, '/api/v1/campaigns', { name: 'Flow', flow });
  return { token, x, y, z, d, lander, campaign: campaign as { id: number; uuid: string; flow: unknown } };
}

forEachDialectOverHttp(
  'flows',
  (ctx) => {
    test('offers and landers: CRUD, validation, and another tenant sees none of them', async () => {
      const t = ctx();
      const { token } = await t.signUp();
      const other = (await t.signUp()).token;
      const offer = await create(t, token, '/api/v1/offers', { name: 'O', url: 'https://o.example/?c={clickid}' });
      assert.equal(offer.payout, 0);
      assert.equal(offer.status, 'active');
      const lander = await create(t, token, '/api/v1/landers', { name: 'L', url: 'https://l.example/?c={clickid}' });
      assert.equal(lander.offers_count, 1);

      const list = await t.request({ method: 'GET', url: '/api/v1/offers?per_page=1', token });
      assert.equal(list.json().meta.total, 1);
      const updated = await t.request({
        method: 'PUT',
        url: `/api/v1/offers/${offer.id}`,
        token,
        payload: { payout: 12.5, status: 'paused' },
      });
      assert.equal(updated.json().data.payout, 12.5);
      assert.equal(updated.json().data.status, 'paused');

      for (const [url, payload, field] of [
        ['/api/v1/offers', { name: 'x', url: 'ftp://nope' }, 'url'],
        ['/api/v1/offers', { name: 'x', url: 'https://{sub1}.evil/' }, 'url'],
        ['/api/v1/offers', { name: 'x', url: 'https://ok.example/', payout: -1 }, 'payout'],
        ['/api/v1/landers', { name: 'x', url: 'https://ok.example/', offers_count: 0 }, 'offers_count'],
        ['/api/v1/landers', { name: 'x', url: 'https://ok.example/', colour: 'red' }, 'colour'],
      ] as const) {
        const response = await t.request({ method: 'POST', url, token, payload });
        assert.equal(response.statusCode, 400, `${url} ${JSON.stringify(payload)}`);
        assert.equal(response.json().error.code, 'VALIDATION_ERROR');
        assert.ok(response.json().error.details[field], response.body);
      }

      for (const [kind, id] of [
        ['offers', offer.id],
        ['landers', lander.id],
      ] as const) {
        for (const method of ['GET', 'PUT', 'DELETE'] as const) {
          const response = await t.request({
            method,
            url: `/api/v1/${kind}/${id}`,
            token: other,
            ...(method === 'PUT' ? { payload: { name: 'stolen' } } : {}),
          });
          assert.equal(response.statusCode, 404, `${method} ${kind} of another tenant`);
        }
        const theirs = await t.request({ method: 'GET', url: `/api/v1/${kind}`, token: other });
        assert.equal(theirs.json().meta.total, 0);
      }
      const gone = await t.request({ method: 'DELETE', url: `/api/v1/landers/${lander.id}`, token });
      assert.equal(gone.statusCode, 200);
      assert.equal((await t.request({ method: 'GET', url: `/api/v1/landers/${lander.id}`, token })).statusCode, 404);
    });

    test("a flow is validated by place, references only the account's own offers, and nothing half-saves", async () => {
      const t = ctx();
      const s = await scenario(t);
      const other = (await t.signUp()).token;
      const foreign = await create(t, other, '/api/v1/offers', { name: 'F', url: 'https://f.example/' });
      const path = (offerId: number) => ({ weight: 1, offers: [{ offer_id: offerId, weight: 1 }] });
      const cases: Array<[unknown, string]> = [
        [{ rules: [], paths: [path(foreign.id)] }, 'flow.paths[0].offers[0].offer_id'],
        [
          {
            rules: [
              { name: 'a', when: {}, paths: [path(s.x.id)] },
              { name: 'b', when: {}, paths: [path(s.x.id)] },
              {
                name: 'c',
                when: {},
                paths: [path(s.x.id), { weight: 1, offers: [path(s.x.id).offers[0], { offer_id: 999999, weight: 1 }] }],
              },
            ],
            paths: [path(s.x.id)],
          },
          'flow.rules[2].paths[1].offers[1].offer_id',
        ],
        [{ rules: [], paths: [{ ...path(s.x.id), lander_id: 999999 }] }, 'flow.paths[0].lander_id'],
        [{ rules: [], paths: [{ weight: 0, offers: path(s.x.id).offers }] }, 'flow.paths[0].weight'],
        [
          { rules: [], paths: [{ weight: 1, offers: [{ offer_id: s.x.id, weight: -2 }] }] },
          'flow.paths[0].offers[0].weight',
        ],
        [
          { rules: [{ name: 'r', when: { colour: ['red'] }, paths: [path(s.x.id)] }], paths: [path(s.x.id)] },
          'flow.rules[0].when.colour',
        ],
        [
          { rules: [{ name: 'default', when: {}, paths: [path(s.x.id)] }], paths: [path(s.x.id)] },
          'flow.rules[0].name',
        ],
        [
          {
            rules: Array.from({ length: 101 }, (_, i) => ({ name: `r${i}`, when: {}, paths: [path(s.x.id)] })),
            paths: [path(s.x.id)],
          },
          'flow.rules',
        ],
      ];
      for (const [flow, place] of cases) {
        const response = await t.request({
          method: 'PUT',
          url: `/api/v1/campaigns/${s.campaign.id}`,
          token: s.token,
          payload: { name: 'Renamed', flow },
        });
        assert.equal(response.statusCode, 400, `${place}: ${response.body}`);
        assert.equal(response.json().error.code, 'VALIDATION_ERROR');
        assert.ok(response.json().error.details[place], `${place} named: ${response.body}`);
      }
      const kept = (
        await t.request({ method: 'GET', url: `/api/v1/campaigns/${s.campaign.id}`, token: s.token })
      ).json().data;
      assert.equal(kept.name, 'Flow', 'nothing half-saved');
      assert.deepEqual(kept.flow, s.campaign.flow);
      assert.deepEqual(kept.flow.rules[0].when.country, ['DE'], 'codes stored upper-case');

      // Another tenant's campaign cannot be given a flow, nor see this one.
      const theirs = await t.request({
        method: 'PUT',
        url: `/api/v1/campaigns/${s.campaign.id}`,
        token: other,
        payload: { flow: { rules: [], paths: [path(foreign.id)] } },
      });
      assert.equal(theirs.statusCode, 404);

      // An offer or lander a flow uses is not deleted: 409 with the campaigns.
      for (const url of [`/api/v1/offers/${s.x.id}`, `/api/v1/landers/${s.lander.id}`]) {
        const refused = await t.request({ method: 'DELETE', url, token: s.token });
        assert.equal(refused.statusCode, 409, refused.body);
        assert.equal(refused.json().error.code, 'CONFLICT');
        assert.deepEqual(refused.json().error.details.campaign_ids, [String(s.campaign.id)]);
      }
    });

    test('clicks land where the rules and weights say, stick to their visitor, and lander links lead on', async () => {
      const t = ctx();
      const s = await scenario(t);
      const uuid = s.campaign.uuid;

      // DE → the lander, with the click id; the click records rule, path, lander and a weighted offer.
      const ids: string[] = [];
      const TOTAL = 200;
      for (let i = 0; i < TOTAL; i++) {
        const location = await visit(t, uuid, germanIp(i));
        assert.equal(location.origin + location.pathname, 'https://lander.example/a');
        ids.push(location.searchParams.get('cid')!);
      }
      const first = await clickDetail(t, s.token, ids[0]!);
      assert.equal(first.rule, 'DE');
      assert.equal(first.path, 1);
      assert.equal(first.lander_id, s.lander.id);
      assert.ok([s.x.id, s.y.id].includes(first.offer_id));
      const analytics = async (dimension: string) => {
        const response = await t.request({
          method: 'GET',
          url: `/api/v2/analytics/${dimension}?campaign_id=${s.campaign.id}`,
          token: s.token,
        });
        assert.equal(response.statusCode, 200, response.body);
        return response.json().data as Array<Record<string, number | string | null>>;
      };
      const clicksOf = (rows: Array<Record<string, number | string | null>>, value: string) =>
        Number(rows.find((row) => row.value === value)?.clicks ?? 0);
      const split = await analytics('offer');
      // 70/30 over 200 visitors: σ ≈ 3.2 %, so ±12 % is beyond 3.5σ.
      const xShare = clicksOf(split, String(s.x.id)) / TOTAL;
      assert.ok(Math.abs(xShare - 0.7) < 0.12, `X took ${xShare}`);
      assert.equal(clicksOf(split, String(s.x.id)) + clicksOf(split, String(s.y.id)), TOTAL);

      // The same visitor again: the same lander and the same offer.
      const again = await visit(t, uuid, germanIp(0));
      const repeat = await clickDetail(t, s.token, again.searchParams.get('cid')!);
      assert.equal(repeat.offer_id, first.offer_id);
      assert.equal(repeat.lander_id, first.lander_id);

      // Mobile outside DE → offer Z directly, macros filled; desktop outside DE → the default.
      const mobile = await visit(t, uuid, US_IP, { 'user-agent': IPHONE });
      assert.equal(mobile.host, 'z.example');
      assert.equal(mobile.searchParams.get('c'), 'US');
      assert.equal(mobile.searchParams.get('s'), 's');
      const mobileClick = await clickDetail(t, s.token, mobile.searchParams.get('cid')!);
      assert.equal(mobileClick.rule, 'mobile');
      assert.equal(mobileClick.offer_id, s.z.id);
      assert.equal(mobileClick.lander_id, null);
      const desktop = await visit(t, uuid, '8.8.4.4');
      assert.equal(desktop.host, 'd.example');
      assert.equal((await clickDetail(t, s.token, desktop.searchParams.get('cid')!)).rule, 'default');

      // The lander's link: the chosen offer; its second link: the path's second offer (Y).
      const landed = ids[1]!;
      const chosen = (await clickDetail(t, s.token, landed)).offer_id;
      const link = await t.visit(`/lp/${landed}`);
      assert.equal(link.status, 302);
      const target = new URL(link.headers.get('location')!);
      assert.equal(target.host, chosen === s.x.id ? 'x.example' : 'y.example');
      assert.equal(target.searchParams.get('cid'), landed);
      assert.equal(target.searchParams.get('s'), 's');
      assert.ok((await clickDetail(t, s.token, landed)).lp_clicked_at);
      const second = await t.visit(`/lp/${ids[2]}/2`);
      assert.equal(new URL(second.headers.get('location')!).host, 'y.example');
      assert.equal((await clickDetail(t, s.token, ids[2]!)).offer_id, s.y.id);
      for (const bad of ['/lp/clk_nothingHereAtAll12345', '/lp/nope', `/lp/${ids[3]}/x`]) {
        const response = await t.visit(bad);
        assert.equal(response.status, 404, bad);
        assert.match(await response.text(), /does not exist/);
      }

      // A postback without payout takes the click's offer's (Y pays 7).
      const postback = await t.request({ method: 'GET', url: `/api/v1/postback?clickid=${ids[2]}` });
      assert.ok(postback.statusCode === 200 || postback.statusCode === 201, postback.body);
      assert.equal(postback.json().data.payout, 7);

      // Per-path, per-offer and lander figures from the rollups.
      const paths = await analytics('path');
      const dePath = paths.find((row) => row.value === 'DE #1')!;
      assert.equal(dePath.clicks, TOTAL + 1);
      assert.equal(dePath.lp_clicks, 2);
      assert.equal(dePath.conversions, 1);
      assert.equal(dePath.revenue, 7);
      assert.equal(dePath.lp_ctr, Math.round((2 / (TOTAL + 1)) * 10000) / 100);
      assert.equal(paths.find((row) => row.value === 'mobile #1')!.clicks, 1);
      assert.equal(paths.find((row) => row.value === 'default #1')!.clicks, 1);
      const byOffer = await analytics('offer');
      assert.equal(byOffer.find((row) => row.value === String(s.y.id))!.conversions, 1);
      assert.equal(byOffer.find((row) => row.value === String(s.z.id))!.clicks, 1);
      const rules = await analytics('rule');
      assert.deepEqual(
        rules.map((row) => row.value),
        ['DE', 'default', 'mobile'],
      );
      const stats = await t.request({ method: 'GET', url: `/api/v1/campaigns/${s.campaign.id}/stats`, token: s.token });
      assert.equal(stats.statusCode, 200, stats.body);
      assert.equal(stats.json().data.lp_clicks, 2);
    });

    test("an offer's change reaches the tracker at once; a paused offer gets no new traffic", async () => {
      const t = ctx();
      const s = await scenario(t);
      const uuid = s.campaign.uuid;
      assert.equal((await visit(t, uuid, '8.8.4.4')).host, 'd.example');
      const moved = await t.request({
        method: 'PUT',
        url: `/api/v1/offers/${s.d.id}`,
        token: s.token,
        payload: { url: 'https://d2.example/?cid={clickid}' },
      });
      assert.equal(moved.statusCode, 200, moved.body);
      assert.equal((await visit(t, uuid, '8.8.4.5')).host, 'd2.example');

      assert.equal((await visit(t, uuid, US_IP, { 'user-agent': IPHONE })).host, 'z.example');
      const paused = await t.request({
        method: 'PUT',
        url: `/api/v1/offers/${s.z.id}`,
        token: s.token,
        payload: { status: 'paused' },
      });
      assert.equal(paused.statusCode, 200, paused.body);
      // The mobile rule's one path has no active offer left: mobile visitors fall through to the default.
      assert.equal((await visit(t, uuid, '66.249.66.9', { 'user-agent': IPHONE })).host, 'd2.example');
    });

    test('rules never see the verdict: a verified crawler follows the path a human like it takes', async () => {
      const t = ctx();
      const { token } = await t.signUp();
      const us = await create(t, token, '/api/v1/offers', { name: 'US', url: 'https://us.example/?c={clickid}' });
      const rest = await create(t, token, '/api/v1/offers', { name: 'Rest', url: 'https://rest.example/?c={clickid}' });
      const campaign = await create(t, token, '/api/v1/campaigns', {
        name: 'Boundary',
        flow: {
          rules: [
            {
              name: 'US',
              when: { country: ['US'], language: ['en'] },
              paths: [{ weight: 1, offers: [{ offer_id: us.id, weight: 1 }] }],
            },
          ],
          paths: [{ weight: 1, offers: [{ offer_id: rest.id, weight: 1 }] }],
        },
      });
      const uuid = campaign.uuid as string;
      const crawler = await t.visit(`/c/${uuid}`, {
        'user-agent': 'AdsBot-Google (+http://www.google.com/adsbot.html)',
        'x-forwarded-for': '66.249.66.1',
      });
      assert.equal(crawler.status, 302);
      const crawlerTarget = new URL(crawler.headers.get('location')!);
      const crawlerClick = await clickDetail(t, token, crawlerTarget.searchParams.get('c')!);
      assert.equal(crawlerClick.is_verified_bot, true);
      const human = await t.visit(`/c/${uuid}`, { 'x-forwarded-for': '66.249.66.2' });
      assert.equal(human.status, 302);
      const humanTarget = new URL(human.headers.get('location')!);
      assert.equal(humanTarget.host, 'us.example');
      assert.equal(crawlerTarget.host, humanTarget.host);
      assert.equal(crawlerClick.rule, (await clickDetail(t, token, humanTarget.searchParams.get('c')!)).rule);
    });
  },
  { TRUST_PROXY: '127.0.0.1' },
);
