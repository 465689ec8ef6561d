import type { RuleContext } from './rule.ts';
import { RULES } from './rules/index.ts';
import { DEFAULT_DETECTION_SETTINGS, type DetectionSettings } from './settings.ts';
import type { DetectionInput, Signal, Verdict } from './types.ts';
import { buildVerdict } from './verdict.ts';

/**
 * The one seam between the tracker and detection: everything a rule may look at is in `input`,
 * the clock is `now` (epoch ms), so the same arguments always give the same verdict.
 */
export function evaluate(
  input: DetectionInput,
  now: number,
  settings: DetectionSettings = DEFAULT_DETECTION_SETTINGS,
): Verdict {
  const context: RuleContext<DetectionSettings> = { now, settings };
  const signals: Signal[] = [];
  // A loop, not push(...spread): most rules return the shared empty array, and a spread call costs even then.
  for (const rule of RULES) for (const signal of rule.evaluate(input, context)) signals.push(signal);
  return buildVerdict(signals);
}
