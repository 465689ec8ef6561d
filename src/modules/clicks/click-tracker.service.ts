import { hash } from 'node:crypto';
import { evaluate, type ClickHistory, type DetectionSettings, type IpReputation, type Verdict } from '../../detection/index.ts';
import type { IpIntel } from '../../intel/ip-intel.ts';
import { hostKeyOf, subnetOf } from '../../intel/ip-address.ts';
import type { DistinctWindow, VisitorWindow } from '../../storage/counters/visitor-window.ts';
import type { TrackedCampaign } from '../campaigns/campaign-cache.ts';
import { buildDestinationUrl } from '../campaigns/destination.ts';
import type { DetectionProfile } from '../detection-settings/detection-settings.service.ts';
import { generateClickId } from './click-id.ts';
import type { ClickRecorder } from './click-recorder.ts';
import { toClickRow } from './click-row.ts';
import type { Visitor } from './visitor.ts';

export interface TrackedClick {
  readonly clickId: string;
  readonly verdict: Verdict;
  /** Null when the click is refused (blocked fraud or held back by targeting). */
  readonly destination: string | null;
  readonly blocked: boolean;
  /** False when storage refused the batch: the visitor is still let through, and the loss is logged. */
  readonly recorded: boolean;
}

/** The recent history detection needs, kept per campaign. */
export interface DetectionWindows {
  /** Same visitor (IP + user agent): duplicates. */
  readonly visitors: VisitorWindow;
  /** Same address: rapid fire. */
  readonly addresses: VisitorWindow;
  /** Distinct devices per /24 or /48: click farms. */
  readonly subnets: DistinctWindow;
}

export interface ClickTrackerDeps {
  intel: IpIntel;
  reputation(ip: string): IpReputation;
  profile(userId: number): Promise<DetectionProfile>;
  recorder: ClickRecorder;
  windows: DetectionWindows;
  /** A paying user must learn that clicks were lost, so every failed batch is reported. */
  onRecordFailed(error: unknown): void;
}

export function visitorHash(visitor: Visitor): string {
  return hash('sha256', `${visitor.ip}\n${visitor.userAgent}`, 'base64url').slice(0, 22);
}

/** The macros a destination may use: every incoming parameter, then ours on top (ours win). */
function macroValues(visitor: Visitor, campaign: TrackedCampaign, clickId: string, country: string | null, device: string) {
  return { ...visitor.query, clickid: clickId, campaign_id: String(campaign.id), country: country ?? '', device };
}

/** A refusal is the campaign's choice: targeting held the visitor back, or a blocked fraud type fired. */
function isRefused(campaign: TrackedCampaign, verdict: Verdict): boolean {
  // Ad platforms' verified crawlers always reach the real destination (the product boundary).
  if (verdict.isVerifiedBot) return false;
  if (verdict.cloaked) return true;
  return campaign.fraudAction === 'block' && verdict.fraudTypes.some((type) => campaign.blockedFraudTypes.has(type));
}

/** Records this click in the windows and reads back what came before it, over the account's own windows. */
export function gatherHistory(windows: DetectionWindows, campaignId: number | string, visitor: Visitor, settings: DetectionSettings, now: number, visitorKey = visitorHash(visitor)): ClickHistory {
  const subnet = subnetOf(visitor.ip);
  const visitorWindowKey = `${campaignId}:${visitorKey}`;
  const sameVisitorBurstClicks = windows.visitors.count(visitorWindowKey, now, settings.rapidFireWindowMs);
  return {
    sameVisitorRecentClicks: windows.visitors.hit(visitorWindowKey, now, settings.duplicateWindowMs),
    sameVisitorBurstClicks,
    sameIpRecentClicks: windows.addresses.hit(`${campaignId}:${hostKeyOf(visitor.ip)}`, now, settings.rapidFireWindowMs),
    // A device is an address + user agent: a farm's phones share one browser build but not one address.
    subnetRecentDevices: subnet ? windows.subnets.hit(`${campaignId}:${subnet}`, visitorKey, now, settings.clickFarmWindowMs) : 1,
  };
}

export function createClickTracker(deps: ClickTrackerDeps) {
  return {
    /** Enrich, judge, record durably, then say where the visitor goes. */
    async track(campaign: TrackedCampaign, visitor: Visitor, now: number): Promise<TrackedClick> {
      const profile = await deps.profile(campaign.userId);
      const ipInfo = deps.intel.lookupIp(visitor.ip);
      const ip = { ...ipInfo, reputation: deps.reputation(visitor.ip) };
      const device = deps.intel.lookupUserAgent(visitor.userAgent);
      const visitorKey = visitorHash(visitor);
      const history = gatherHistory(deps.windows, campaign.id, visitor, profile.settings, now, visitorKey);
      const verdict = evaluate({ visitor, ip, device, history, targeting: campaign.targeting, accountIpLists: profile.ipLists }, now, profile.settings);
      const blocked = isRefused(campaign, verdict);
      const clickId = generateClickId();
      const destination =
        blocked || !campaign.destinationUrl
          ? null
          : buildDestinationUrl(campaign.destinationUrl, macroValues(visitor, campaign, clickId, ip.country, device.device));
      const row = toClickRow({ id: clickId, campaign, visitor, ip, device, verdict, action: blocked ? 'blocked' : 'redirected', visitorHash: visitorKey, now });
      const recorded = await deps.recorder.record(row).then(
        () => true,
        (error: unknown) => {
          deps.onRecordFailed(error);
          return false;
        },
      );
      return { clickId, verdict, destination, blocked, recorded };
    },

    /** Where a HEAD request or a link preview is sent: the same destination, no click id, nothing recorded. */
    previewDestination(campaign: TrackedCampaign, visitor: Visitor): string | null {
      if (!campaign.destinationUrl) return null;
      return buildDestinationUrl(campaign.destinationUrl, macroValues(visitor, campaign, '', null, ''));
    },
  };
}

export type ClickTracker = ReturnType<typeof createClickTracker>;
