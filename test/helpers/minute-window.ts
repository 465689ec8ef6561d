import { setTimeout as delay } from 'node:timers/promises';

/**
 * The API's minute window is a calendar minute, so a burst that straddles a minute's end starts a fresh
 * count halfway (a 62-request burst once got 62 answers in CI). Starting with at least `ms` left in the
 * minute keeps the count whole; the wait is at most `ms`.
 */
export async function startWithRoomInMinute(ms: number): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < ms) await delay(left + 50);
}
