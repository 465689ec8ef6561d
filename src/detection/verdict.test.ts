import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FraudType, Signal, SignalType } from './types.ts';
import { applyLateFinding, applyVerification, buildVerdict, combineScores, type StoredVerdict } from './verdict.ts';

const signal = (type: SignalType, score = 50): Signal => ({ type, message: `${type} reason`, score });

describe('buildVerdict status precedence', () => {
  const cases: [
    string,
    Signal[],
    { status: string; isBot: boolean; isVpn: boolean; cloaked: boolean; fraudTypes: string[]; primary: string | null },
  ][] = [
    [
      'nothing → real',
      [],
      { status: 'real', isBot: false, isVpn: false, cloaked: false, fraudTypes: [], primary: null },
    ],
    [
      'duplicate keeps real',
      [signal('duplicate')],
      { status: 'real', isBot: false, isVpn: false, cloaked: false, fraudTypes: ['duplicate'], primary: 'duplicate' },
    ],
    [
      'targeting → cloaked',
      [signal('targeting', 0)],
      { status: 'cloaked', isBot: false, isVpn: false, cloaked: true, fraudTypes: [], primary: null },
    ],
    [
      'duplicate keeps cloaked',
      [signal('targeting', 0), signal('duplicate')],
      { status: 'cloaked', isBot: false, isVpn: false, cloaked: true, fraudTypes: ['duplicate'], primary: 'duplicate' },
    ],
    [
      'vpn > cloaked',
      [signal('targeting', 0), signal('vpn')],
      { status: 'vpn', isBot: false, isVpn: true, cloaked: true, fraudTypes: ['vpn'], primary: 'vpn' },
    ],
    [
      'datacenter → vpn',
      [signal('datacenter')],
      { status: 'vpn', isBot: false, isVpn: true, cloaked: false, fraudTypes: ['datacenter'], primary: 'datacenter' },
    ],
    [
      'bot > vpn',
      [signal('vpn'), signal('bot')],
      { status: 'bot', isBot: true, isVpn: true, cloaked: false, fraudTypes: ['bot', 'vpn'], primary: 'bot' },
    ],
    [
      'rapid_fire → bot',
      [signal('rapid_fire')],
      { status: 'bot', isBot: true, isVpn: false, cloaked: false, fraudTypes: ['rapid_fire'], primary: 'rapid_fire' },
    ],
    [
      'click_farm → bot',
      [signal('click_farm'), signal('datacenter')],
      {
        status: 'bot',
        isBot: true,
        isVpn: true,
        cloaked: false,
        fraudTypes: ['click_farm', 'datacenter'],
        primary: 'click_farm',
      },
    ],
    [
      'fraud types ordered and unique',
      [
        signal('duplicate'),
        signal('vpn'),
        signal('datacenter'),
        signal('rapid_fire'),
        signal('bot'),
        signal('bot'),
        signal('click_farm'),
      ],
      {
        status: 'bot',
        isBot: true,
        isVpn: true,
        cloaked: false,
        fraudTypes: ['bot', 'rapid_fire', 'click_farm', 'datacenter', 'vpn', 'duplicate'],
        primary: 'bot',
      },
    ],
    [
      'bot from a blocked country is still bot, and cloaked',
      [signal('targeting', 0), signal('bot')],
      { status: 'bot', isBot: true, isVpn: false, cloaked: true, fraudTypes: ['bot'], primary: 'bot' },
    ],
  ];
  for (const [name, signals, expected] of cases) {
    it(name, () => {
      const verdict = buildVerdict(signals);
      assert.deepEqual(
        {
          status: verdict.status,
          isBot: verdict.isBot,
          isVpn: verdict.isVpn,
          cloaked: verdict.cloaked,
          fraudTypes: verdict.fraudTypes,
          primary: verdict.primaryFraudType,
        },
        expected,
      );
      assert.equal(verdict.isVerifiedBot, false);
    });
  }
});

describe('buildVerdict without signals', () => {
  it('is a real click with nothing to report, and a new verdict each time', () => {
    const expected = {
      status: 'real',
      isBot: false,
      isVpn: false,
      isVerifiedBot: false,
      fraudTypes: [],
      primaryFraudType: null,
      fraudScore: 0,
      reasons: [],
      cloaked: false,
      lateFindings: [],
    };
    const first = buildVerdict([]);
    assert.deepEqual(first, expected);
    // The same fields, in the same order, as the general path gives (stored JSON and API answers follow it).
    assert.deepEqual(Object.keys(first), Object.keys(buildVerdict([signal('targeting', 0)])));
    const second = buildVerdict([]);
    assert.notEqual(second, first);
    assert.notEqual(second.reasons, first.reasons);
  });
});

describe('buildVerdict for a verified crawler', () => {
  it('is a bot with no fraud, let through whatever else fired', () => {
    const verdict = buildVerdict([
      signal('verified_bot', 0),
      signal('datacenter'),
      signal('duplicate'),
      signal('targeting', 0),
    ]);
    assert.deepEqual(verdict, {
      status: 'bot',
      isBot: true,
      isVpn: false,
      isVerifiedBot: true,
      fraudTypes: [],
      primaryFraudType: null,
      fraudScore: 0,
      reasons: [{ type: 'verified_bot', message: 'verified_bot reason' }],
      cloaked: false,
      lateFindings: [],
    });
  });
});

