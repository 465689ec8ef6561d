// The populations of the lander-tag benchmark (tag-run.ts): what each sends to the tracking URL, and
// what its page's tag reports (null: no beacon). Values are those real browsers report; the mix inside
// each automation population is stated here and in BENCHMARKS.md, so its recall can be read for what it is.

export type TagPopulationId =
  | 'automation_perfect_headers'
  | 'emulated_mobile'
  | 'time_zone_mismatch'
  | 'human_desktop'
  | 'human_mobile'
  | 'human_ad_blocked'
  | 'human_fast_leaver'
  | 'human_in_app';

export interface TagPopulation {
  readonly id: TagPopulationId;
  readonly label: string;
  /** True for automation or a borrowed address: counted in recall; false: a person, counted in false positives. */
  readonly invalid: boolean;
}

export const TAG_POPULATIONS: readonly TagPopulation[] = [
  {
    id: 'automation_perfect_headers',
    label: 'Automation, perfect headers, residential address',
    invalid: true,
  },
  { id: 'emulated_mobile', label: 'Emulated mobile on desktop hardware', invalid: true },
  { id: 'time_zone_mismatch', label: 'Time zone far from the address (proxy/VPN)', invalid: true },
  { id: 'human_desktop', label: 'People, desktop', invalid: false },
  { id: 'human_mobile', label: 'People, phones', invalid: false },
  { id: 'human_ad_blocked', label: 'People, ad blocker (no beacon)', invalid: false },
  { id: 'human_fast_leaver', label: 'People, fast leavers (beacon at 50-400 ms, no events)', invalid: false },
  { id: 'human_in_app', label: 'People, in-app browsers (Facebook, Instagram)', invalid: false },
];

export interface TagVisit {
  readonly population: TagPopulationId;
  readonly ip: string;
  readonly headers: Record<string, string>;
  /** The beacon's body without click_id; null: the page's tag never ran. */
  readonly beacon: Record<string, unknown> | null;
}

/** A small seeded generator (mulberry32): the same seed gives the same traffic. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const CHROME_VERSION = '131.0.0.0';
const DESKTOP_UAS = [
  `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${CHROME_VERSION} Safari/537.36`,
  `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${CHROME_VERSION} Safari/537.36`,
];
const IPHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const ANDROID_UA = `Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${CHROME_VERSION} Mobile Safari/537.36`;
const FACEBOOK_IOS_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/470.0.0.37.107;FBBV/634571011;FBDV/iPhone15,2;FBMD/iPhone;FBSN/iOS;FBSV/17.5;FBSS/3;FBCR/;FBID/phone;FBLC/en_US;FBOP/80]';
const INSTAGRAM_ANDROID_UA = `Mozilla/5.0 (Linux; Android 14; SM-S918B Build/UP1A.231005.007; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/${CHROME_VERSION} Mobile Safari/537.36 Instagram 357.0.0.25.101 Android (34/14; 450dpi; 1080x2340; samsung; SM-S918B; dm3q; qcom; en_US; 658125130)`;

/** A navigation's headers over plain http (no Sec-Fetch-*, no client hints: those go to secure origins only). */
function headersOf(userAgent: string, language: string): Record<string, string> {
  return {
    'user-agent': userAgent,
    accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8',
    'accept-language': `${language},en;q=0.9`,
    'accept-encoding': 'gzip, deflate, br',
  };
}

/** Residential ranges (Comcast, Deutsche Telekom, BT, Orange France) with each visit in its own /24. */
const PLACES = [
  {
    country: 'US',
    zone: 'America/Chicago',
    offset: -360,
    language: 'en-US',
    ip: (i: number) => `73.${(i >> 8) & 255}.${i & 255}.7`,
  },
  {
    country: 'DE',
    zone: 'Europe/Berlin',
    offset: 60,
    language: 'de-DE',
    ip: (i: number) => `84.${128 + ((i >> 8) & 63)}.${i & 255}.9`,
  },
  {
    country: 'GB',
    zone: 'Europe/London',
    offset: 0,
    language: 'en-GB',
    ip: (i: number) => `86.${128 + ((i >> 8) & 63)}.${i & 255}.11`,
  },
  {
    country: 'FR',
    zone: 'Europe/Paris',
    offset: 60,
    language: 'fr-FR',
    ip: (i: number) => `86.${192 + ((i >> 8) & 31)}.${i & 255}.13`,
  },
] as const;

/** Where proxy users really are: zones hours away from every place above. */
const FAR_ZONES = [
  { zone: 'Asia/Ho_Chi_Minh', offset: 420 },
  { zone: 'Asia/Manila', offset: 480 },
  { zone: 'Asia/Dhaka', offset: 360 },
  { zone: 'Asia/Karachi', offset: 300 },
  { zone: 'Asia/Jakarta', offset: 420 },
];

