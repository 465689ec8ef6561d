import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Signal, SignalType } from './types.ts';
import { buildVerdict, combineScores } from './verdict.ts';

const signal = (type: SignalType, score = 50): Signal => ({ type, message: `${type} reason`, score });

describe('buildVerdict status precedence', () => {
  const cases: [string, Signal[], { status: string; isBot: boolean; isVpn: boolean; cloaked: boolean; fraudTypes: string[]; primary: string | null }][] = [
    ['nothing → real', [], { status: 'real', isBot: false, isVpn: false, cloaked: false, fraudTypes: [], primary: null }],
    ['duplicate keeps real', [signal('duplicate')], { status: 'real', isBot: false, isVpn: false, cloaked: false, fraudTypes: ['duplicate'], primary: 'duplicate' }],
    ['targeting → cloaked', [signal('targeting', 0)], { status: 'cloaked', isBot: false, isVpn: false, cloaked: true, fraudTypes: [], primary: null }],
    ['duplicate keeps cloaked', [signal('targeting', 0), signal('duplicate')], { status: 'cloaked', isBot: false, isVpn: false, cloaked: true, fraudTypes: ['duplicate'], primary: 'duplicate' }],
    ['vpn > cloaked', [signal('targeting', 0), signal('vpn')], { status: 'vpn', isBot: false, isVpn: true, cloaked: true, fraudTypes: ['vpn'], primary: 'vpn' }],
    ['datacenter → vpn', [signal('datacenter')], { status: 'vpn', isBot: false, isVpn: true, cloaked: false, fraudTypes: ['datacenter'], primary: 'datacenter' }],
    ['bot > vpn', [signal('vpn'), signal('bot')], { status: 'bot', isBot: true, isVpn: true, cloaked: false, fraudTypes: ['bot', 'vpn'], primary: 'bot' }],
    ['rapid_fire → bot', [signal('rapid_fire')], { status: 'bot', isBot: true, isVpn: false, cloaked: false, fraudTypes: ['rapid_fire'], primary: 'rapid_fire' }],
    ['click_farm → bot', [signal('click_farm'), signal('datacenter')], { status: 'bot', isBot: true, isVpn: true, cloaked: false, fraudTypes: ['click_farm', 'datacenter'], primary: 'click_farm' }],
    ['fraud types ordered and unique', [signal('duplicate'), signal('vpn'), signal('datacenter'), signal('rapid_fire'), signal('bot'), signal('bot'), signal('click_farm')],
      { status: 'bot', isBot: true, isVpn: true, cloaked: false, fraudTypes: ['bot', 'rapid_fire', 'click_farm', 'datacenter', 'vpn', 'duplicate'], primary: 'bot' }],
    ['bot from a blocked country is still bot, and cloaked', [signal('targeting', 0), signal('bot')], { status: 'bot', isBot: true, isVpn: false, cloaked: true, fraudTypes: ['bot'], primary: 'bot' }],
  ];
  for (const [name, signals, expected] of cases) {
    it(name, () => {
      const verdict = buildVerdict(signals);
      assert.deepEqual(
        { status: verdict.status, isBot: verdict.isBot, isVpn: verdict.isVpn, cloaked: verdict.cloaked, fraudTypes: verdict.fraudTypes, primary: verdict.primaryFraudType },
        expected,
      );
      assert.equal(verdict.isVerifiedBot, false);
    });
  }
});

describe('buildVerdict for a verified crawler', () => {
  it('is a bot with no fraud, let through whatever else fired', () => {
    const verdict = buildVerdict([signal('verified_bot', 0), signal('datacenter'), signal('duplicate'), signal('targeting', 0)]);
    assert.deepEqual(verdict, {
      status: 'bot', isBot: true, isVpn: false, isVerifiedBot: true,
      fraudTypes: [], primaryFraudType: null, fraudScore: 0,
      reasons: [{ type: 'verified_bot', message: 'verified_bot reason' }], cloaked: false,
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
  for (const [scores, expected] of cases) it(`[${scores.join(', ')}] → ${expected}`, () => assert.equal(combineScores(scores), expected));

  it('ignores non-fraud signals', () => {
    assert.equal(buildVerdict([signal('targeting', 80)]).fraudScore, 0);
  });
});
