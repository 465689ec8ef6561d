import type { RuleSettings } from './rule.ts';
import { RULES, type DetectionRule } from './rules/index.ts';

type UnionToIntersection<U> = (U extends unknown ? (value: U) => void : never) extends (value: infer I) => void
  ? I
  : never;

/**
 * Every rule's settings slice merged into one flat object. The recorder reads it too: it must
 * gather history over the same windows the rules judge (e.g. `duplicateWindowMs`).
 */
export type DetectionSettings = Readonly<UnionToIntersection<RuleSettings<DetectionRule>>>;

export const DEFAULT_DETECTION_SETTINGS: DetectionSettings = Object.freeze(
  Object.assign({}, ...RULES.map((rule) => rule.defaults)) as DetectionSettings,
);

/** Defaults with the given overrides; unknown keys are ignored so a stale config cannot add settings. */
export function resolveDetectionSettings(overrides: Partial<DetectionSettings> = {}): DetectionSettings {
  const settings: Record<string, unknown> = { ...DEFAULT_DETECTION_SETTINGS };
  for (const [key, value] of Object.entries(overrides)) {
    if (key in settings && value !== undefined) settings[key] = value;
  }
  return Object.freeze(settings as DetectionSettings);
}
