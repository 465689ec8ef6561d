import type { BeaconRule } from '../beacon/facts.ts';
import { COUNTRY_UTC_OFFSETS } from '../lists/country-utc-offsets.ts';

/** Hours beyond the country's own offsets before a time zone is "far": neighbours and travellers are not flagged. */
export const TIME_ZONE_MARGIN_HOURS = 2;

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

function countryName(code: string): string {
  try {
    return regionNames.of(code) ?? code;
  } catch {
    return code;
  }
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '−' : '+';
  const abs = Math.abs(minutes);
  const rest = abs % 60;
  return `UTC${sign}${Math.floor(abs / 60)}${rest === 0 ? '' : `:${String(rest).padStart(2, '0')}`}`;
}

/**
 * A browser's clock keeps the place its user is; a proxy or VPN moves only the address. A time zone
 * hours away from every zone of the address's country means the address is borrowed (`vpn`). The
 * country's plausible offsets come from lists/country-utc-offsets.ts; unknown countries are not judged.
 */
export const beaconTimeZoneRule: BeaconRule = (facts, click) => {
  if (click.country === null) return [];
  const range = COUNTRY_UTC_OFFSETS[click.country];
  if (!range) return [];
  const hours = facts.utcOffsetMinutes / 60;
  const distance = hours < range[0] ? range[0] - hours : hours > range[1] ? hours - range[1] : 0;
  if (distance <= TIME_ZONE_MARGIN_HOURS) return [];
  const offset = formatOffset(facts.utcOffsetMinutes);
  const zone = facts.timeZone === null ? offset : `${facts.timeZone} (${offset})`;
  return [
    {
      type: 'vpn',
      message: `Browser reports time zone ${zone}; the address is in ${countryName(click.country)}`,
      score: 70,
    },
  ];
};
