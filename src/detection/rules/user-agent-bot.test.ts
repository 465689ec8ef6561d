import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AUTOMATION_CLIENTS, findAutomationClient } from '../lists/automation-clients.ts';
import { DEFAULT_DETECTION_SETTINGS } from '../settings.ts';
import { CHROME_UA, NOW, makeInput } from '../test-input.ts';
import { isAutomatedUserAgent, userAgentBotRule } from './user-agent-bot.ts';

function run(userAgent: string) {
  return userAgentBotRule.evaluate(makeInput({ visitor: { userAgent } }), {
    now: NOW,
    settings: DEFAULT_DETECTION_SETTINGS,
  });
}

const HEADLESS_CHROME =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36';

describe('user-agent-bot rule: automation clients', () => {
  // Default user agents as each tool sends them.
  const cases: [string, string][] = [
    ['curl/8.4.0', 'the curl command-line tool, not a browser'],
    ['Wget/1.21.4', 'the Wget command-line tool, not a browser'],
    ['python-requests/2.31.0', 'the python-requests HTTP library, not a browser'],
    ['Python-urllib/3.11', 'the python-urllib HTTP library, not a browser'],
    ['Python/3.11 aiohttp/3.9.1', 'the aiohttp HTTP library, not a browser'],
    ['python-httpx/0.27.0', 'the httpx HTTP library, not a browser'],
    ['Go-http-client/1.1', 'the Go-http-client HTTP library, not a browser'],
    ['Go-http-client/2.0', 'the Go-http-client HTTP library, not a browser'],
    ['okhttp/4.12.0', 'the okhttp HTTP library, not a browser'],
    ['Java/17.0.2', 'the Java HTTP library, not a browser'],
    ['Java-http-client/21.0.1', 'the Java-http-client HTTP library, not a browser'],
    ['Apache-HttpClient/4.5.14 (Java/17.0.2)', 'the Apache-HttpClient HTTP library, not a browser'],
    ['node-fetch/1.0 (+https://github.com/bitinn/node-fetch)', 'the node-fetch HTTP library, not a browser'],
    ['node-fetch', 'the node-fetch HTTP library, not a browser'],
    ['undici', 'the undici HTTP library, not a browser'],
    ['axios/1.6.7', 'the axios HTTP library, not a browser'],
    ['GuzzleHttp/7', 'the GuzzleHttp HTTP library, not a browser'],
    ['libwww-perl/6.72', 'the libwww-perl HTTP library, not a browser'],
    ['Scrapy/2.11.0 (+https://scrapy.org)', 'the Scrapy scraping framework, not a browser'],
    ['PostmanRuntime/7.36.0', 'the PostmanRuntime API testing tool, not a browser'],
    ['HTTPie/3.2.2', 'the HTTPie command-line tool, not a browser'],
    [
      'Mozilla/5.0 (Unknown; Linux x86_64) AppleWebKit/538.1 (KHTML, like Gecko) PhantomJS/2.1.1 Safari/538.1',
      'PhantomJS, a scriptable headless browser',
    ],
    [HEADLESS_CHROME, 'headless Chrome, a browser driven by a program'],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessEdg/120.0.0.0 Safari/537.36',
      'headless Edge, a browser driven by a program',
    ],
    // No default user agent carries these markers, but isbot alone would let them through.
    [`${CHROME_UA} Puppeteer`, 'Puppeteer, a browser driven by a program'],
    ['Playwright/1.40.0', 'Playwright, a browser driven by a program'],
  ];
  for (const [userAgent, description] of cases) {
    it(userAgent.slice(0, 60), () => {
      const signals = run(userAgent);
      assert.equal(signals.length, 1);
      const [signal] = signals;
      assert.equal(signal?.type, 'bot');
      assert.equal(signal?.score, 90);
      assert.ok(signal?.message.startsWith('User agent "'), signal?.message);
      assert.ok(signal?.message.endsWith(`" is ${description}`), signal?.message);
    });
  }

  it('quotes the user agent in full when it is short', () => {
    assert.deepEqual(
      run('python-requests/2.31.0').map((s) => s.message),
      ['User agent "python-requests/2.31.0" is the python-requests HTTP library, not a browser'],
    );
  });

  it('shortens a long user agent in the reason', () => {
    assert.deepEqual(
      run(HEADLESS_CHROME).map((s) => s.message),
      [
        'User agent "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Headless…" is headless Chrome, a browser driven by a program',
      ],
    );
  });

  it('findAutomationClient names the client, and nothing for a browser', () => {
    assert.equal(findAutomationClient('curl/8.4.0')?.name, 'curl');
    assert.equal(findAutomationClient(CHROME_UA), null);
  });

  it('no listed pattern matches a real browser or in-app browser', () => {
    const browsers = [
      CHROME_UA,
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15',
      'Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0',
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/473.0.0.34.108;FBBV/635414428;FBDV/iPhone15,2;FBMD/iPhone;FBSN/iOS;FBSV/17.5.1;FBSS/3;FBID/phone;FBLC/en_US;FBOP/5;FBRV/0]',
      'Mozilla/5.0 (Linux; Android 16; K) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/150.0.7871.181 Mobile Safari/537.36 Telegram-Android/12.9.2.0 (Samsung SM-A5660; Android 16; en_US)',
    ];
    for (const userAgent of browsers) {
      assert.deepEqual(
        AUTOMATION_CLIENTS.filter((client) => client.pattern.test(userAgent)).map((client) => client.name),
        [],
        userAgent,
      );
    }
  });
});

