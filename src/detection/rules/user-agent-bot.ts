import { isbot } from 'isbot';
import { NO_SIGNALS, defineRule } from '../rule.ts';
import { shorten } from '../text.ts';
import { findClaimedCrawler } from './verified-crawler.ts';

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
    if (!isbot(userAgent) || findClaimedCrawler(userAgent) !== null) return NO_SIGNALS;
    return [{ type: 'bot', message: `User agent "${shorten(userAgent)}" is an automated client`, score: 90 }];
  },
});
