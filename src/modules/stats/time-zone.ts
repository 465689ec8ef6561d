import { validationError } from '../../errors.ts';

const HOUR = 3_600_000;

/**
 * Local time in an IANA zone through Intl (the platform's tz database, kept current with Node):
 * no date library needed for offsets and calendar fields.
 */
export interface Zone {
  readonly name: string;
  /** Local calendar day ("2024-01-31") and hour (0-23) of an instant. */
  localDayAndHour(instant: number): { day: string; hour: number };
  /** The instant a local date ("2024-01-31") begins. */
  startOfDay(day: string): number;
}

export const UTC_ZONE: Zone = {
  name: 'UTC',
  localDayAndHour: (instant) => ({
    day: new Date(instant).toISOString().slice(0, 10),
    hour: new Date(instant).getUTCHours(),
  }),
  startOfDay: (day) => Date.parse(`${day}T00:00:00Z`),
};

/** A bad zone name is the caller's mistake: 400 on the `tz` field. */
export function openZone(name: string | undefined): Zone {
  if (name === undefined || name === 'UTC' || name === 'Etc/UTC') return UTC_ZONE;
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
  } catch {
    throw validationError('tz', 'The tz field must be an IANA time zone such as Europe/Berlin');
  }
  const fields = (instant: number) => {
    const parts = Object.fromEntries(format.formatToParts(instant).map((part) => [part.type, part.value]));
    return {
      y: Number(parts.year),
      m: Number(parts.month),
      d: Number(parts.day),
      h: Number(parts.hour),
      min: Number(parts.minute),
      s: Number(parts.second),
    };
  };
  const offsetAt = (instant: number) => {
    const f = fields(instant);
    return Date.UTC(f.y, f.m - 1, f.d, f.h, f.min, f.s) - Math.floor(instant / 1000) * 1000;
  };
  return {
    name,
    localDayAndHour(instant) {
      const f = fields(instant);
      return { day: `${f.y}-${String(f.m).padStart(2, '0')}-${String(f.d).padStart(2, '0')}`, hour: f.h };
    },
    startOfDay(day) {
      const midnightAsUtc = Date.parse(`${day}T00:00:00Z`);
      // The offset at the guess, then again at the corrected instant: right across DST changes.
      const guess = midnightAsUtc - offsetAt(midnightAsUtc);
      return midnightAsUtc - offsetAt(guess);
    },
  };
}

/**
 * Rollups are hourly, so a local day's bounds are taken to the UTC hour: exact for every zone with
 * whole-hour offsets, and within the half hour for the few that are not (India, Newfoundland).
 */
export function toHour(instant: number): number {
  return Math.round(instant / HOUR) * HOUR;
}
