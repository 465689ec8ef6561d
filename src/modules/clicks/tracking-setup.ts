import type { FastifyBaseLogger } from 'fastify';
import type { EventBus } from '../../events.ts';
import type { Db } from '../../storage/database.ts';
import type { DialectAdapter } from '../../storage/dialect-adapter.ts';
import type { IpIntel } from '../../intel/ip-intel.ts';
import { hostKeyOf, subnetOf } from '../../intel/ip-address.ts';
import { DEFAULT_DETECTION_SETTINGS, type IpReputation } from '../../detection/index.ts';
import {
  BURST_RETENTION_MS,
  DUPLICATE_RETENTION_MS,
  type DetectionWindowStore,
  type MemoryWindows,
} from '../../storage/counters/detection-window-store.ts';
import { createMemoryWindowSet } from '../../storage/counters/memory-window-set.ts';
import type { CampaignService } from '../campaigns/campaign.service.ts';
import { createCampaignCache, type TrackedSource } from '../campaigns/campaign-cache.ts';
import type { DetectionSettingsService } from '../detection-settings/detection-settings.service.ts';
import { createDetectionProfileCache } from '../detection-settings/detection-profile-cache.ts';
import { createClickRecorder, type RecorderHooks, type RecorderOptions } from './click-recorder.ts';
import { openClickSpool } from './click-spool.ts';
import { createRowGate } from './row-gate.ts';
import { createClickTracker, type ClickTrackerDeps } from './click-tracker.service.ts';
import type { CompiledFlow } from '../flows/flow-router.ts';
import { createLanderClickService, type LanderClickDeps } from './lander-click.service.ts';
import type { ClickService } from './click.service.ts';

/** Rebuilt at start from at most this many recent clicks. */
const WARM_UP_LIMIT = 1_000_000;
/** Accounts' farm windows are not known at start: lines are rebuilt with the default's browser counts. */
const WARM_UP_FARM_MS = DEFAULT_DETECTION_SETTINGS.clickFarmWindowMs;

export interface TrackingSetupDeps {
  db: Db;
  dialect: DialectAdapter;
  events: EventBus;
  intel: IpIntel;
  reputation(ip: string): IpReputation;
  campaigns: CampaignService;
  /** A campaign's traffic source parameters, read once with the campaign (traffic sources' service). */
  sourceParams?(userId: number, id: number): Promise<TrackedSource | undefined>;
  /** Compiles a campaign's flow with its offers and landers (flows' flow-loader.ts); absent: flows are ignored. */
  loadFlow?(campaign: { user_id: number; flow: string | null }): Promise<CompiledFlow | null>;
  /** What lander links need: the campaign's flow, an offer's URL, the rollups' hook. */
  landerClicks?: Omit<LanderClickDeps, 'db'>;
  /** Auto rotation's shares (flows' flow-rotation.ts). */
  autoShares?: ClickTrackerDeps['autoShares'];
  /** Forward-confirmed reverse DNS of crawler claims (CRAWLER_DNS_SERVERS); absent: off. */
  reverseDns?: ClickTrackerDeps['reverseDns'];
  clicks: ClickService;
  detectionSettings: DetectionSettingsService;
  log: FastifyBaseLogger;
  /** What commits with each batch of clicks (rollups, the webhooks outbox). */
  recorderHooks?: RecorderHooks;
  /** Shared windows (Redis) for several nodes; one node keeps them in memory, refilled from stored clicks. */
  windowStore?: DetectionWindowStore;
  /** Outage tuning (tests: short waits). */
  recorderOptions?: Pick<RecorderOptions, 'maxBuffered' | 'commitWaitMs' | 'retryMs' | 'maxRetryMs' | 'turn'>;
  /** The outage spool's file (one per process) and its bound; absent: buffered clicks are kept in memory only. */
  spool?: { path: string; maxBytes: number };
  /** Clicks per second from one address on one campaign stored as rows; past it only counted (0: no limit). */
  rowsPerAddressPerSecond?: number;
  /** The memory windows' budget in MiB (DETECTION_WINDOW_MEMORY_MB); unused with a window store. */
  windowMemoryMb?: number;
  now: () => number;
}

