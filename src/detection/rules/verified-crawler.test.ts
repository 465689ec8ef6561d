import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CRAWLER_COMPANY_NAMES, VERIFIED_CRAWLERS } from '../lists/verified-crawlers.ts';
import { DEFAULT_DETECTION_SETTINGS } from '../settings.ts';
import { NOW, makeInput } from '../test-input.ts';
import { UNKNOWN_REPUTATION, type IpInfo, type IpReputation } from '../types.ts';
import { findClaimedCrawler, verifiedCrawlerRule } from './verified-crawler.ts';

const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const ADSBOT_MOBILE =
  'Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.204 Mobile Safari/537.36 (compatible; AdsBot-Google-Mobile; +http://www.google.com/mobile/adsbot.html)';
const BINGBOT =
  'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm) Chrome/131.0.0.0 Safari/537.36';
const DUCKDUCKBOT = 'DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)';
const PINTEREST = 'Pinterest/0.2 (+https://www.pinterest.com/bot.html)';

/** Reputation with the published crawler ranges loaded: in one of `company`'s ranges, or in none. */
function ranges(match: { company: string; entry: string } | false): IpReputation {
  return { ...UNKNOWN_REPUTATION, crawler: match && { list: `${match.company}-crawlers`, ...match } };
}
const NOT_IN_RANGES = ranges(false);

function network(asn: number | null, asOrg: string | null, reputation: IpReputation = UNKNOWN_REPUTATION): IpInfo {
  return { country: 'US', asn, asOrg, reputation };
}
const GOOGLE = network(15169, 'Google LLC');
const GOOGLE_CLOUD = network(396982, 'Google LLC');
const MICROSOFT = network(8075, 'Microsoft Corporation');
const AWS = network(16509, 'Amazon.com, Inc.');

describe('findClaimedCrawler', () => {
  const cases: [string, string | null][] = [
    [GOOGLEBOT, 'Googlebot'],
    [ADSBOT_MOBILE, 'AdsBot-Google-Mobile'],
    ['AdsBot-Google (+http://www.google.com/adsbot.html)', 'AdsBot-Google'],
    ['Mediapartners-Google', 'Mediapartners-Google'],
    ['Googlebot-Image/1.0', 'Googlebot'],
    ['Mozilla/5.0 (compatible; Google-InspectionTool/1.0;)', 'Google-InspectionTool'],
    ['Mozilla/5.0 (compatible; GoogleOther)', 'GoogleOther'],
    [BINGBOT, 'bingbot'],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 AdIdxBot',
      'AdIdxBot',
    ],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko; compatible; adidxbot/2.0; +http://www.bing.com/bingbot.htm) Chrome/131.0.6778.69 Safari/537.36',
      'AdIdxBot',
    ],
    ['facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)', 'facebookexternalhit'],
    ['facebookcatalog/1.0', 'facebookcatalog'],
    ['meta-externalagent/1.1 (+https://developers.facebook.com/docs/sharing/webmasters/crawler)', 'meta-externalagent'],
    [
      'meta-externalfetcher/1.1 (+https://developers.facebook.com/docs/sharing/webmasters/crawler)',
      'meta-externalfetcher',
    ],
    // iMessage's preview borrows Meta's and X's names; it is Apple's.
    [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_1) AppleWebKit/601.2.4 (KHTML, like Gecko) Version/9.0.1 Safari/601.2.4 facebookexternalhit/1.1 Facebot Twitterbot/1.0',
      'iMessage link preview',
    ],
    [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)',
      'Applebot',
    ],
    ['Twitterbot/1.0', 'Twitterbot'],
    ['Mozilla/5.0 (compatible; Pinterestbot/1.0; +http://www.pinterest.com/bot.html)', 'Pinterestbot'],
    [PINTEREST, 'Pinterestbot'],
    ['LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)', 'LinkedInBot'],
    [DUCKDUCKBOT, 'DuckDuckBot'],
    ['Mozilla/5.0 (compatible; YandexDirect/3.0; +http://yandex.com/bots)', 'YandexDirect'],
    ['Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)', 'YandexBot'],
    ['TelegramBot (like TwitterBot)', null],
    ['Mozilla/5.0 (compatible; Bytespider; spider-feedback@bytedance.com)', null],
    [
      'Mozilla/5.0 (Linux; Android 5.0) AppleWebKit/537.36 (KHTML, like Gecko) Mobile Safari/537.36 (compatible; TikTokSpider; ttspider-feedback@tiktok.com)',
      null,
    ],
    ['Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)', null],
    ['curl/8.4.0', null],
    ['', null],
  ];
  for (const [userAgent, expected] of cases) {
    it(`${userAgent.slice(0, 50) || '(empty)'} → ${expected}`, () =>
      assert.equal(findClaimedCrawler(userAgent)?.name ?? null, expected));
  }

  it('every crawler belongs to a company with a display name', () => {
    for (const crawler of VERIFIED_CRAWLERS) assert.ok(CRAWLER_COMPANY_NAMES[crawler.company], crawler.name);
  });
});

