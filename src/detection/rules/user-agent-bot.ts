import { isbot } from 'isbot';
import { NO_SIGNALS, defineRule } from '../rule.ts';
import { shorten } from '../text.ts';
import { findClaimedCrawler } from './verified-crawler.ts';

/**
 * isbot's pattern is long and most traffic comes from a few thousand browser builds, so answers are
 * remembered per user agent. Bounded: the memo is simply emptied when full (still a pure function).
 */
const MEMO_LIMIT = 10_000;
const memo = new Map<string, boolean>();

function isAutomated(userAgent: string): boolean {
  let answer = memo.get(userAgent);
  if (answer === undefined) {
    answer = isbot(userAgent);
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(userAgent, answer);
  }
  return answer;
}

/**
 * Automated clients that say so in their user agent (curl, headless browsers, scrapers), and
 * requests with no user agent at all, which no browser sends.
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
    if (!isAutomated(userAgent) || findClaimedCrawler(userAgent) !== null) return NO_SIGNALS;
    return [{ type: 'bot', message: `User agent "${shorten(userAgent)}" is an automated client`, score: 90 }];
  },
});
