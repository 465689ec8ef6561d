import { isbot } from 'isbot';
import { findAutomationClient } from '../lists/automation-clients.ts';
import { NO_SIGNALS, defineRule } from '../rule.ts';
import { shorten } from '../text.ts';
import { findClaimedCrawler } from './verified-crawler.ts';

/** Completes `User agent "…" is ___` for a client isbot knows but our list does not name. */
const GENERIC_DESCRIPTION = 'an automated client';

/**
 * isbot's pattern is long and most traffic comes from a few thousand browser builds, so answers are
 * remembered per user agent. Bounded: the memo is simply emptied when full (still a pure function).
 */
const MEMO_LIMIT = 10_000;
const memo = new Map<string, string | null>();

/** What automated client the user agent names (completing `User agent "…" is ___`), or null for a browser. */
function describeAutomatedClient(userAgent: string): string | null {
  let description = memo.get(userAgent);
  if (description === undefined) {
    description = findAutomationClient(userAgent)?.description ?? (isbot(userAgent) ? GENERIC_DESCRIPTION : null);
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(userAgent, description);
  }
  return description;
}

/**
 * Whether this rule reports the user agent: empty, or naming an automated client. Crawler names count
 * too (isbot knows them all), though the verified-crawler rule is the one that judges those. Other
 * rules use it so one cause is not reported twice.
 */
export function isAutomatedUserAgent(userAgent: string): boolean {
  const trimmed = userAgent.trim();
  return trimmed === '' || describeAutomatedClient(trimmed) !== null;
}

/**
 * Automated clients that say so in their user agent (curl, HTTP libraries, headless browsers,
 * scrapers), and requests with no user agent at all, which no browser sends.
 */
export const userAgentBotRule = defineRule({
  name: 'user-agent-bot',
  type: 'bot',
  defaults: {},
  evaluate({ visitor }) {
    const userAgent = visitor.userAgent.trim();
    if (userAgent === '') {
      return [{ type: 'bot', message: 'The request has no user agent, which no browser sends', score: 80 }];
    }
    // Crawler names are judged by the verified-crawler rule, which can tell a real one from an
    // impostor; flagging them here too would make every verified crawler look like fraud.
    if (findClaimedCrawler(userAgent) !== null) return NO_SIGNALS;
    const description = describeAutomatedClient(userAgent);
    if (description === null) return NO_SIGNALS;
    return [{ type: 'bot', message: `User agent "${shorten(userAgent)}" is ${description}`, score: 90 }];
  },
});