describe('verified-crawler rule', () => {
  const cases: [string, string, IpInfo, string, [string, string, number][]][] = [
    // Without published ranges loaded: the networks decide.
    [
      'Googlebot from Google',
      GOOGLEBOT,
      GOOGLE,
      '66.249.66.1',
      [['verified_bot', 'Googlebot from AS15169 Google LLC is a verified search crawler', 0]],
    ],
    // A cloud its company rents out never vouches by itself, lists or no lists (issue 21).
    [
      'Googlebot from Google Cloud, no ranges loaded',
      GOOGLEBOT,
      GOOGLE_CLOUD,
      '34.1.2.3',
      [
        [
          'bot',
          "User agent claims to be Googlebot (Google) but comes from AS396982 Google LLC, a cloud network Google shares with its customers, outside Google's published crawler ranges",
          95,
        ],
      ],
    ],
    [
      'bingbot from Microsoft, no ranges loaded',
      BINGBOT,
      MICROSOFT,
      '40.77.167.1',
      [
        [
          'bot',
          "User agent claims to be bingbot (Microsoft) but comes from AS8075 Microsoft Corporation, a cloud network Microsoft shares with its customers, outside Microsoft's published crawler ranges",
          95,
        ],
      ],
    ],
    [
      'fake Googlebot on AWS',
      GOOGLEBOT,
      AWS,
      '3.3.3.3',
      [
        [
          'bot',
          'User agent claims to be Googlebot (Google) but comes from AS16509 Amazon.com, Inc., not a Google network',
          95,
        ],
      ],
    ],
    [
      'fake Googlebot, unknown ASN',
      GOOGLEBOT,
      network(null, null),
      '203.0.113.9',
      [
        [
          'bot',
          'User agent claims to be Googlebot (Google) but comes from an unknown network (203.0.113.9), not a Google network',
          95,
        ],
      ],
    ],
    [
      'Googlebot name from Meta is still fake',
      GOOGLEBOT,
      network(32934, 'Facebook, Inc.'),
      '31.13.1.1',
      [
        [
          'bot',
          'User agent claims to be Googlebot (Google) but comes from AS32934 Facebook, Inc., not a Google network',
          95,
        ],
      ],
    ],
    [
      'real facebookexternalhit',
      'facebookexternalhit/1.1',
      network(32934, 'Facebook, Inc.'),
      '69.171.250.1',
      [['verified_bot', 'facebookexternalhit from AS32934 Facebook, Inc. is a verified Meta ad-review crawler', 0]],
    ],
    [
      'Pinterest in its built-in published range',
      PINTEREST,
      network(14618, 'Amazon.com, Inc.'),
      '54.236.1.12',
      [
        [
          'verified_bot',
          "Pinterestbot from 54.236.1.12, in Pinterest's published range 54.236.1.0/24, is a verified Pinterest crawler",
          0,
        ],
      ],
    ],
    [
      'Pinterest elsewhere on AWS',
      PINTEREST,
      network(14618, 'Amazon.com, Inc.'),
      '54.236.2.12',
      [
        [
          'bot',
          'User agent claims to be Pinterestbot (Pinterest) but comes from AS14618 Amazon.com, Inc., not a Pinterest network',
          95,
        ],
      ],
    ],
    [
      'DuckDuckBot, no ranges loaded',
      DUCKDUCKBOT,
      AWS,
      '20.191.45.212',
      [
        [
          'bot',
          "User agent claims to be DuckDuckBot (DuckDuckGo), which only DuckDuckGo's published crawler ranges can verify, and none are loaded",
          90,
        ],
      ],
    ],

    // With published ranges loaded: a shared cloud network no longer vouches by itself.
    [
      'AdsBot from Google Cloud, in the published ranges',
      ADSBOT_MOBILE,
      network(396982, 'Google LLC', ranges({ company: 'google', entry: '34.22.85.0/27' })),
      '34.22.85.1',
      [
        [
          'verified_bot',
          "AdsBot-Google-Mobile from 34.22.85.1, in Google's published range 34.22.85.0/27, is a verified Google Ads landing-page crawler",
          0,
        ],
      ],
    ],
    [
      'Googlebot from Google Cloud, outside the published ranges',
      GOOGLEBOT,
      network(396982, 'Google LLC', NOT_IN_RANGES),
      '34.1.2.3',
      [
        [
          'bot',
          "User agent claims to be Googlebot (Google) but comes from AS396982 Google LLC, a cloud network Google shares with its customers, outside Google's published crawler ranges",
          95,
        ],
      ],
    ],
    [
      'bingbot on Azure, outside the published ranges',
      BINGBOT,
      network(8075, 'Microsoft Corporation', NOT_IN_RANGES),
      '20.1.2.3',
      [
        [
          'bot',
          "User agent claims to be bingbot (Microsoft) but comes from AS8075 Microsoft Corporation, a cloud network Microsoft shares with its customers, outside Microsoft's published crawler ranges",
          95,
        ],
      ],
    ],
    [
      'bingbot in the published ranges',
      BINGBOT,
      network(8075, 'Microsoft Corporation', ranges({ company: 'microsoft', entry: '157.55.39.0/24' })),
      '157.55.39.1',
      [
        [
          'verified_bot',
          "bingbot from 157.55.39.1, in Microsoft's published range 157.55.39.0/24, is a verified search crawler",
          0,
        ],
      ],
    ],
    // Google's own network needs no list: nobody else sends from it.
    [
      'Googlebot from Google, outside the loaded ranges',
      GOOGLEBOT,
      network(15169, 'Google LLC', NOT_IN_RANGES),
      '66.249.66.1',
      [['verified_bot', 'Googlebot from AS15169 Google LLC is a verified search crawler', 0]],
    ],
    // A published range vouches for its own company only.
    [
      "Googlebot in Microsoft's published ranges",
      GOOGLEBOT,
      network(8075, 'Microsoft Corporation', ranges({ company: 'microsoft', entry: '157.55.39.0/24' })),
      '157.55.39.1',
      [
        [
          'bot',
          'User agent claims to be Googlebot (Google) but comes from AS8075 Microsoft Corporation, not a Google network',
          95,
        ],
      ],
    ],
    [
      'DuckDuckBot in its published ranges',
      DUCKDUCKBOT,
      network(8075, 'Microsoft Corporation', ranges({ company: 'duckduckgo', entry: '20.191.45.212' })),
      '20.191.45.212',
      [
        [
          'verified_bot',
          "DuckDuckBot from 20.191.45.212, in DuckDuckGo's published range 20.191.45.212, is a verified DuckDuckGo search crawler",
          0,
        ],
      ],
    ],
    [
      'DuckDuckBot outside its published ranges',
      DUCKDUCKBOT,
      network(16509, 'Amazon.com, Inc.', NOT_IN_RANGES),
      '3.3.3.3',
      [
        [
          'bot',
          'User agent claims to be DuckDuckBot (DuckDuckGo) but comes from AS16509 Amazon.com, Inc., not a DuckDuckGo network',
          95,
        ],
      ],
    ],
    [
      'Pinterest in the loaded ranges',
      PINTEREST,
      network(14618, 'Amazon.com, Inc.', ranges({ company: 'pinterest', entry: '54.236.3.0/24' })),
      '54.236.3.9',
      [
        [
          'verified_bot',
          "Pinterestbot from 54.236.3.9, in Pinterest's published range 54.236.3.0/24, is a verified Pinterest crawler",
          0,
        ],
      ],
    ],
    [
      'Applebot from Apple',
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)',
      network(714, 'Apple Inc.', NOT_IN_RANGES),
      '17.241.75.1',
      [['verified_bot', 'Applebot from AS714 Apple Inc. is a verified Apple search crawler', 0]],
    ],
    [
      'YandexDirect from Yandex',
      'Mozilla/5.0 (compatible; YandexDirect/3.0; +http://yandex.com/bots)',
      network(13238, 'YANDEX LLC'),
      '5.255.253.1',
      [['verified_bot', 'YandexDirect from AS13238 YANDEX LLC is a verified Yandex Direct landing-page crawler', 0]],
    ],

    // Which companies' ranges were looked in: DuckDuckGo's missing from them proves nothing.
    [
      'DuckDuckBot, only other companies’ ranges loaded',
      DUCKDUCKBOT,
      network(8075, 'Microsoft Corporation', { ...NOT_IN_RANGES, crawlerCompanies: ['google', 'microsoft', 'apple'] }),
      '20.191.45.212',
      [
        [
          'bot',
          "User agent claims to be DuckDuckBot (DuckDuckGo), which only DuckDuckGo's published crawler ranges can verify, and none are loaded",
          90,
        ],
      ],
    ],
    [
      'DuckDuckBot outside its loaded ranges',
      DUCKDUCKBOT,
      network(16509, 'Amazon.com, Inc.', { ...NOT_IN_RANGES, crawlerCompanies: ['google', 'duckduckgo'] }),
      '3.3.3.3',
      [
        [
          'bot',
          'User agent claims to be DuckDuckBot (DuckDuckGo) but comes from AS16509 Amazon.com, Inc., not a DuckDuckGo network',
          95,
        ],
      ],
    ],

    [
      'a browser claims nothing',
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0 Safari/537.36',
      GOOGLE,
      '66.249.66.1',
      [],
    ],
  ];
  for (const [name, userAgent, ip, address, expected] of cases) {
    it(name, () => {
      const input = makeInput({ visitor: { userAgent, ip: address }, ip });
      const signals = verifiedCrawlerRule.evaluate(input, { now: NOW, settings: DEFAULT_DETECTION_SETTINGS });
      assert.deepEqual(
        signals.map((s) => [s.type, s.message, s.score]),
        expected,
      );
    });
  }
});

