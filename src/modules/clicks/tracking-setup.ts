import type { FastifyBaseLogger } from 'fastify';
import type { EventBus } from '../../events.ts';
import type { Db } from '../../storage/database.ts';
import type { DialectAdapter } from '../../storage/dialect-adapter.ts';
import type { IpIntel } from '../../intel/ip-intel.ts';
import { DEFAULT_DETECTION_SETTINGS } from '../../detection/index.ts';
import { createMemoryVisitorWindow } from '../../storage/counters/memory-visitor-window.ts';
import type { CampaignService } from '../campaigns/campaign.service.ts';
import { createCampaignCache } from '../campaigns/campaign-cache.ts';
import { createClickRecorder } from './click-recorder.ts';
import { createClickTracker } from './click-tracker.service.ts';
import type { ClickService } from './click.service.ts';

/** Windows are rebuilt from at most this many recent clicks at start, newest kept. */
const WARM_UP_LIMIT = 1_000_000;

export interface TrackingSetupDeps {
  db: Db;
  dialect: DialectAdapter;
  events: EventBus;
  intel: IpIntel;
  campaigns: CampaignService;
  clicks: ClickService;
  log: FastifyBaseLogger;
  now: () => number;
}

/** Assembles the hot path: campaign cache, detection windows (warmed from storage), recorder, tracker. */
export async function setUpTracking(deps: TrackingSetupDeps) {
  const settings = DEFAULT_DETECTION_SETTINGS;
  const duplicates = createMemoryVisitorWindow(settings.duplicateWindowMs);
  const since = deps.now() - settings.duplicateWindowMs;
  for (const visitor of await deps.clicks.recentVisitors(since, WARM_UP_LIMIT)) {
    duplicates.hit(`${visitor.campaign_id}:${visitor.visitor_hash}`, visitor.created_at);
  }
  const recorder = createClickRecorder(deps.db, deps.dialect, deps.events);
  let lost = 0;
  const tracker = createClickTracker({
    intel: deps.intel,
    recorder,
    duplicates,
    settings,
    onRecordFailed: (error) => {
      lost += 1;
      deps.log.error({ err: error, lostClicks: lost }, 'a click could not be recorded; the visitor was let through');
    },
  });
  const campaignCache = createCampaignCache((uuid) => deps.campaigns.findByUuid(uuid), deps.events);
  return { tracker, recorder, campaignCache };
}
