import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RULES } from './rules/index.ts';
import { DEFAULT_DETECTION_SETTINGS, resolveDetectionSettings } from './settings.ts';

describe('detection settings', () => {
  it('collects every rule default', () => {
    const expected = Object.assign({}, ...RULES.map((rule) => rule.defaults));
    assert.deepEqual(DEFAULT_DETECTION_SETTINGS, expected);
    assert.equal(DEFAULT_DETECTION_SETTINGS.duplicateWindowMs, 86_400_000, 'SPEC: duplicates within 24 h');
    assert.ok(Object.isFrozen(DEFAULT_DETECTION_SETTINGS));
  });

  const cases: [string, Record<string, unknown>, Record<string, unknown>][] = [
    ['no overrides', {}, {}],
    ['an override', { duplicateWindowMs: 3_600_000 }, { duplicateWindowMs: 3_600_000 }],
    ['undefined keeps the default', { duplicateWindowMs: undefined }, {}],
    ['unknown keys are ignored', { somethingElse: 1 }, {}],
  ];
  for (const [name, overrides, changed] of cases) {
    it(name, () =>
      assert.deepEqual(resolveDetectionSettings(overrides), { ...DEFAULT_DETECTION_SETTINGS, ...changed }),
    );
  }
});
