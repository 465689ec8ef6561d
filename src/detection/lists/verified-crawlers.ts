/**
 * Crawlers that ad platforms and search engines send to check landing pages, and that say who they
 * are. One is "verified" only when it also comes from its company's addresses: the user agent alone
 * is free to copy, the network is not.
 *
 * Order matters: the first matching pattern names the claim, so longer names come first.
 * Patterns are case-sensitive on purpose: the real crawlers spell their names exactly, and a
 * case-insensitive "Twitterbot" would also match Telegram's "TwitterBot".
 */

/**
 * Lower-case company ids. `IpReputation.crawler.company` (filled by `cloakradar intel update` from the
 * ranges each company publishes) uses the same ids, so a published range only vouches for its own
 * company's crawlers.
 */
export type CrawlerCompany =
  'google' | 'microsoft' | 'meta' | 'apple' | 'twitter' | 'pinterest' | 'linkedin' | 'duckduckgo' | 'yandex';

/** How reasons name each company. */
export const CRAWLER_COMPANY_NAMES: Readonly<Record<CrawlerCompany, string>> = {
  google: 'Google',
  microsoft: 'Microsoft',
  meta: 'Meta',
  apple: 'Apple',
  twitter: 'X',
  pinterest: 'Pinterest',
  linkedin: 'LinkedIn',
  duckduckgo: 'DuckDuckGo',
  yandex: 'Yandex',
};

export interface VerifiedCrawler {
  /** Shown in reasons. */
  readonly name: string;
  readonly pattern: RegExp;
  readonly company: CrawlerCompany;
  /** Completes "… is a verified ___". */
  readonly purpose: string;
  /** Autonomous systems only the company uses: any address in them is the company's. */
  readonly asns: readonly number[];
  /**
   * The company's cloud networks, which also carry its customers' machines. The network alone never
   * vouches: an address there is the company's crawler only in its published ranges or by reverse
   * DNS. Listed so that a reason can say whose cloud an impostor rents.
   */
  readonly sharedAsns?: readonly number[];
  /** Published crawler ranges built in, for a company that crawls from a network anyone can rent. */
  readonly ranges?: readonly string[];
  /**
   * Domains the company documents for verifying its crawler by forward-confirmed reverse DNS: the
   * address's PTR name ends in one of them and resolves back to the address.
   */
  readonly reverseDns?: readonly string[];
}

/**
 * 15169 is Google's own network. 396982 is Google Cloud, where Google runs some crawlers (the /28s in
 * googlebot.json) but which anyone can rent. Google's "Verifying Googlebot" names googlebot.com and
 * google.com for reverse DNS; googleusercontent.com is left out on purpose: every Google Cloud VM has a
 * PTR name there (…bc.googleusercontent.com), and only Google's user-triggered fetchers use it.
 */
const GOOGLE = {
  company: 'google',
  asns: [15169],
  sharedAsns: [396982],
  reverseDns: ['googlebot.com', 'google.com'],
} as const;
/** Bing crawls from 8075, which is also where Azure customers' machines live; Bing documents search.msn.com. */
const MICROSOFT = { company: 'microsoft', asns: [], sharedAsns: [8075], reverseDns: ['search.msn.com'] } as const;
const META = { company: 'meta', asns: [32934] } as const;
/** 714 is Apple's own network (17.0.0.0/8); Apple documents applebot.apple.com for reverse DNS. */
const APPLE = { company: 'apple', asns: [714], reverseDns: ['applebot.apple.com'] } as const;
/** 13238 is Yandex's own network; its cloud (200350) is for rent and is not listed. */
const YANDEX = { company: 'yandex', asns: [13238], reverseDns: ['yandex.ru', 'yandex.net', 'yandex.com'] } as const;

