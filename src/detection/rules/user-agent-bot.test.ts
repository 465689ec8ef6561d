import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_DETECTION_SETTINGS } from '../settings.ts';
import { CHROME_UA, NOW, makeInput } from '../test-input.ts';
import { userAgentBotRule } from './user-agent-bot.ts';

function run(userAgent: string) {
  return userAgentBotRule.evaluate(makeInput({ visitor: { userAgent } }), { now: NOW, settings: DEFAULT_DETECTION_SETTINGS });
}

describe('user-agent-bot rule', () => {
  const cases: [string, string, string | null][] = [
    ['curl', 'curl/8.4.0', 'User agent "curl/8.4.0" is an automated client'],
    ['python-requests', 'python-requests/2.31.0', 'User agent "python-requests/2.31.0" is an automated client'],
    ['headless Chrome', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36', 'User agent "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Headless…" is an automated client'],
    ['empty', '', 'The request has no user agent, which no browser sends'],
    ['blank', '   ', 'The request has no user agent, which no browser sends'],
    ['Chrome', CHROME_UA, null],
    ['iPhone Safari', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1', null],
    // Crawler names belong to the verified-crawler rule.
    ['Googlebot', 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', null],
    ['AdsBot', 'AdsBot-Google (+http://www.google.com/adsbot.html)', null],
  ];
  for (const [name, userAgent, message] of cases) {
    it(name, () => {
      const signals = run(userAgent);
      assert.deepEqual(signals.map((s) => s.message), message === null ? [] : [message]);
      for (const signal of signals) assert.equal(signal.type, 'bot');
    });
  }
});
