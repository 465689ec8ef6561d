import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  MAX_HEADER_LENGTH,
  MAX_QUERY_PARAMS,
  MAX_QUERY_VALUE_LENGTH,
  MAX_REFERRER_LENGTH,
  MAX_USER_AGENT_LENGTH,
  buildVisitor,
  isLinkPreview,
  isLinkPreviewAgent,
  isPrefetch,
  normalizeIp,
  type VisitorRequest,
} from './visitor.ts';

const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';

function request(overrides: Partial<VisitorRequest> = {}): VisitorRequest {
  return {
    ip: '203.0.113.7',
    method: 'GET',
    protocol: 'https',
    headers: { 'user-agent': CHROME },
    query: {},
    ...overrides,
  };
}

describe('normalizeIp', () => {
  const cases: [string, string][] = [
    ['::ffff:1.2.3.4', '1.2.3.4'],
    ['::FFFF:10.0.0.1', '10.0.0.1'],
    ['1.2.3.4', '1.2.3.4'],
    ['2001:db8::1', '2001:db8::1'],
    ['::ffff:abcd:1234', '171.205.18.52'],
    ['2001:DB8:0:0::1', '2001:db8::1'],
    ['::1', '::1'],
  ];
  for (const [input, expected] of cases) it(`${input} → ${expected}`, () => assert.equal(normalizeIp(input), expected));
});

describe('buildVisitor', () => {
  it('keeps what detection needs and nothing else', () => {
    const visitor = buildVisitor(
      request({
        ip: '::ffff:198.51.100.4',
        method: 'head',
        headers: {
          'user-agent': CHROME,
          referer: 'https://google.com/',
          accept: 'text/html',
          'accept-language': ['en-US', 'de;q=0.5'],
          'sec-ch-ua-mobile': '?0',
          cookie: 'secret=1',
          authorization: 'Bearer x',
          'x-forwarded-for': '1.1.1.1',
        },
        query: { gclid: 'abc', sub1: ['first', 'second'], sub2: 7, bad: { nested: 'x' }, empty: [], sub3: '' },
      }),
    );
    assert.deepEqual(visitor, {
      ip: '198.51.100.4',
      userAgent: CHROME,
      referrer: 'https://google.com/',
      headers: { accept: 'text/html', 'accept-language': 'en-US, de;q=0.5', 'sec-ch-ua-mobile': '?0' },
      query: { gclid: 'abc', sub1: 'first', sub2: '7', sub3: '' },
      method: 'HEAD',
      secure: true,
    });
  });

  it('is frozen, nested records too', () => {
    const visitor = buildVisitor(request({ query: { a: '1' }, headers: { accept: '*/*' } }));
    assert.ok(Object.isFrozen(visitor) && Object.isFrozen(visitor.query) && Object.isFrozen(visitor.headers));
  });

  it('handles a missing user agent and referrer', () => {
    const visitor = buildVisitor(request({ headers: {} }));
    assert.equal(visitor.userAgent, '');
    assert.equal(visitor.referrer, null);
    assert.deepEqual(visitor.headers, {});
  });

  const limits: [string, VisitorRequest, (v: ReturnType<typeof buildVisitor>) => number, number][] = [
    [
      'user agent',
      request({ headers: { 'user-agent': 'a'.repeat(5000) } }),
      (v) => v.userAgent.length,
      MAX_USER_AGENT_LENGTH,
    ],
    [
      'referrer',
      request({ headers: { referer: 'r'.repeat(5000) } }),
      (v) => v.referrer?.length ?? 0,
      MAX_REFERRER_LENGTH,
    ],
    [
      'header',
      request({ headers: { 'sec-ch-ua': 'h'.repeat(5000) } }),
      (v) => v.headers['sec-ch-ua']?.length ?? 0,
      MAX_HEADER_LENGTH,
    ],
    ['query value', request({ query: { q: 'v'.repeat(5000) } }), (v) => v.query.q?.length ?? 0, MAX_QUERY_VALUE_LENGTH],
  ];
  for (const [name, input, measure, max] of limits) {
    it(`cuts the ${name} to ${max}`, () => assert.equal(measure(buildVisitor(input)), max));
  }

  it('does not split a surrogate pair when cutting', () => {
    const visitor = buildVisitor(request({ headers: { 'user-agent': `${'a'.repeat(MAX_USER_AGENT_LENGTH - 1)}🎯` } }));
    assert.equal(visitor.userAgent, 'a'.repeat(MAX_USER_AGENT_LENGTH - 1));
  });

  it('keeps at most 64 params, drops over-long and empty names', () => {
    const query: Record<string, unknown> = { ['n'.repeat(65)]: 'dropped', '': 'dropped', ['n'.repeat(64)]: 'kept' };
    for (let i = 0; i < 100; i++) query[`p${i}`] = String(i);
    const visitor = buildVisitor(request({ query }));
    assert.equal(Object.keys(visitor.query).length, MAX_QUERY_PARAMS);
    assert.equal(visitor.query['n'.repeat(64)], 'kept');
    assert.equal(visitor.query.p62, '62');
    assert.equal(visitor.query.p63, undefined);
  });

  it('keeps a __proto__ parameter as plain data', () => {
    const query = JSON.parse('{"__proto__": "x", "a": "1"}') as Record<string, unknown>;
    const visitor = buildVisitor(request({ query }));
    assert.equal(Object.getPrototypeOf(visitor.query), Object.prototype);
    assert.equal(Object.getOwnPropertyDescriptor(visitor.query, '__proto__')?.value, 'x');
  });

  it('refuses methods the tracker does not route', () => {
    assert.throws(() => buildVisitor(request({ method: 'POST' })), RangeError);
  });
});

