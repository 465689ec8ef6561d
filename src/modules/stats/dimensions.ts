import type { ClickRow } from '../clicks/click.table.ts';

/** The dimensions rollups are kept for; '' is the total. */
export const STORED_DIMENSIONS = [
  'country',
  'device',
  'os',
  'browser',
  'city',
  'asn',
  'referrer',
  'sub1',
  'sub2',
  'sub3',
  'sub4',
  'sub5',
  // The zone, site or publisher a traffic source's click came from (its placement_param): placement reports.
  'placement',
  // A campaign's flow (SPEC section 8): which offer, lander, rule and path (rule #n) the click took.
  'offer',
  'lander',
  'rule',
  'path',
  'sub6',
  'sub7',
  'sub8',
  'sub9',
  'sub10',
] as const;
export type StoredDimension = (typeof STORED_DIMENSIONS)[number];
export const TOTAL = '';

/**
 * Kept for conversions only (SPEC section 7's `event`): a conversion adds its conversions and revenue
 * under its event's name on its click's day; no click is counted there, so clicks and cost read 0.
 */
export const CONVERSION_DIMENSIONS = ['event'] as const;
export type ConversionDimension = (typeof CONVERSION_DIMENSIONS)[number];

/** Read from the totals' hours, in the caller's time zone. */
export const TIME_DIMENSIONS = ['hour', 'day'] as const;
export type TimeDimension = (typeof TIME_DIMENSIONS)[number];

export const ANALYTICS_DIMENSIONS = [...STORED_DIMENSIONS, ...CONVERSION_DIMENSIONS, ...TIME_DIMENSIONS] as const;
export type AnalyticsDimension = (typeof ANALYTICS_DIMENSIONS)[number];

export type ClickDimensions = Pick<
  ClickRow,
  | 'country'
  | 'city'
  | 'device'
  | 'os'
  | 'browser'
  | 'asn'
  | 'as_org'
  | 'referrer'
  | 'sub1'
  | 'sub2'
  | 'sub3'
  | 'sub4'
  | 'sub5'
  | 'sub6'
  | 'sub7'
  | 'sub8'
  | 'sub9'
  | 'sub10'
  | 'placement'
> &
  // Optional: clicks of campaigns without a flow (and rows written before flows) have none.
  Partial<Pick<ClickRow, 'offer_id' | 'lander_id' | 'rule' | 'path'>>;

/** Sub ids are free text from the ad: long ones are cut so one visitor cannot bloat the rollups. */
export const MAX_VALUE_LENGTH = 200;

function referrerDomain(referrer: string | null): string {
  if (!referrer) return '';
  try {
    return new URL(referrer).hostname.replace(/^www\./, '');
  } catch {
    return '';
  }
}

/**
 * A city as a report shows it, before the cut: a name alone is ambiguous (Springfield), so its country goes with
 * it; no name is none (''), whatever the country. The columnar copy's top read keys a city row by the same text
 * in SQL (report-columns/column-store.ts CITY_ROW).
 */
export function cityWithCountry(
  city: string | number | null | undefined,
  country: string | number | null | undefined,
): string {
  return city === null || city === undefined || city === '' ? '' : `${city}, ${country ?? '??'}`;
}

/**
 * The values a click has in the stored dimensions, in STORED_DIMENSIONS order ('' for none), written into
 * `out`: the rollup writer reuses one array for a whole batch instead of an object of 24 keys per click.
 */
export function fillDimensionValues(click: ClickDimensions, out: string[]): string[] {
  const cut = (value: string | null) => (value ?? '').slice(0, MAX_VALUE_LENGTH);
  out[0] = cut(click.country);
  out[1] = cut(click.device);
  out[2] = cut(click.os);
  out[3] = cut(click.browser);
  out[4] = cut(cityWithCountry(click.city, click.country));
  out[5] = click.asn === null ? '' : cut(`AS${click.asn}${click.as_org ? ` ${click.as_org}` : ''}`);
  out[6] = cut(referrerDomain(click.referrer));
  out[7] = cut(click.sub1);
  out[8] = cut(click.sub2);
  out[9] = cut(click.sub3);
  out[10] = cut(click.sub4);
  out[11] = cut(click.sub5);
  // Not cut below what a click stores (STORED_LIMITS.valueChars): the exclusion list must name the
  // placement exactly as the network sent it, or the network will not match the entry.
  out[12] = click.placement ?? '';
  out[13] = click.offer_id == null ? '' : String(click.offer_id);
  out[14] = click.lander_id == null ? '' : String(click.lander_id);
  out[15] = cut(click.rule ?? null);
  // Path numbers repeat across rules: the rule's name makes the value one path of the flow.
  out[16] = click.rule == null || click.path == null ? '' : cut(`${click.rule} #${click.path}`);
  out[17] = cut(click.sub6);
  out[18] = cut(click.sub7);
  out[19] = cut(click.sub8);
  out[20] = cut(click.sub9);
  out[21] = cut(click.sub10);
  return out;
}

/** The value a click has in each stored dimension ('' for none). */
export function dimensionValues(click: ClickDimensions): Record<StoredDimension, string> {
  const list = fillDimensionValues(click, []);
  const values = {} as Record<StoredDimension, string>;
  STORED_DIMENSIONS.forEach((dimension, i) => (values[dimension] = list[i]!));
  return values;
}