export const VERIFIED_CRAWLERS: readonly VerifiedCrawler[] = [
  // Google Ads fetches every mobile landing page before and while an ad runs; refusing it disapproves the ad.
  {
    name: 'AdsBot-Google-Mobile',
    pattern: /AdsBot-Google-Mobile/,
    purpose: 'Google Ads landing-page crawler',
    ...GOOGLE,
  },
  // The desktop variant of the same landing-page check.
  { name: 'AdsBot-Google', pattern: /AdsBot-Google/, purpose: 'Google Ads landing-page crawler', ...GOOGLE },
  // AdSense reads pages to pick relevant ads; it follows tracking links placed on publisher sites.
  { name: 'Mediapartners-Google', pattern: /Mediapartners-Google/, purpose: 'AdSense crawler', ...GOOGLE },
  // Checks product pages behind Shopping ads and Merchant Center listings.
  { name: 'Storebot-Google', pattern: /Storebot-Google/, purpose: 'Google Shopping crawler', ...GOOGLE },
  // Search Console's "test live URL": an advertiser testing their own tracking link.
  {
    name: 'Google-InspectionTool',
    pattern: /Google-InspectionTool/,
    purpose: 'Search Console inspection crawler',
    ...GOOGLE,
  },
  // Google's general-purpose fetcher for its product teams; Google's, so never fraud when genuine.
  { name: 'GoogleOther', pattern: /GoogleOther/, purpose: 'Google crawler', ...GOOGLE },
  // Also matches Googlebot-Image/-Video/-News, all Google's own.
  { name: 'Googlebot', pattern: /Googlebot/, purpose: 'search crawler', ...GOOGLE },
  // Microsoft Advertising's landing-page check, Bing's AdsBot. Microsoft documents it in lower case
  // ("compatible; adidxbot/2.0; +http://www.bing.com/bingbot.htm"), which also holds "bingbot".
  {
    name: 'AdIdxBot',
    pattern: /AdIdxBot|adidxbot/,
    purpose: 'Microsoft Advertising landing-page crawler',
    ...MICROSOFT,
  },
  // Retired by Bing in 2022 but still seen in the wild; genuine only from Microsoft.
  { name: 'BingPreview', pattern: /BingPreview/, purpose: 'Bing page-snapshot crawler', ...MICROSOFT },
  { name: 'bingbot', pattern: /bingbot/, purpose: 'search crawler', ...MICROSOFT },
  // iMessage link previews announce "facebookexternalhit/1.1 Facebot Twitterbot/1.0" from Apple's
  // network. The tracker answers them as link previews before detection runs; listed ahead of
  // facebookexternalhit so that, should one reach detection, it is judged as Apple's and not as a fake Meta.
  { name: 'iMessage link preview', pattern: /Facebot Twitterbot/, purpose: 'Apple link-preview fetcher', ...APPLE },
  // Meta's ad-review and link crawler.
  { name: 'facebookexternalhit', pattern: /facebookexternalhit/, purpose: 'Meta ad-review crawler', ...META },
  // Fetches product pages for Meta's catalog and dynamic product ads.
  { name: 'facebookcatalog', pattern: /facebookcatalog/, purpose: 'Meta catalog crawler', ...META },
  // Fetches a link a person asked for inside Meta's products (its AI assistant, for one).
  { name: 'meta-externalfetcher', pattern: /meta-externalfetcher/, purpose: 'Meta fetcher', ...META },
  // Meta's general crawler (AI and search indexing). Not ad review, but it is Meta fetching from Meta:
  // counting it as fraud would put Meta's own network into refund claims. Spoofed, it is still fraud.
  { name: 'meta-externalagent', pattern: /meta-externalagent/, purpose: 'Meta crawler', ...META },
  // Siri and Spotlight suggestions; Apple publishes its ranges (applebot.json), all inside its own network.
  { name: 'Applebot', pattern: /Applebot/, purpose: 'Apple search crawler', ...APPLE },
  // X fetches cards for promoted posts. 13414 is Twitter's own network.
  { name: 'Twitterbot', pattern: /Twitterbot/, company: 'twitter', purpose: 'X card crawler', asns: [13414] },
  // Pinterest crawls from AWS, which anyone can rent, so its ASN proves nothing: Pinterest documents
  // 54.236.1.0/24 as its crawler range. A genuine Pinterestbot outside it is counted as fake.
  {
    name: 'Pinterestbot',
    pattern: /Pinterestbot|^Pinterest\/\d/,
    company: 'pinterest',
    purpose: 'Pinterest crawler',
    asns: [],
    ranges: ['54.236.1.0/24'],
  },
  // LinkedIn ads review and link previews, from LinkedIn's own network.
  { name: 'LinkedInBot', pattern: /LinkedInBot/, company: 'linkedin', purpose: 'LinkedIn crawler', asns: [14413] },
  // DuckDuckGo has no network of its own: only its published address list (duckduckbot.json) can vouch for it.
  {
    name: 'DuckDuckBot',
    pattern: /DuckDuckBot/,
    company: 'duckduckgo',
    purpose: 'DuckDuckGo search crawler',
    asns: [],
  },
  // Yandex Direct (Yandex's ad network) checks ad landing pages.
  { name: 'YandexDirect', pattern: /YandexDirect/, purpose: 'Yandex Direct landing-page crawler', ...YANDEX },
  { name: 'YandexBot', pattern: /YandexBot|YandexMobileBot/, purpose: 'search crawler', ...YANDEX },
  // Deliberately absent:
  // - Bytespider: ByteDance's content scraper, not TikTok's ad review (which does not announce itself);
  //   widely spoofed and it ignores robots.txt. TikTokSpider, TikTok's link-preview fetcher, has no
  //   published network or ranges to verify it by. Both stay ordinary bots.
  // - Baiduspider: it also crawls from China Telecom and China Unicom addresses that only reverse DNS
  //   can tell from their other customers, and Baidu publishes no ranges, so a genuine one could not be
  //   told from a fake: it stays an ordinary bot rather than being called an impostor.
];

/** Every domain some crawler's reverse DNS may end in: other PTR names are never worth a forward lookup. */
export const CRAWLER_DNS_DOMAINS: readonly string[] = Object.freeze([
  ...new Set(VERIFIED_CRAWLERS.flatMap((crawler) => crawler.reverseDns ?? [])),
]);