/** A restart must not make yesterday's visitors new again: the windows are refilled from stored clicks. */
async function warmUp(windows: MemoryWindows, clicks: ClickService, now: number): Promise<void> {
  for (const click of await clicks.recentVisitors(now - DUPLICATE_RETENTION_MS, WARM_UP_LIMIT)) {
    windows.visitors.hit(`${click.campaign_id}:${click.visitor_hash}`, click.created_at, undefined, click.id);
    if (click.created_at <= now - BURST_RETENTION_MS) continue;
    const address = `${click.campaign_id}:${hostKeyOf(click.ip)}`;
    windows.addresses.hit(address, click.created_at, undefined, click.id);
    const browsers = windows.addressDevices.hit(address, click.visitor_hash, click.created_at, WARM_UP_FARM_MS);
    const subnet = subnetOf(click.ip);
    if (subnet) {
      windows.subnets.hit(`${click.campaign_id}:${subnet}`, click.visitor_hash, click.created_at, undefined, click.id);
      windows.lines.record(`${click.campaign_id}:${subnet}`, address, browsers, click.created_at, WARM_UP_FARM_MS);
    }
  }
}

const WINDOW_FAILURE_LOG_MS = 10_000;

/** The row gate's admit, bound to its own state. */
function gate(perSecond: number): (key: string, now: number) => boolean {
  const rows = createRowGate(perSecond);
  return (key, now) => rows.admit(key, now);
}

/** Assembles the hot path: campaign and account caches, detection windows, recorder, tracker. */
export async function setUpTracking(deps: TrackingSetupDeps) {
  const windowFailures = { failed: 0, loggedAt: -Infinity };
  const spool =
    deps.spool &&
    openClickSpool(deps.spool.path, {
      maxBytes: deps.spool.maxBytes,
      // One line per stop, not one per click: the spool is off until it is emptied.
      onStopped: (error) =>
        deps.log.error(
          { err: error, spool: deps.spool!.path },
          'the click spool stopped: clicks redirected while storage is away are kept in memory only, and a crash would lose them',
        ),
    });
  const recorder = createClickRecorder(deps.db, deps.dialect, deps.events, {
    hooks: deps.recorderHooks,
    ...deps.recorderOptions,
    spool,
    onLeftOnSpool: (count) =>
      deps.log.warn(
        { spooled: count },
        'storage is still away at shutdown: clicks stay on the spool for the next start',
      ),
    // A paying user must learn that clicks were lost: every loss is logged with the running total.
    onLost: (count, error) => {
      deps.log.error(
        { err: error, lostClicks: count, lostTotal: recorder.status().lost },
        'clicks could not be recorded; their visitors were let through',
      );
    },
    onAmendFailed: (error) => {
      deps.log.error(
        { err: error },
        "a burst's or farm's earlier clicks could not be flagged; they keep their first verdict",
      );
    },
    onAvailability: (available, buffered) => {
      if (available) deps.log.warn({ buffered }, 'storage is back: buffered clicks are written');
      else
        deps.log.error(
          { buffered },
          spool
            ? 'storage is unreachable: clicks are redirected and buffered (in memory and on the spool) until it is back'
            : 'storage is unreachable: clicks are redirected and buffered in memory until it is back',
        );
    },
  });
  // Clicks a crash left on the spool are stored first, so the windows rebuilt below see them too.
  const replayed = await recorder.recover();
  if (replayed > 0) deps.log.warn({ replayed, ...recorder.status() }, 'clicks left on the spool were replayed');
  let windows = deps.windowStore;
  if (!windows) {
    const memory = createMemoryWindowSet(deps.windowMemoryMb);
    // Redis keeps its windows across restarts; memory ones are rebuilt.
    await warmUp(memory.windows, deps.clicks, deps.now());
    windows = memory;
  }
  const profiles = createDetectionProfileCache((userId) => deps.detectionSettings.getProfile(userId), deps.events);
  const tracker = createClickTracker({
    intel: deps.intel,
    reputation: deps.reputation,
    profile: (userId) => profiles.get(userId),
    recorder,
    windows,
    admitRow: deps.rowsPerAddressPerSecond ? gate(deps.rowsPerAddressPerSecond) : undefined,
    autoShares: deps.autoShares,
    reverseDns: deps.reverseDns,
    onWindowsFailed: (error) => {
      windowFailures.failed += 1;
      // Every click fails the same way while Redis is away: one line per interval, with the count, not one per click.
      const now = deps.now();
      if (now - windowFailures.loggedAt < WINDOW_FAILURE_LOG_MS) return;
      windowFailures.loggedAt = now;
      deps.log.error(
        { err: error, clicksJudgedWithoutHistory: windowFailures.failed },
        'the detection windows did not answer; clicks are judged without their history',
      );
    },
  });
  const campaignCache = createCampaignCache(
    (uuid) => deps.campaigns.findByUuid(uuid),
    deps.events,
    deps.sourceParams,
    deps.loadFlow,
  );
  const landerClicks = deps.landerClicks && createLanderClickService({ db: deps.db, ...deps.landerClicks });
  return {
    tracker,
    recorder,
    campaignCache,
    landerClicks,
    clicksJudgedWithoutHistory: () => windowFailures.failed,
  };
}
