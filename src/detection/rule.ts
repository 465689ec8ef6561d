import type { DetectionInput, Signal } from './types.ts';

export interface RuleContext<TSettings extends object> {
  /** Epoch milliseconds of the click; rules never read the clock themselves. */
  readonly now: number;
  readonly settings: Readonly<TSettings>;
}

/**
 * One detection rule. Its settings are its own slice of DetectionSettings, declared with their
 * defaults next to the code that uses them; settings.ts merges every rule's slice.
 */
export interface Rule<TSettings extends object = Record<never, never>> {
  /** Unique, the file name: shows up in tests and, later, in per-rule switches. */
  readonly name: string;
  /** The kind of signal the rule is about; a rule may also emit other kinds (see verified-crawler). */
  readonly type: Signal['type'];
  readonly defaults: Readonly<TSettings>;
  evaluate(input: DetectionInput, context: RuleContext<TSettings>): readonly Signal[];
}

/** Identity at run time; exists so each rule file is checked against the Rule shape with its own settings type. */
export function defineRule<TSettings extends object = Record<never, never>>(rule: Rule<TSettings>): Rule<TSettings> {
  return Object.freeze(rule);
}

export type RuleSettings<TRule> = TRule extends Rule<infer TSettings> ? TSettings : never;

/** Shared empty result, so rules that find nothing allocate nothing on the hot path. */
export const NO_SIGNALS: readonly Signal[] = Object.freeze([]);
