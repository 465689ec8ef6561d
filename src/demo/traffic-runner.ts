/**
 * Plays a simulation against a running tracker: every click through the real tracking URL, then
 * the conversions through the postback URL. The tracker reads a simulated clock, so a day of traffic
 * replays in seconds while the detection windows still see the real gaps between clicks.
 */
import { trackingPath } from './simulator.ts';
import type { Transport } from './transport.ts';
import type { SimClick } from './types.ts';

/** The `now` the app under test reads. */
export interface SimulatedClock {
  now(): number;
  set(time: number): void;
  /** Moves forward only: with several requests in flight the clock follows the newest one sent. */
  advance(time: number): void;
}

export function createSimulatedClock(start: number): SimulatedClock {
  let current = start;
  return {
    now: () => current,
    set: (time) => {
      current = time;
    },
    advance: (time) => {
      if (time > current) current = time;
    },
  };
}

/** The query parameter the demo and the benchmark put `{clickid}` in on their destination URLs. */
export const CLICK_ID_PARAM = 'clickid';

export interface ClickOutcome {
  readonly click: SimClick;
  /** 302 redirected, 403 held back, …; 0 when the request failed. */
  readonly status: number;
  readonly clickId: string | null;
  readonly error?: string;
}

export interface RunOptions {
  readonly transport: Transport;
  /** Campaign key → uuid. */
  readonly uuids: ReadonlyMap<string, string>;
  readonly clock: SimulatedClock;
  /** Requests in flight at once; 1 makes every click see exactly its own time. */
  readonly concurrency: number;
  onProgress?(done: number): void;
}

/** Runs `task` over `items` with at most `concurrency` in flight, in order of start. */
async function pool<T, R>(
  items: readonly T[],
  concurrency: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  return results;
}

function clickIdFrom(location: string | string[] | undefined): string | null {
  if (typeof location !== 'string') return null;
  try {
    return new URL(location).searchParams.get(CLICK_ID_PARAM) || null;
  } catch {
    return null;
  }
}

export async function sendClicks(clicks: readonly SimClick[], options: RunOptions): Promise<ClickOutcome[]> {
  let done = 0;
  return pool(clicks, options.concurrency, async (click) => {
    const uuid = options.uuids.get(click.campaign);
    if (!uuid) throw new Error(`no campaign for the simulated key "${click.campaign}"`);
    options.clock.advance(click.at);
    let outcome: ClickOutcome;
    try {
      const response = await options.transport.request('GET', trackingPath(uuid, click), { ...click.headers });
      outcome = {
        click,
        status: response.status,
        clickId: response.status === 302 ? clickIdFrom(response.headers.location) : null,
      };
    } catch (error) {
      outcome = { click, status: 0, clickId: null, error: error instanceof Error ? error.message : String(error) };
    }
    options.onProgress?.(++done);
    return outcome;
  });
}

export interface PostbackResult {
  readonly sent: number;
  /** 201: a new conversion. */
  readonly recorded: number;
  readonly revenue: number;
  readonly failed: number;
  /** The first failure, for the error line. */
  readonly firstError: string | null;
}

/** Conversions of the clicks that were redirected, in time order, through GET /api/v1/postback. */
/**
 * `txidSuffix` keeps transaction ids unique when the same seed is replayed into the same account
 * (a transaction id names one conversion per account).
 */
export async function sendPostbacks(
  outcomes: readonly ClickOutcome[],
  options: Omit<RunOptions, 'uuids'> & { postbackToken?: string; txidSuffix?: string },
): Promise<PostbackResult> {
  const due = outcomes
    .filter((outcome) => outcome.clickId !== null && outcome.click.conversion !== null)
    .sort((a, b) => a.click.conversion!.at - b.click.conversion!.at);
  let recorded = 0;
  let revenue = 0;
  let failed = 0;
  let firstError: string | null = null;
  await pool(due, options.concurrency, async ({ clickId, click }) => {
    const conversion = click.conversion!;
    options.clock.advance(conversion.at);
    const params = new URLSearchParams({
      clickid: clickId!,
      payout: conversion.payout.toFixed(2),
      txid: `${conversion.txid}${options.txidSuffix ?? ''}`,
      status: conversion.status,
    });
    if (options.postbackToken) params.set('token', options.postbackToken);
    const response = await options.transport.request('GET', `/api/v1/postback?${params}`, {
      'user-agent': 'Mozilla/5.0 (compatible; AffiliateNetwork-Postback/2.1)',
      accept: '*/*',
    });
    if (response.status === 201 || response.status === 200) {
      if (response.status === 201) recorded++;
      revenue += conversion.payout;
    } else {
      failed++;
      firstError ??= `${response.status} ${response.body.slice(0, 200)}`;
    }
    options.onProgress?.(recorded + failed);
  });
  return { sent: due.length, recorded, revenue: Math.round(revenue * 100) / 100, failed, firstError };
}
