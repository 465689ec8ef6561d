import { BEACON_WINDOW_MS, judgeBeacon, missingBeaconFinding } from '../../detection/index.ts';
import { notFound, rateLimited } from '../../errors.ts';
import type { Db } from '../../storage/database.ts';
import type { RateLimiter, RateWindow } from '../../storage/counters/rate-limiter.ts';
import { isClickId } from './click-id.ts';
import type { Amendment } from './late-findings.ts';
import { findBeaconTarget, listClicksWithoutBeacon, writeBeacon, type BeaconTarget } from './beacon.repository.ts';
import {
  mergeEngagement,
  toBeaconFacts,
  toStoredBeacon,
  type BeaconInput,
  type BeaconResult,
  type StoredBeacon,
} from './beacon.ts';

/**
 * A page sends two beacons (load, hidden) and a lander and its offer page two views: per click a few
 * dozen an hour is generous, and past it a page (or whoever learnt the click id) is refused. Per address:
 * a household or an office behind one address, loading many pages.
 */
export interface BeaconLimits {
  perAddress: readonly RateWindow[];
  perClick: readonly RateWindow[];
}

export const DEFAULT_BEACON_LIMITS: BeaconLimits = {
  perAddress: [{ limit: 300, windowMs: 60_000 }],
  perClick: [{ limit: 20, windowMs: BEACON_WINDOW_MS }],
};

/** Findings the tag gave read as such on the click. */
export const BEACON_REASON_PREFIX = 'Browser tag: ';

const SWEEP_PAGE = 500;

export interface BeaconServiceDeps {
  db: Db;
  limiter: RateLimiter;
  /** The click recorder's late-finding path: stats, webhooks and the live feed's `amended` event follow. */
  amend(amendment: Amendment): void;
  /** Campaigns that set require_beacon (campaigns' lookup). */
  campaignsRequiringBeacon(): Promise<number[]>;
  limits?: BeaconLimits;
  now: () => number;
}

export function createBeaconService(deps: BeaconServiceDeps) {
  const { db, now } = deps;
  const limits = deps.limits ?? DEFAULT_BEACON_LIMITS;
  /** Clicks before this were swept already; after a restart the last two windows are looked at again. */
  let sweptUntil: number | null = null;

  const consume = async (key: string, windows: readonly RateWindow[]) => {
    const at = now();
    const decision = await deps.limiter.consume(key, windows, at);
    if (!decision.allowed)
      throw rateLimited('Too many beacons', Math.max(1, Math.ceil((decision.resetAt - at) / 1000)));
  };

  const judge = (click: BeaconTarget, beacon: StoredBeacon) => {
    const facts = toBeaconFacts(beacon);
    const findings = judgeBeacon(facts, {
      country: click.country,
      device: click.device,
      os: click.os,
      userAgent: click.user_agent,
    });
    for (const finding of findings) deps.amend({ ids: [click.id], finding, prefix: BEACON_REASON_PREFIX });
  };

  return {
    /**
     * A beacon from the lander tag. The click id is the credential (as on the postback): an unknown id
     * is a 404 and changes nothing. Only the click named is ever read or written.
     */
    async receive(input: BeaconInput, ip: string): Promise<BeaconResult> {
      // Counted before any lookup, so flooding and guessing cost the database nothing once over.
      await consume(`beacon:addr:${ip}`, limits.perAddress);
      if (!isClickId(input.click_id)) throw notFound('Click');
      await consume(`beacon:click:${input.click_id}`, limits.perClick);
      const click = await findBeaconTarget(db, input.click_id);
      if (!click) throw notFound('Click');
      const at = now();
      if (at - Number(click.created_at) > BEACON_WINDOW_MS) return { result: 'ignored', reason: 'expired' };
      let current = click.beacon;
      if (current === null) {
        const beacon = toStoredBeacon(input, at);
        if (await writeBeacon(db, click, null, JSON.stringify(beacon))) {
          judge(click, beacon);
          return { result: 'recorded', reason: null };
        }
        // Another beacon of this click won the race: this one is held against it below.
        current = (await findBeaconTarget(db, input.click_id))?.beacon ?? null;
        if (current === null) throw notFound('Click');
      }
      const stored = JSON.parse(current) as StoredBeacon;
      if (stored.page_view_id !== input.page_view_id) return { result: 'ignored', reason: 'another_page_view' };
      const merged = mergeEngagement(stored, input, at);
      if (!merged || !(await writeBeacon(db, click, current, JSON.stringify(merged))))
        return { result: 'ignored', reason: 'repeat' };
      return { result: 'updated', reason: null };
    },

    /**
     * Clicks of require_beacon campaigns whose window passed without a beacon get the missing-beacon
     * finding. Idempotent: a click that is `bot` already is left as it is by the late-finding path.
     */
    async sweepMissing(): Promise<number> {
      const campaignIds = await deps.campaignsRequiringBeacon();
      const to = now() - BEACON_WINDOW_MS;
      const from = sweptUntil ?? to - 2 * BEACON_WINDOW_MS;
      let cursor = from;
      let swept = 0;
      for (;;) {
        const page = await listClicksWithoutBeacon(db, campaignIds, cursor, to, SWEEP_PAGE);
        for (const click of page) {
          const finding = missingBeaconFinding(true, now() - Number(click.created_at));
          if (finding) deps.amend({ ids: [click.id], finding });
        }
        swept += page.length;
        if (page.length < SWEEP_PAGE) break;
        // Same-millisecond clicks across a page border are amended twice at worst, which changes nothing;
        // a page all of one millisecond moves on by one, so the loop always advances.
        const last = Number(page[page.length - 1]!.created_at);
        cursor = last > cursor ? last : cursor + 1;
      }
      sweptUntil = to;
      return swept;
    },
  };
}

export type BeaconService = ReturnType<typeof createBeaconService>;

/** Runs the missing-beacon sweep every `intervalMs` (0: never; tests call sweepMissing themselves). */
export function scheduleBeaconSweep(service: BeaconService, intervalMs: number, onError: (error: unknown) => void) {
  let running: Promise<unknown> | null = null;
  const timer =
    intervalMs > 0
      ? setInterval(() => {
          running ??= service
            .sweepMissing()
            .catch(onError)
            .finally(() => (running = null));
        }, intervalMs)
      : null;
  timer?.unref();
  return {
    async close() {
      if (timer) clearInterval(timer);
      await running;
    },
  };
}