describe('isLinkPreview', () => {
  const agents: [string, string, boolean][] = [
    ['Slack', 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)', true],
    ['X', 'Twitterbot/1.0', true],
    [
      'iMessage',
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_1) AppleWebKit/601.2.4 (KHTML, like Gecko) Version/9.0.1 Safari/601.2.4 facebookexternalhit/1.1 Facebot Twitterbot/1.0',
      true,
    ],
    ['WhatsApp', 'WhatsApp/2.23.20.0 A', true],
    ['Telegram', 'TelegramBot (like TwitterBot)', true],
    ['Discord', 'Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)', true],
    ['LinkedIn', 'LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)', true],
    ['Skype', 'Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5', true],
    [
      'Meta ad crawler is not a preview',
      'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
      false,
    ],
    ['Googlebot is not a preview', 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', false],
    ['Chrome', CHROME, false],
    ['empty', '', false],
  ];
  for (const [name, userAgent, expected] of agents) {
    it(`${name} → ${expected}`, () =>
      assert.equal(isLinkPreview(buildVisitor(request({ headers: { 'user-agent': userAgent } }))), expected));
  }

  const headers: [Record<string, string>, boolean][] = [
    [{ purpose: 'prefetch' }, true],
    [{ 'sec-purpose': 'prefetch' }, true],
    [{ 'sec-purpose': 'prefetch;prerender' }, true],
    [{ 'sec-purpose': 'prefetch;anonymous-client-ip' }, true],
    [{ 'x-moz': 'prefetch' }, true],
    [{ 'x-purpose': 'preview' }, true],
    [{ 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' }, false],
    [{ purpose: '' }, false],
  ];
  for (const [extra, expected] of headers) {
    it(`${JSON.stringify(extra)} → ${expected}`, () => {
      assert.equal(isLinkPreview(buildVisitor(request({ headers: { 'user-agent': CHROME, ...extra } }))), expected);
    });
  }

  it('tells preview apps from browser prefetches', () => {
    const slack = buildVisitor(request({ headers: { 'user-agent': 'Slackbot-LinkExpanding 1.0' } }));
    const prefetch = buildVisitor(request({ headers: { 'user-agent': CHROME, 'sec-purpose': 'prefetch' } }));
    assert.deepEqual([isLinkPreviewAgent(slack), isPrefetch(slack)], [true, false]);
    assert.deepEqual([isLinkPreviewAgent(prefetch), isPrefetch(prefetch)], [false, true]);
  });
});
