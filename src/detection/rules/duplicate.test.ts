import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_DETECTION_SETTINGS, resolveDetectionSettings } from '../settings.ts';
import { NOW, makeInput } from '../test-input.ts';
import { duplicateRule } from './duplicate.ts';

describe('duplicate rule', () => {
  const cases: [number, number, string | null][] = [
    [0, DEFAULT_DETECTION_SETTINGS.duplicateWindowMs, null],
    [
      1,
      DEFAULT_DETECTION_SETTINGS.duplicateWindowMs,
      'Same IP and user agent clicked this campaign 2 times in the last 24 h',
    ],
    [
      9,
      DEFAULT_DETECTION_SETTINGS.duplicateWindowMs,
      'Same IP and user agent clicked this campaign 10 times in the last 24 h',
    ],
    [1, 30 * 60_000, 'Same IP and user agent clicked this campaign 2 times in the last 30 min'],
    [1, 7 * 86_400_000, 'Same IP and user agent clicked this campaign 2 times in the last 7 d'],
    [Number.NaN, DEFAULT_DETECTION_SETTINGS.duplicateWindowMs, null],
  ];
  for (const [previous, windowMs, message] of cases) {
    it(`${previous} earlier clicks, window ${windowMs} ms`, () => {
      const settings = resolveDetectionSettings({ duplicateWindowMs: windowMs });
      const signals = duplicateRule.evaluate(makeInput({ history: { sameVisitorRecentClicks: previous } }), {
        now: NOW,
        settings,
      });
      assert.deepEqual(
        signals.map((s) => [s.type, s.message]),
        message === null ? [] : [['duplicate', message]],
      );
    });
  }

  it('defaults to the SPEC window of 24 h', () =>
    assert.equal(DEFAULT_DETECTION_SETTINGS.duplicateWindowMs, 86_400_000));
});
