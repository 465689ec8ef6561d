import { NO_SIGNALS, defineRule } from '../rule.ts';
import { formatDuration } from '../text.ts';

export interface DuplicateSettings {
  /** How far back the recorder counts the same IP + user agent on the same campaign (SPEC: 24 h). */
  readonly duplicateWindowMs: number;
}

/**
 * The same visitor (IP + user agent) on the same campaign inside the window: the first click is
 * unique, every repeat is a duplicate. It is fraud for the stats but not a status: a person who
 * clicks twice is still a person, hence the low score.
 */
export const duplicateRule = defineRule<DuplicateSettings>({
  name: 'duplicate',
  type: 'duplicate',
  defaults: { duplicateWindowMs: 24 * 60 * 60 * 1000 },
  evaluate({ history }, { settings }) {
    const previous = history.sameVisitorRecentClicks;
    if (!(previous > 0)) return NO_SIGNALS;
    const message = `Same IP and user agent clicked this campaign ${previous + 1} times in the last ${formatDuration(settings.duplicateWindowMs)}`;
    return [{ type: 'duplicate', message, score: 40 }];
  },
});
