import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compileFlow, matchRule, routeVisit, visitSeed, type FlowVisit } from './flow-router.ts';
import type { Flow } from './flow.ts';

const offers = new Map(
  [1, 2, 3, 4, 5].map((id) => [id, { id, url: `https://offer${id}.example/?c={clickid}` }] as const),
);
const landers = new Map([[9, { id: 9, url: 'https://lander.example/?c={clickid}' }]]);
const visit = (fields: Partial<FlowVisit> = {}): FlowVisit => ({
  country: 'US',
  device: 'desktop',
  os: 'windows',
  browser: 'chrome',
  language: 'en',
  connection: null,
  query: {},
  weekday: 0,
  hour: 12,
  ...fields,
});
const direct = (offerId: number, weight = 1) => ({ weight, offers: [{ offer_id: offerId, weight: 1 }] });

describe('flow router', () => {
  test('the first matching rule wins; every condition it names must hold; none matches → default', () => {
    const flow = compileFlow(
      {
        rules: [
          { name: 'de-mobile', when: { country: ['DE'], device: ['mobile'] }, paths: [direct(1)] },
          { name: 'de', when: { country: ['DE'] }, paths: [direct(2)] },
          { name: 'lang', when: { language: ['fr'], os: ['Android'], browser: ['Chrome'] }, paths: [direct(3)] },
          {
            name: 'utm',
            when: { params: { utm_source: ['push'] }, hour: [8, 9], weekday: ['sat'] },
            paths: [direct(4)],
          },
          { name: 'carrier', when: { connection: 'mobile' }, paths: [direct(5)] },
        ],
        paths: [direct(5)],
      },
      offers,
      landers,
    );
    assert.equal(flow.needsConnection, true);
    const rule = (fields: Partial<FlowVisit>) => matchRule(flow, visit(fields)).name;
    assert.equal(rule({ country: 'DE', device: 'mobile' }), 'de-mobile');
    assert.equal(rule({ country: 'DE' }), 'de');
    assert.equal(rule({ language: 'fr', os: 'android', browser: 'chrome' }), 'lang');
    assert.equal(rule({ language: 'fr', os: 'ios', browser: 'chrome' }), 'default');
    assert.equal(rule({ query: { utm_source: 'push' }, hour: 9, weekday: 5 }), 'utm');
    assert.equal(rule({ query: { utm_source: 'push' }, hour: 10, weekday: 5 }), 'default');
    assert.equal(rule({ query: { utm_source: 'push' }, hour: 9, weekday: 4 }), 'default');
    assert.equal(rule({ connection: 'mobile' }), 'carrier');
    assert.equal(rule({ country: null }), 'default');
    // A parameter named like Object.prototype's keys is not read off the prototype.
    assert.equal(rule({ query: JSON.parse('{"__proto__": "push"}') as Record<string, string> }), 'default');
  });

  test('10,000 visitors split 70/30 over paths and 50/30/20 over offers, each within ±2 %', () => {
    const flow = compileFlow(
      {
        rules: [],
        paths: [
          {
            weight: 70,
            lander_id: 9,
            offers: [
              { offer_id: 1, weight: 5 },
              { offer_id: 2, weight: 3 },
              { offer_id: 3, weight: 2 },
            ],
          },
          direct(4, 30),
        ],
      },
      offers,
      landers,
    );
    const counts = new Map<number, number>();
    const paths = [0, 0];
    const N = 10_000;
    for (let i = 0; i < N; i++) {
      const route = routeVisit(flow, visit(), visitSeed(`visitor-${i}-${(i * 7919) % 104729}`, 42))!;
      paths[route.path - 1]! += 1;
      counts.set(route.offer.id, (counts.get(route.offer.id) ?? 0) + 1);
      if (route.path === 1) assert.equal(route.lander?.id, 9);
      else assert.equal(route.lander, null);
    }
    // σ of a 70 % share over 10,000 draws is 0.46 %: ±2 % is more than 4σ.
    assert.ok(Math.abs(paths[0]! / N - 0.7) < 0.02, `path 1: ${paths[0]! / N}`);
    const inLander = paths[0]!;
    for (const [offer, share] of [
      [1, 0.5],
      [2, 0.3],
      [3, 0.2],
    ] as const)
      assert.ok(Math.abs((counts.get(offer) ?? 0) / inLander - share) < 0.02, `offer ${offer}`);
  });

  test('a visitor keeps their path and offer on a campaign; another campaign draws afresh', () => {
    const flow = compileFlow({ rules: [], paths: [direct(1), direct(2), direct(3), direct(4)] }, offers, landers);
    let differs = 0;
    for (let i = 0; i < 200; i++) {
      const key = `k${i}`;
      const first = routeVisit(flow, visit(), visitSeed(key, 1))!;
      assert.deepEqual(routeVisit(flow, visit({ hour: 3 }), visitSeed(key, 1)), first);
      if (routeVisit(flow, visit(), visitSeed(key, 2))!.offer.id !== first.offer.id) differs++;
    }
    assert.ok(differs > 100, `another campaign's draw is independent (${differs} of 200 differ)`);
  });

  test('an offer or lander gone from under a flow drops what needed it; nothing left → no route', () => {
    const flow: Flow = {
      rules: [{ name: 'r', when: {}, paths: [{ weight: 1, lander_id: 8, offers: [{ offer_id: 1, weight: 1 }] }] }],
      paths: [direct(99)],
    };
    const compiled = compileFlow(flow, offers, landers);
    assert.equal(compiled.rules.length, 0);
    assert.equal(routeVisit(compiled, visit(), 1), null);
  });

  test('auto rotation uses the shares it is given; weights rotation ignores them', () => {
    const flow = (rotation: 'auto' | 'weights') =>
      compileFlow({ rules: [], paths: [direct(1), direct(2)], rotation }, offers, landers);
    const allSecond = () => Float64Array.from([0, 1]);
    assert.equal(routeVisit(flow('auto'), visit(), 0, allSecond)!.offer.id, 2);
    assert.equal(routeVisit(flow('weights'), visit(), 0, allSecond)!.offer.id, 1);
  });
});