describe('verified-crawler rule with forward-confirmed reverse DNS', () => {
  const answer = (names: string[], confirmed: string[] = [], error: string | null = null) => ({
    names,
    confirmed,
    error,
  });
  const cloud = network(396982, 'Google LLC', NOT_IN_RANGES);
  const azure = network(8075, 'Microsoft Corporation', NOT_IN_RANGES);
  const outsideGoogle =
    "User agent claims to be Googlebot (Google) but comes from AS396982 Google LLC, a cloud network Google shares with its customers, outside Google's published crawler ranges";
  const cases: [string, string, IpInfo, string, ReturnType<typeof answer> | undefined, [string, string, number]][] = [
    [
      'a confirmed googlebot.com name vouches, even on Google Cloud',
      GOOGLEBOT,
      cloud,
      '34.1.2.3',
      answer(['crawl-34-1-2-3.googlebot.com'], ['crawl-34-1-2-3.googlebot.com']),
      [
        'verified_bot',
        'Googlebot from 34.1.2.3 (crawl-34-1-2-3.googlebot.com, forward-confirmed reverse DNS) is a verified search crawler',
        0,
      ],
    ],
    [
      'a confirmed google.com name vouches for AdsBot',
      ADSBOT_MOBILE,
      cloud,
      '34.1.2.4',
      answer(['rate-limited-proxy-34-1-2-4.google.com'], ['rate-limited-proxy-34-1-2-4.google.com']),
      [
        'verified_bot',
        'AdsBot-Google-Mobile from 34.1.2.4 (rate-limited-proxy-34-1-2-4.google.com, forward-confirmed reverse DNS) is a verified Google Ads landing-page crawler',
        0,
      ],
    ],
    [
      'a Google Cloud VM’s own PTR name is not a crawler’s',
      GOOGLEBOT,
      cloud,
      '34.1.2.5',
      answer(['5.2.1.34.bc.googleusercontent.com'], ['5.2.1.34.bc.googleusercontent.com']),
      [
        'bot',
        `${outsideGoogle}; its reverse DNS name 5.2.1.34.bc.googleusercontent.com is outside googlebot.com and google.com`,
        95,
      ],
    ],
    [
      'a googlebot.com PTR that does not resolve back is a forgery',
      GOOGLEBOT,
      cloud,
      '34.1.2.6',
      answer(['crawl-66-249-66-1.googlebot.com']),
      ['bot', `${outsideGoogle}; its reverse DNS name crawl-66-249-66-1.googlebot.com does not resolve back to it`, 95],
    ],
    [
      'a lookalike domain is not under googlebot.com',
      GOOGLEBOT,
      cloud,
      '34.1.2.7',
      answer(
        ['crawl.evilgooglebot.com', 'crawl.googlebot.com.evil.example'],
        ['crawl.evilgooglebot.com', 'crawl.googlebot.com.evil.example'],
      ),
      [
        'bot',
        `${outsideGoogle}; its reverse DNS name crawl.evilgooglebot.com is outside googlebot.com and google.com`,
        95,
      ],
    ],
    [
      'no PTR name at all',
      GOOGLEBOT,
      cloud,
      '34.1.2.8',
      answer([]),
      ['bot', `${outsideGoogle}; it has no reverse DNS name`, 95],
    ],
    [
      'a lookup that timed out says nothing',
      GOOGLEBOT,
      cloud,
      '34.1.2.9',
      answer([], [], 'timeout'),
      ['bot', outsideGoogle, 95],
    ],
    [
      'a confirmed search.msn.com name vouches for bingbot on Azure',
      BINGBOT,
      azure,
      '20.1.2.3',
      answer(['msnbot-20-1-2-3.search.msn.com'], ['msnbot-20-1-2-3.search.msn.com']),
      [
        'verified_bot',
        'bingbot from 20.1.2.3 (msnbot-20-1-2-3.search.msn.com, forward-confirmed reverse DNS) is a verified search crawler',
        0,
      ],
    ],
    [
      'a confirmed name vouches for its own company only',
      GOOGLEBOT,
      azure,
      '20.1.2.4',
      answer(['msnbot-20-1-2-4.search.msn.com'], ['msnbot-20-1-2-4.search.msn.com']),
      [
        'bot',
        'User agent claims to be Googlebot (Google) but comes from AS8075 Microsoft Corporation, not a Google network; its reverse DNS name msnbot-20-1-2-4.search.msn.com is outside googlebot.com and google.com',
        95,
      ],
    ],
  ];
  for (const [name, userAgent, ip, address, reverseDns, expected] of cases) {
    it(name, () => {
      const input = {
        ...makeInput({ visitor: { userAgent, ip: address }, ip }),
        ...(reverseDns ? { reverseDns } : {}),
      };
      const signals = verifiedCrawlerRule.evaluate(input, { now: NOW, settings: DEFAULT_DETECTION_SETTINGS });
      assert.deepEqual(
        signals.map((s) => [s.type, s.message, s.score]),
        [expected],
      );
    });
  }
});
