/**
 * Crawlers that ad platforms and search engines send to check landing pages, and that say who they
 * are. One is "verified" only when it also comes from its company's network: the user agent alone
 * is free to copy, the network is not.
 *
 * Order matters: the first matching pattern names the claim, so longer names come first.
 * Patterns are case-sensitive on purpose: the real crawlers spell their names exactly, and a
 * case-insensitive "Twitterbot" would also match Telegram's "TwitterBot".
 */
export interface VerifiedCrawler {
  /** Shown in reasons. */
  readonly name: string;
  readonly pattern: RegExp;
  readonly company: string;
  /** Completes "… is a verified ___". */
  readonly purpose: string;
  /** Autonomous systems the company crawls from. */
  readonly asns: readonly number[];
  /** Published address ranges, for a company that crawls from a network anyone can rent. */
  readonly ranges?: readonly string[];
}

/**
 * 15169 is Google's own network. 396982 is Google Cloud, where Google runs some fetchers; cloud
 * customers share it, so a spoofer on a Google Cloud VM passes too. Checking Google's published
 * crawler ranges (googlebot.json, special-crawlers.json) through `ranges` would close that gap.
 */
const GOOGLE = [15169, 396982];
/** 8075 also carries Azure customers: the same caveat as Google Cloud. */
const MICROSOFT = [8075];
const META = [32934];

export const VERIFIED_CRAWLERS: readonly VerifiedCrawler[] = [
  // Google Ads fetches every mobile landing page before and while an ad runs; refusing it disapproves the ad.
  { name: 'AdsBot-Google-Mobile', pattern: /AdsBot-Google-Mobile/, company: 'Google', purpose: 'Google Ads landing-page crawler', asns: GOOGLE },
  // The desktop variant of the same landing-page check.
  { name: 'AdsBot-Google', pattern: /AdsBot-Google/, company: 'Google', purpose: 'Google Ads landing-page crawler', asns: GOOGLE },
  // AdSense reads pages to pick relevant ads; it follows tracking links placed on publisher sites.
  { name: 'Mediapartners-Google', pattern: /Mediapartners-Google/, company: 'Google', purpose: 'AdSense crawler', asns: GOOGLE },
  // Checks product pages behind Shopping ads and Merchant Center listings.
  { name: 'Storebot-Google', pattern: /Storebot-Google/, company: 'Google', purpose: 'Google Shopping crawler', asns: GOOGLE },
  // Search Console's "test live URL": an advertiser testing their own tracking link.
  { name: 'Google-InspectionTool', pattern: /Google-InspectionTool/, company: 'Google', purpose: 'Search Console inspection crawler', asns: GOOGLE },
  // Also matches Googlebot-Image/-Video/-News, all Google's own.
  { name: 'Googlebot', pattern: /Googlebot/, company: 'Google', purpose: 'search crawler', asns: GOOGLE },
  // Microsoft Advertising's landing-page check, Bing's AdsBot.
  { name: 'AdIdxBot', pattern: /AdIdxBot/, company: 'Microsoft', purpose: 'Microsoft Advertising landing-page crawler', asns: MICROSOFT },
  // Retired by Bing in 2022 but still seen in the wild; genuine only from Microsoft.
  { name: 'BingPreview', pattern: /BingPreview/, company: 'Microsoft', purpose: 'Bing page-snapshot crawler', asns: MICROSOFT },
  { name: 'bingbot', pattern: /bingbot/, company: 'Microsoft', purpose: 'search crawler', asns: MICROSOFT },
  // Meta's ad-review and link crawler. iMessage previews also send "facebookexternalhit … Twitterbot"
  // from Apple's network; the tracker answers those as link previews before detection runs.
  { name: 'facebookexternalhit', pattern: /facebookexternalhit/, company: 'Meta', purpose: 'Meta ad-review crawler', asns: META },
  // Fetches product pages for Meta's catalog and dynamic product ads.
  { name: 'facebookcatalog', pattern: /facebookcatalog/, company: 'Meta', purpose: 'Meta catalog crawler', asns: META },
  // Meta's general crawler (AI and search indexing). Not ad review, but it is Meta fetching from Meta:
  // counting it as fraud would put Meta's own network into refund claims. Spoofed, it is still fraud.
  { name: 'meta-externalagent', pattern: /meta-externalagent/, company: 'Meta', purpose: 'Meta crawler', asns: META },
  // X fetches cards for promoted posts. 13414 is Twitter's own network.
  { name: 'Twitterbot', pattern: /Twitterbot/, company: 'X', purpose: 'X card crawler', asns: [13414] },
  // Pinterest crawls from AWS, which anyone can rent, so its ASN proves nothing: Pinterest documents
  // 54.236.1.0/24 as its crawler range. A genuine Pinterestbot outside it is counted as fake.
  { name: 'Pinterestbot', pattern: /Pinterestbot|^Pinterest\/\d/, company: 'Pinterest', purpose: 'Pinterest crawler', asns: [], ranges: ['54.236.1.0/24'] },
  // LinkedIn ads review and link previews, from LinkedIn's own network.
  { name: 'LinkedInBot', pattern: /LinkedInBot/, company: 'LinkedIn', purpose: 'LinkedIn crawler', asns: [14413] },
  // Deliberately absent: Bytespider. It is ByteDance's content scraper, not TikTok's ad review (which
  // does not announce itself), is widely spoofed, and ignores robots.txt: it stays an ordinary bot.
];
