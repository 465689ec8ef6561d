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
  'sub6',
  'sub7',
  'sub8',
  'sub9',
  'sub10',
] as const;
export type StoredDimension = (typeof STORED_DIMENSIONS)[number];
export const TOTAL = '';

/** Read from the totals' hours, in the caller's time zone. */
export const TIME_DIMENSIONS = ['hour', 'day'] as const;
export type TimeDimension = (typeof TIME_DIMENSIONS)[number];

export const ANALYTICS_DIMENSIONS = [...STORED_DIMENSIONS, ...TIME_DIMENSIONS] as const;
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
>;

/** Sub ids are free text from the ad: long ones are cut so one visitor cannot bloat the rollups. */
const MAX_VALUE_LENGTH = 200;

function referrerDomain(referrer: string | null): string {
  if (!referrer) return '';
  try {
    return new URL(referrer).hostname.replace(/^www\./, '');
  } catch {
    return '';
  }
}

/** The value a click has in each stored dimension ('' for none). */
export function dimensionValues(click: ClickDimensions): Record<StoredDimension, string> {
  const cut = (value: string | null) => (value ?? '').slice(0, MAX_VALUE_LENGTH);
  return {
    country: cut(click.country),
    device: cut(click.device),
    os: cut(click.os),
    browser: cut(click.browser),
    // A city name alone is ambiguous (Springfield): its country goes with it.
    city: click.city ? cut(`${click.city}, ${click.country ?? '??'}`) : '',
    asn: click.asn === null ? '' : cut(`AS${click.asn}${click.as_org ? ` ${click.as_org}` : ''}`),
    referrer: cut(referrerDomain(click.referrer)),
    sub1: cut(click.sub1),
    sub2: cut(click.sub2),
    sub3: cut(click.sub3),
    sub4: cut(click.sub4),
    sub5: cut(click.sub5),
    sub6: cut(click.sub6),
    sub7: cut(click.sub7),
    sub8: cut(click.sub8),
    sub9: cut(click.sub9),
    sub10: cut(click.sub10),
  };
}
