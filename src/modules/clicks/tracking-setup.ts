import { hash } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { EventBus } from '../../events.ts';
import type { Db } from '../../storage/database.ts';
import type { DialectAdapter } from '../../storage/dialect-adapter.ts';
import type { IpIntel } from '../../intel/ip-intel.ts';
import { hostKeyOf, subnetOf } from '../../intel/ip-address.ts';
import type { IpReputation } from '../../detection/index.ts';
import { createMemoryVisitorWindow } from '../../storage/counters/memory-visitor-window.ts';
import { createMemoryDistinctWindow } from '../../storage/counters/memory-distinct-window.ts';
import type { CampaignService } from '../campaigns/campaign.service.ts';
import { createCampaignCache } from '../campaigns/campaign-cache.ts';
import type { DetectionSettingsService } from '../detection-settings/detection-settings.service.ts';
import { createDetectionProfileCache } from '../detection-settings/detection-profile-cache.ts';
import { createClickRecorder } from './click-recorder.ts';
import { createClickTracker, type DetectionWindows } from './click-tracker.service.ts';
import type { ClickService } from './click.service.ts';

/** Windows keep a day: the longest an account may set any detection window to. */
const WINDOW_RETENTION_MS = 86_400_000;
/** Rebuilt at start from at most this many recent clicks. */
const WARM_UP_LIMIT = 1_000_000;

export interface TrackingSetupDeps {
  db: Db;
  dialect: DialectAdapter;
  events: EventBus;
  intel: IpIntel;
  reputation(ip: string): IpReputation;
  campaigns: CampaignService;
  clicks: ClickService;
  detectionSettings: DetectionSettingsService;
  log: FastifyBaseLogger;
  now: () => number;
}

/** A restart must not make yesterday's visitors new again: the windows are refilled from stored clicks. */
async function warmUp(windows: DetectionWindows, clicks: ClickService, now: number): Promise<void> {
  for (const click of await clicks.recentVisitors(now - WINDOW_RETENTION_MS, WARM_UP_LIMIT)) {
    windows.visitors.hit(`${click.campaign_id}:${click.visitor_hash}`, click.created_at);
    windows.addresses.hit(`${click.campaign_id}:${hostKeyOf(click.ip)}`, click.created_at);
    const subnet = subnetOf(click.ip);
    if (subnet) windows.subnets.hit(`${click.campaign_id}:${subnet}`, hash('sha1', click.user_agent, 'base64url').slice(0, 12), click.created_at);
  }
}

/** Assembles the hot path: campaign and account caches, detection windows, recorder, tracker. */
export async function setUpTracking(deps: TrackingSetupDeps) {
  const windows: DetectionWindows = {
    visitors: createMemoryVisitorWindow(WINDOW_RETENTION_MS),
    addresses: createMemoryVisitorWindow(WINDOW_RETENTION_MS),
    subnets: createMemoryDistinctWindow(WINDOW_RETENTION_MS),
  };
  await warmUp(windows, deps.clicks, deps.now());
  const recorder = createClickRecorder(deps.db, deps.dialect, deps.events);
  const profiles = createDetectionProfileCache((userId) => deps.detectionSettings.getProfile(userId), deps.events);
  let lost = 0;
  const tracker = createClickTracker({
    intel: deps.intel,
    reputation: deps.reputation,
    profile: (userId) => profiles.get(userId),
    recorder,
    windows,
    onRecordFailed: (error) => {
      lost += 1;
      deps.log.error({ err: error, lostClicks: lost }, 'a click could not be recorded; the visitor was let through');
    },
  });
  const campaignCache = createCampaignCache((uuid) => deps.campaigns.findByUuid(uuid), deps.events);
  return { tracker, recorder, campaignCache };
}