const DESKTOP_SCREENS = [
  [1920, 1080],
  [1536, 864],
  [1440, 900],
  [2560, 1440],
  [1366, 768],
] as const;
const PHONE_SCREENS = [
  [393, 852],
  [390, 844],
  [412, 915],
  [360, 800],
  [430, 932],
] as const;

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function facts(
  random: () => number,
  place: (typeof PLACES)[number],
  screen: readonly [number, number],
  touch: number,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    page_view_id: `pv${Math.floor(random() * 1e12).toString(36)}x`,
    webdriver: false,
    time_zone: place.zone,
    utc_offset_minutes: place.offset,
    languages: [place.language, 'en'],
    screen_width: screen[0],
    screen_height: screen[1],
    viewport_width: screen[0],
    viewport_height: Math.round(screen[1] * 0.85),
    touch_points: touch,
    hardware_concurrency: pick(random, [4, 6, 8, 8, 12, 16]),
    visible: true,
    time_on_page_ms: 2_000 + Math.floor(random() * 60_000),
    pointer_events: 5 + Math.floor(random() * 80),
    scroll_events: Math.floor(random() * 30),
    key_events: Math.floor(random() * 5),
    ...overrides,
  };
}

/**
 * One visit of the population. Automation mixes:
 * - perfect headers: 70 % WebDriver default (Selenium, Playwright, Puppeteer), 20 % old headless marks
 *   (no languages, or a 0×0 screen), 10 % stealth (every mark patched away: nothing a tag can see);
 * - emulated mobiles: 60 % user agent switched only (desktop screen, no touch), 25 % touch emulated on a
 *   desktop screen, 10 % full device emulation under WebDriver, 5 % full emulation with the flag hidden.
 */
export function visitOf(population: TagPopulationId, i: number, random: () => number): TagVisit {
  const place = PLACES[i % PLACES.length]!;
  const ip = place.ip(i);
  const desktopUa = pick(random, DESKTOP_UAS);
  const desktopScreen = pick(random, DESKTOP_SCREENS);
  const phoneScreen = pick(random, PHONE_SCREENS);
  const roll = random();
  switch (population) {
    case 'automation_perfect_headers': {
      const marks =
        roll < 0.7
          ? { webdriver: true }
          : roll < 0.8
            ? { languages: [] }
            : roll < 0.9
              ? { screen_width: 0, screen_height: 0 }
              : {};
      const quick = {
        time_on_page_ms: 200 + Math.floor(random() * 800),
        pointer_events: 0,
        scroll_events: 0,
        key_events: 0,
      };
      return {
        population,
        ip,
        headers: headersOf(desktopUa, place.language),
        beacon: facts(random, place, desktopScreen, 0, { ...quick, ...marks }),
      };
    }
    case 'emulated_mobile': {
      const ua = random() < 0.5 ? IPHONE_UA : ANDROID_UA;
      const beacon =
        roll < 0.6
          ? facts(random, place, desktopScreen, 0)
          : roll < 0.85
            ? facts(random, place, desktopScreen, 1)
            : roll < 0.95
              ? facts(random, place, phoneScreen, 5, { webdriver: true })
              : facts(random, place, phoneScreen, 5);
      return { population, ip, headers: headersOf(ua, place.language), beacon };
    }
    case 'time_zone_mismatch': {
      const far = pick(random, FAR_ZONES);
      return {
        population,
        ip,
        headers: headersOf(desktopUa, 'en-US'),
        beacon: facts(random, place, desktopScreen, 0, {
          time_zone: far.zone,
          utc_offset_minutes: far.offset,
          languages: ['en-US'],
        }),
      };
    }
    case 'human_desktop': {
      // One in five is a traveller or a neighbour: a zone an hour or two from home.
      const shift = roll < 0.2 ? { utc_offset_minutes: place.offset + (random() < 0.5 ? 60 : -60) } : {};
      return {
        population,
        ip,
        headers: headersOf(desktopUa, place.language),
        beacon: facts(random, place, desktopScreen, roll < 0.1 ? 10 : 0, shift),
      };
    }
    case 'human_mobile': {
      const ua = random() < 0.5 ? IPHONE_UA : ANDROID_UA;
      const landscape = roll < 0.1;
      const screen = landscape ? ([phoneScreen[1], phoneScreen[0]] as const) : phoneScreen;
      return { population, ip, headers: headersOf(ua, place.language), beacon: facts(random, place, screen, 5) };
    }
    case 'human_ad_blocked':
      return {
        population,
        ip,
        headers: headersOf(random() < 0.5 ? desktopUa : IPHONE_UA, place.language),
        beacon: null,
      };
    case 'human_fast_leaver': {
      const mobile = random() < 0.5;
      return {
        population,
        ip,
        headers: headersOf(mobile ? ANDROID_UA : desktopUa, place.language),
        beacon: facts(random, place, mobile ? phoneScreen : desktopScreen, mobile ? 5 : 0, {
          time_on_page_ms: 50 + Math.floor(random() * 350),
          pointer_events: 0,
          scroll_events: 0,
          key_events: 0,
          visible: random() < 0.7,
        }),
      };
    }
    case 'human_in_app': {
      const ios = random() < 0.5;
      return {
        population,
        ip,
        headers: headersOf(ios ? FACEBOOK_IOS_UA : INSTAGRAM_ANDROID_UA, place.language),
        beacon: facts(random, place, phoneScreen, 5, { time_on_page_ms: 800 + Math.floor(random() * 20_000) }),
      };
    }
  }
}