describe('user-agent-bot rule: everything else', () => {
  const cases: [string, string, string | null][] = [
    ['empty', '', 'The request has no user agent, which no browser sends'],
    ['blank', '   ', 'The request has no user agent, which no browser sends'],
    // isbot knows it, our list does not: the generic reason.
    [
      'Bytespider',
      'Mozilla/5.0 (Linux; Android 5.0) AppleWebKit/537.36 (KHTML, like Gecko) Mobile Safari/537.36 (compatible; Bytespider; spider-feedback@bytedance.com)',
      'User agent "Mozilla/5.0 (Linux; Android 5.0) AppleWebKit/537.36 (KHTML, like Gecko) Mobile …" is an automated client',
    ],
    ['Chrome', CHROME_UA, null],
    [
      'iPhone Safari',
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1',
      null,
    ],
    [
      'Facebook in-app browser',
      'Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP2A.240805.005; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/127.0.6533.103 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/478.0.0.43.115;]',
      null,
    ],
    // Deliberately not listed (see automation-clients.ts), and isbot lets it through too.
    ['Dalvik', 'Dalvik/2.1.0 (Linux; U; Android 13; SM-G991B Build/TP1A.220624.014)', null],
    // Crawler names belong to the verified-crawler rule, even when they contain a library's name.
    ['Googlebot', 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', null],
    ['AdsBot', 'AdsBot-Google (+http://www.google.com/adsbot.html)', null],
    [
      'LinkedInBot (says Apache-HttpClient)',
      'LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)',
      null,
    ],
  ];
  for (const [name, userAgent, message] of cases) {
    it(name, () => {
      const signals = run(userAgent);
      assert.deepEqual(
        signals.map((s) => s.message),
        message === null ? [] : [message],
      );
      for (const signal of signals) assert.equal(signal.type, 'bot');
    });
  }
});

describe('isAutomatedUserAgent', () => {
  const cases: [string, boolean][] = [
    ['', true],
    ['curl/8.4.0', true],
    ['Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', true],
    [`${CHROME_UA} Puppeteer`, true],
    [CHROME_UA, false],
  ];
  for (const [userAgent, expected] of cases) {
    it(`${userAgent.slice(0, 50) || '(empty)'} → ${expected}`, () =>
      assert.equal(isAutomatedUserAgent(userAgent), expected));
  }
});