describe('buildVerdict reasons', () => {
  it('lists every signal, by precedence, without scores', () => {
    const verdict = buildVerdict([signal('targeting', 0), signal('duplicate'), signal('bot')]);
    assert.deepEqual(verdict.reasons, [
      { type: 'bot', message: 'bot reason' },
      { type: 'duplicate', message: 'duplicate reason' },
      { type: 'targeting', message: 'targeting reason' },
    ]);
  });
});

describe('combineScores', () => {
  const cases: [number[], number][] = [
    [[], 0],
    [[0], 0],
    [[40], 40],
    [[50, 50], 75],
    [[90, 40], 94],
    [[100, 10], 100],
    [[150], 100],
    [[-20], 0],
  ];
  for (const [scores, expected] of cases)
    it(`[${scores.join(', ')}] → ${expected}`, () => assert.equal(combineScores(scores), expected));

  it('ignores non-fraud signals', () => {
    assert.equal(buildVerdict([signal('targeting', 80)]).fraudScore, 0);
  });
});

describe('late findings', () => {
  const burst: Signal = {
    type: 'rapid_fire',
    message: '6 clicks from 203.0.113.5',
    score: 80,
    lookBack: { group: 'ip', withinMs: 60_000 },
  };
  const finding = {
    type: 'rapid_fire',
    message: '6 clicks from 203.0.113.5',
    score: 80,
    group: 'ip',
    withinMs: 60_000,
  } as const;

  it('a verdict carries the findings its group shares', () => {
    assert.deepEqual(buildVerdict([burst, signal('duplicate')]).lateFindings, [finding]);
    assert.deepEqual(buildVerdict([signal('bot')]).lateFindings, []);
  });

  it('none for an allowlisted address or a verified crawler', () => {
    assert.deepEqual(buildVerdict([burst, signal('allowlisted', 0)]).lateFindings, []);
    assert.deepEqual(buildVerdict([burst, signal('verified_bot', 0)]).lateFindings, []);
  });

  const stored = (overrides: Partial<StoredVerdict> = {}): StoredVerdict => ({
    status: 'real',
    isVerifiedBot: false,
    fraudTypes: [],
    fraudScore: 0,
    reasons: [],
    ...overrides,
  });

  it('turns a real earlier click into a bot, with the reason', () => {
    assert.deepEqual(applyLateFinding(stored(), finding), {
      status: 'bot',
      isBot: true,
      isVpn: false,
      isVerifiedBot: false,
      fraudTypes: ['rapid_fire'],
      primaryFraudType: 'rapid_fire',
      fraudScore: 80,
      reasons: [{ type: 'rapid_fire', message: 'Recognised later: 6 clicks from 203.0.113.5' }],
    });
  });

  it('keeps what the click already had, in precedence order, and combines the scores', () => {
    const change = applyLateFinding(
      stored({
        status: 'vpn',
        fraudTypes: ['datacenter', 'duplicate'],
        fraudScore: 60,
        reasons: [
          { type: 'datacenter', message: 'AS1 is a hosting network' },
          { type: 'duplicate', message: 'again' },
        ],
      }),
      finding,
    );
    assert.deepEqual(change?.fraudTypes, ['rapid_fire', 'datacenter', 'duplicate']);
    assert.equal(change?.primaryFraudType, 'rapid_fire');
    assert.equal(change?.status, 'bot');
    assert.equal(change?.isVpn, true);
    assert.equal(change?.fraudScore, 92);
    assert.deepEqual(
      change?.reasons.map((reason) => reason.type),
      ['rapid_fire', 'datacenter', 'duplicate'],
    );
  });

  it('a cloaked click stays cloaked under a duplicate finding, becomes bot under a burst', () => {
    const cloaked = stored({
      status: 'cloaked',
      reasons: [{ type: 'targeting', message: 'Country FR is not targeted' }],
    });
    assert.equal(applyLateFinding(cloaked, finding)?.status, 'bot');
    assert.equal(applyLateFinding(cloaked, { ...finding, type: 'duplicate' })?.status, 'cloaked');
  });

  it('changes nothing for a verified crawler, an allowlisted click, or a type it already has', () => {
    assert.equal(applyLateFinding(stored({ status: 'bot', isVerifiedBot: true }), finding), null);
    assert.equal(
      applyLateFinding(stored({ reasons: [{ type: 'allowlisted', message: 'on the allow list' }] }), finding),
      null,
    );
    assert.equal(
      applyLateFinding(stored({ status: 'bot', fraudTypes: ['rapid_fire'], fraudScore: 80 }), finding),
      null,
    );
  });
});

describe('applyVerification', () => {
  const proof = {
    type: 'verified_bot' as const,
    message:
      'Googlebot from 34.1.2.3 (crawl-34-1-2-3.googlebot.com, forward-confirmed reverse DNS) is a verified search crawler',
  };

  it('makes a click judged a fake crawler the verified crawler it was, whatever else flagged it', () => {
    const fake = {
      status: 'bot' as const,
      isVerifiedBot: false,
      fraudTypes: ['bot', 'datacenter', 'duplicate'] as FraudType[],
      fraudScore: 98,
      reasons: [{ type: 'bot' as const, message: 'User agent claims to be Googlebot (Google) but …' }],
    };
    assert.deepEqual(applyVerification(fake, proof), {
      status: 'bot',
      isBot: true,
      isVpn: false,
      isVerifiedBot: true,
      fraudTypes: [],
      primaryFraudType: null,
      fraudScore: 0,
      reasons: [proof],
    });
  });

  it('changes nothing for a click already verified', () => {
    assert.equal(
      applyVerification({ status: 'bot', isVerifiedBot: true, fraudTypes: [], fraudScore: 0, reasons: [proof] }, proof),
      null,
    );
  });
});
