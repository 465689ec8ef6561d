import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_DETECTION_SETTINGS, resolveDetectionSettings } from './settings.ts';

describe('detection settings', () => {
  it('collects every rule default', () => {
    assert.deepEqual(DEFAULT_DETECTION_SETTINGS, { duplicateWindowMs: 86_400_000 });
    assert.ok(Object.isFrozen(DEFAULT_DETECTION_SETTINGS));
  });

  const cases: [string, Record<string, unknown>, Record<string, unknown>][] = [
    ['no overrides', {}, { duplicateWindowMs: 86_400_000 }],
    ['an override', { duplicateWindowMs: 3_600_000 }, { duplicateWindowMs: 3_600_000 }],
    ['undefined keeps the default', { duplicateWindowMs: undefined }, { duplicateWindowMs: 86_400_000 }],
    ['unknown keys are ignored', { somethingElse: 1 }, { duplicateWindowMs: 86_400_000 }],
  ];
  for (const [name, overrides, expected] of cases) {
    it(name, () => assert.deepEqual(resolveDetectionSettings(overrides), expected));
  }
});
