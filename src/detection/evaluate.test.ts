import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluate } from './evaluate.ts';
import { DEFAULT_DETECTION_SETTINGS, resolveDetectionSettings } from './settings.ts';
import { NOW, makeInput, type InputOverrides } from './test-input.ts';

const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';

describe('evaluate', () => {
  const cases: [
    string,
    InputOverrides,
    { status: string; fraudTypes: string[]; verified: boolean; cloaked: boolean; score: number },
  ][] = [
    ['a human', {}, { status: 'real', fraudTypes: [], verified: false, cloaked: false, score: 0 }],
    [
      'curl',
      { visitor: { userAgent: 'curl/8.4.0' } },
      { status: 'bot', fraudTypes: ['bot'], verified: false, cloaked: false, score: 90 },
    ],
    [
      'a human clicking twice',
      { history: { sameVisitorRecentClicks: 1 } },
      { status: 'real', fraudTypes: ['duplicate'], verified: false, cloaked: false, score: 40 },
    ],
    [
      'curl clicking twice',
      { visitor: { userAgent: 'curl/8.4.0' }, history: { sameVisitorRecentClicks: 3 } },
      { status: 'bot', fraudTypes: ['bot', 'duplicate'], verified: false, cloaked: false, score: 94 },
    ],
    [
      'a human outside the allowed countries',
      { ip: { country: 'FR' }, targeting: { allowedCountries: ['US'] } },
      { status: 'cloaked', fraudTypes: [], verified: false, cloaked: true, score: 0 },
    ],
    [
      'a human on a blocked IPv6 range',
      { visitor: { ip: '2001:db8::42' }, targeting: { ipBlocklist: ['2001:db8::/48'] } },
      { status: 'cloaked', fraudTypes: [], verified: false, cloaked: true, score: 0 },
    ],
    [
      'verified Googlebot',
      { visitor: { userAgent: GOOGLEBOT }, ip: { asn: 15169, asOrg: 'Google LLC' } },
      { status: 'bot', fraudTypes: [], verified: true, cloaked: false, score: 0 },
    ],
    [
      'verified Googlebot repeating, outside targeting',
      {
        visitor: { userAgent: GOOGLEBOT },
        ip: { asn: 15169, asOrg: 'Google LLC', country: 'US' },
        history: { sameVisitorRecentClicks: 20 },
        targeting: { blockedCountries: ['US'] },
      },
      { status: 'bot', fraudTypes: [], verified: true, cloaked: false, score: 0 },
    ],
    [
      'fake Googlebot',
      { visitor: { userAgent: GOOGLEBOT }, ip: { asn: 16509, asOrg: 'Amazon.com, Inc.' } },
      { status: 'bot', fraudTypes: ['bot', 'datacenter'], verified: false, cloaked: false, score: 99 },
    ],
  ];
  for (const [name, overrides, expected] of cases) {
    it(name, () => {
      const verdict = evaluate(makeInput(overrides), NOW);
      assert.deepEqual(
        {
          status: verdict.status,
          fraudTypes: verdict.fraudTypes,
          verified: verdict.isVerifiedBot,
          cloaked: verdict.cloaked,
          score: verdict.fraudScore,
        },
        expected,
      );
    });
  }

  it('explains a verified crawler and only that', () => {
    const verdict = evaluate(
      makeInput({ visitor: { userAgent: GOOGLEBOT }, ip: { asn: 15169, asOrg: 'Google LLC' } }),
      NOW,
    );
    assert.deepEqual(verdict.reasons, [
      { type: 'verified_bot', message: 'Googlebot from AS15169 Google LLC is a verified search crawler' },
    ]);
    assert.equal(verdict.isBot, true);
  });

  it('explains a fake crawler with the network it came from, once, then its hosting network', () => {
    const verdict = evaluate(
      makeInput({ visitor: { userAgent: GOOGLEBOT }, ip: { asn: 16509, asOrg: 'Amazon.com, Inc.' } }),
      NOW,
    );
    assert.deepEqual(verdict.reasons, [
      {
        type: 'bot',
        message:
          'User agent claims to be Googlebot (Google) but comes from AS16509 Amazon.com, Inc., not a Google network',
      },
      { type: 'datacenter', message: 'AS16509 Amazon.com, Inc. is a hosting network' },
    ]);
    assert.equal(verdict.primaryFraudType, 'bot');
  });

  it('uses the given settings', () => {
    const verdict = evaluate(
      makeInput({ history: { sameVisitorRecentClicks: 1 } }),
      NOW,
      resolveDetectionSettings({ duplicateWindowMs: 3_600_000 }),
    );
    assert.deepEqual(verdict.reasons, [
      { type: 'duplicate', message: 'Same IP and user agent clicked this campaign 2 times in the last 1 h' },
    ]);
  });

  it('is pure: the same input twice gives deep-equal verdicts, whatever the time of day', () => {
    const input = makeInput({
      visitor: { userAgent: 'curl/8.4.0', ip: '10.1.2.3' },
      history: { sameVisitorRecentClicks: 2 },
      targeting: { allowedCountries: ['DE'], ipBlocklist: ['10.0.0.0/8'] },
    });
    const frozen = structuredClone(input);
    const first = evaluate(input, NOW, DEFAULT_DETECTION_SETTINGS);
    const second = evaluate(input, NOW, DEFAULT_DETECTION_SETTINGS);
    assert.deepEqual(first, second);
    assert.notEqual(first, second);
    assert.deepEqual(input, frozen, 'evaluate must not change its input');
    assert.deepEqual(evaluate(input, NOW + 3_600_000), first);
  });
});
