import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluate } from '../evaluate.ts';
import { NOW, makeInput } from '../test-input.ts';

describe('account IP lists', () => {
  it('an allow-listed address is never fraud, whatever else fires', () => {
    const verdict = evaluate(
      makeInput({
        visitor: { ip: '198.51.100.7', userAgent: 'curl/8.4.0' },
        history: { sameVisitorRecentClicks: 3 },
        accountIpLists: { allow: ['198.51.100.0/24'] },
      }),
      NOW,
    );
    assert.equal(verdict.status, 'real');
    assert.deepEqual(verdict.fraudTypes, []);
    assert.equal(verdict.fraudScore, 0);
    assert.match(verdict.reasons[0]!.message, /allow list \(198\.51\.100\.0\/24\)/);
  });

  it('a block-listed address is held back as cloaked, with its reason', () => {
    const verdict = evaluate(
      makeInput({ visitor: { ip: '2001:db8::5' }, accountIpLists: { block: ['2001:db8::/32'] } }),
      NOW,
    );
    assert.equal(verdict.status, 'cloaked');
    assert.equal(verdict.cloaked, true);
    assert.match(verdict.reasons[0]!.message, /block list \(2001:db8::\/32\)/);
  });

  it('allow-listed but outside the campaign targeting is still held back', () => {
    const verdict = evaluate(
      makeInput({
        visitor: { ip: '198.51.100.7' },
        ip: { country: 'DE' },
        targeting: { allowedCountries: ['US'] },
        accountIpLists: { allow: ['198.51.100.7'] },
      }),
      NOW,
    );
    assert.equal(verdict.status, 'cloaked');
  });

  it('other addresses are untouched', () => {
    const verdict = evaluate(makeInput({ accountIpLists: { allow: ['10.0.0.0/8'], block: ['192.0.2.0/24'] } }), NOW);
    assert.equal(verdict.status, 'real');
    assert.deepEqual(verdict.reasons, []);
  });
});
