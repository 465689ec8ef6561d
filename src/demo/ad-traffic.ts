/**
 * What an ad platform adds to a click: its click id and the sub-parameters of the tracking template,
 * the referrer its surfaces send, and which browsers its audience uses.
 */
import type { BrowserKind } from './browsers.ts';
import { randomString, type Random } from './random.ts';
import type { Platform, SimCampaign } from './types.ts';

const KEYWORDS = [
  'running shoes',
  'buy running shoes',
  'trail shoes sale',
  'best marathon shoes',
  'laufschuhe',
  'chaussures running',
  'zapatillas running',
  'wide fit trainers',
];
const PLACEMENTS = [
  'Facebook_Mobile_Feed',
  'Instagram_Feed',
  'Instagram_Stories',
  'Instagram_Reels',
  'Facebook_Marketplace',
  'Audience_Network',
];

export function platformClickId(random: Random, platform: Platform): [string, string] {
  switch (platform) {
    case 'google':
      return ['gclid', `Cj0KCQiA${randomString(random, 60)}_BwE`];
    case 'meta':
      return [
        'fbclid',
        `IwZXh0bgNhZW0BMAABH${randomString(random, 58, 'base64url')}_aem_${randomString(random, 22, 'base64url')}`,
      ];
    case 'tiktok':
      return ['ttclid', `E.C.P.${randomString(random, 48, 'base64url')}`];
    case 'microsoft':
      return ['msclkid', randomString(random, 32).toLowerCase()];
  }
}

/** A tracking-template query as the platform expands it: click id, sub1…sub5, UTM tags. */
export function adQuery(
  random: Random,
  campaign: SimCampaign,
  options: { clickId?: boolean; device?: 'desktop' | 'mobile' | 'tablet' } = {},
): string {
  const params = new URLSearchParams();
  if (options.clickId !== false) params.set(...platformClickId(random, campaign.platform));
  const device = options.device === 'mobile' ? 'm' : options.device === 'tablet' ? 't' : 'c';
  if (campaign.platform === 'meta') {
    params.set('sub1', `adset_${random.int(1, 6)}`);
    params.set('sub2', `ad_${random.int(100, 120)}`);
    params.set('sub3', random.pick(PLACEMENTS));
    params.set('utm_source', 'facebook');
    params.set('utm_medium', 'paid_social');
  } else {
    params.set('sub1', `ag_${random.int(1, 8)}`);
    params.set('sub2', random.pick(KEYWORDS));
    params.set(
      'sub3',
      random.weighted([
        ['g', 70],
        ['s', 10],
        ['d', 15],
        ['ytv', 5],
      ]),
    );
    params.set('sub4', String(random.int(690000000000, 690000000040)));
    params.set('sub5', device);
    params.set('utm_source', campaign.platform);
    params.set('utm_medium', 'cpc');
  }
  return params.toString();
}

const GOOGLE_DOMAIN: Readonly<Record<string, string>> = {
  US: 'google.com',
  CA: 'google.ca',
  GB: 'google.co.uk',
  DE: 'google.de',
  FR: 'google.fr',
  ES: 'google.es',
  IT: 'google.it',
  JP: 'google.co.jp',
  IN: 'google.co.in',
  AU: 'google.com.au',
  BR: 'google.com.br',
};

/**
 * The Referer of a click on the platform's ad; browsers send only the origin across sites
 * (strict-origin-when-cross-origin). Null: no Referer (an app opened the link).
 */
export function adReferer(
  random: Random,
  platform: Platform,
  browser: BrowserKind,
  country: string | null,
): string | null {
  if (platform === 'meta') {
    if (browser === 'facebook-android' || browser === 'facebook-ios') return 'http://m.facebook.com/';
    if (browser === 'instagram-android' || browser === 'instagram-ios')
      return random.chance(0.3) ? 'https://l.instagram.com/' : null;
    if (
      browser.endsWith('-windows') ||
      browser.endsWith('-mac') ||
      browser === 'chrome-linux' ||
      browser === 'chrome-chromeos'
    )
      return 'https://www.facebook.com/';
    return random.weighted([
      ['https://m.facebook.com/', 50],
      ['https://l.facebook.com/', 30],
      [null, 20],
    ]);
  }
  if (platform === 'tiktok') return random.chance(0.8) ? null : 'https://www.tiktok.com/';
  if (platform === 'microsoft') return 'https://www.bing.com/';
  const search = `https://www.${GOOGLE_DOMAIN[country ?? 'US'] ?? 'google.com'}/`;
  const fromApp = browser === 'chrome-android' ? 'android-app://com.google.android.googlequicksearchbox/' : null;
  return random.weighted<string | null>([
    [search, 78],
    ['https://www.youtube.com/', 4],
    ['https://googleads.g.doubleclick.net/', 4],
    ['https://tpc.googlesyndication.com/', 3],
    [fromApp ?? search, 3],
    [null, 8],
  ]);
}

/** Share of phones that are iPhones, per country (the rest Android). */
const IOS_SHARE: Readonly<Record<string, number>> = {
  US: 0.57,
  CA: 0.55,
  GB: 0.5,
  AU: 0.55,
  DE: 0.36,
  FR: 0.33,
  ES: 0.22,
  IT: 0.28,
  JP: 0.66,
  IN: 0.05,
  BR: 0.15,
  BD: 0.03,
  VN: 0.2,
  ID: 0.1,
  PH: 0.12,
};

export function pickBrowserKind(
  random: Random,
  platform: Platform,
  country: string | null,
  form: 'desktop' | 'mobile',
): BrowserKind {
  if (form === 'desktop') {
    const apple = country === 'US' || country === 'GB' || country === 'AU' || country === 'JP' ? 1.5 : 1;
    return random.weighted<BrowserKind>([
      ['chrome-windows', 46],
      ['edge-windows', 12],
      ['chrome-mac', 10 * apple],
      ['safari-mac', 9 * apple],
      ['firefox-windows', 6],
      ['firefox-mac', 1],
      ['chrome-linux', 1],
      ['chrome-chromeos', country === 'US' ? 3 : 0.5],
      ['safari-ipad', 5 * apple],
    ]);
  }
  const ios = random.chance(IOS_SHARE[country ?? 'US'] ?? 0.3);
  if (platform === 'meta') {
    return ios
      ? random.weighted<BrowserKind>([
          ['facebook-ios', 45],
          ['instagram-ios', 22],
          ['safari-iphone', 28],
          ['chrome-ios', 5],
        ])
      : random.weighted<BrowserKind>([
          ['facebook-android', 45],
          ['instagram-android', 20],
          ['chrome-android', 28],
          ['samsung-android', 7],
        ]);
  }
  return ios
    ? random.weighted<BrowserKind>([
        ['safari-iphone', 85],
        ['chrome-ios', 15],
      ])
    : random.weighted<BrowserKind>([
        ['chrome-android', 78],
        ['samsung-android', 17],
        ['firefox-android', 5],
      ]);
}

export function pickCampaign(random: Random, campaigns: readonly SimCampaign[]): SimCampaign {
  return random.weighted(campaigns.map((campaign) => [campaign, campaign.weight] as const));
}

export function pickCountry(random: Random, campaign: SimCampaign, among?: ReadonlySet<string>): string {
  const choices = among ? campaign.countries.filter(([country]) => among.has(country)) : campaign.countries;
  return random.weighted(choices.length > 0 ? choices : campaign.countries);
}
