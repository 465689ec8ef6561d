import { hash } from 'node:crypto';
import {
  FRAUD_TYPE_ORDER,
  evaluate,
  type ClickHistory,
  type DetectionInput,
  type DetectionSettings,
  type IpReputation,
  type LateFinding,
  type Verdict,
} from '../../detection/index.ts';
import type { IpInfo, IpIntel } from '../../intel/ip-intel.ts';
import type { ReverseDnsVerifier } from '../../intel/reverse-dns.ts';
import { findClaimedCrawler } from '../../detection/rules/verified-crawler.ts';
import type { Device } from '../../intel/user-agent.ts';
import { hostKeyOf, subnetOf } from '../../intel/ip-address.ts';
import { withReputation } from '../../intel/relay-country.ts';
import type {
  ClickWindowKeys,
  DetectionSpans,
  DetectionWindowStore,
} from '../../storage/counters/detection-window-store.ts';
import type { TrackedCampaign } from '../campaigns/campaign-cache.ts';
import { buildDestinationUrl } from '../campaigns/destination.ts';
import type { DetectionProfile } from '../detection-settings/detection-settings.service.ts';
import { generateClickId } from './click-id.ts';
import type { ClickRecorder, RecordOutcome } from './click-recorder.ts';
import { toClickRow } from './click-row.ts';
import type { Visitor } from '../../detection/visitor.ts';
import { routeVisit, visitSeed, type CompiledRule, type FlowRoute } from '../flows/flow-router.ts';
import { flowVisit } from './flow-visit.ts';

export interface TrackedClick {
  readonly clickId: string;
  readonly verdict: Verdict;
  /** Null when the click is refused (blocked fraud or held back by targeting). */
  readonly destination: string | null;
  readonly blocked: boolean;
  /** `buffered` while storage is unreachable: the visitor is let through, the click is written when it is back. */
  readonly recorded: RecordOutcome;
}

export interface ClickTrackerDeps {
  intel: IpIntel;
  reputation(ip: string): IpReputation;
  profile(userId: number): Promise<DetectionProfile>;
  recorder: ClickRecorder;
  windows: DetectionWindowStore;
  /** The shared windows (Redis) did not answer: the click is judged without history rather than refused. */
  onWindowsFailed(error: unknown): void;
  /** Whether a click of this campaign and address may be stored as a row (row-gate.ts); absent: always. */
  admitRow?(key: string, now: number): boolean;
  /** Auto rotation's cumulative path shares for a rule of the campaign (flow-rotation.ts); undefined: its weights. */
  autoShares?(campaign: TrackedCampaign, rule: CompiledRule): Float64Array | undefined;
  /** Forward-confirmed reverse DNS of crawler claims; absent: claims are judged by networks and ranges only. */
  reverseDns?: ReverseDnsVerifier;
}

/** What a click's history is when nothing came before it: this click alone. */
const NO_HISTORY: ClickHistory = Object.freeze({
  sameVisitorRecentClicks: 0,
  sameIpRecentClicks: 0,
  sameVisitorBurstClicks: 0,
  sameIpShortClicks: 0,
  sameVisitorShortClicks: 0,
  subnetRecentDevices: 1,
  addressFarmClicks: 1,
  addressRecentDevices: 1,
  addressShortDevices: 1,
  addressBurstDevices: 1,
  addressHistoryDevices: 1,
  subnetHistoryDevices: 1,
  subnetOtherLineDevices: 0,
});

export function visitorHash(visitor: Visitor): string {
  return hash('sha256', `${visitor.ip}\n${visitor.userAgent}`, 'base64url').slice(0, 22);
}

/** The macros a destination may use: every incoming parameter, then ours on top (ours win). */
function macroValues(
  visitor: Visitor,
  campaign: TrackedCampaign,
  clickId: string,
  country: string | null,
  device: string,
) {
  return { ...visitor.query, clickid: clickId, campaign_id: String(campaign.id), country: country ?? '', device };
}

/** A refusal is the campaign's choice: targeting held the visitor back, or a blocked fraud type fired. */
function isRefused(campaign: TrackedCampaign, verdict: Verdict, claimsCrawler: boolean): boolean {
  // A visitor that declares itself an ad platform's crawler always reaches the real destination (the
  // product boundary), proven or not: a genuine one whose reverse DNS answers after the redirect must
  // not be shown another page than people get. Only its verdict says whether the claim held.
  if (verdict.isVerifiedBot || claimsCrawler) return false;
  if (verdict.cloaked) return true;
  return campaign.fraudAction === 'block' && verdict.fraudTypes.some((type) => campaign.blockedFraudTypes.has(type));
}

/** The windows' keys for one click on one campaign. */
export function windowKeys(
  campaignId: number | string,
  visitor: Visitor,
  visitorKey: string,
  hostKey = hostKeyOf(visitor.ip),
): ClickWindowKeys {
  const subnet = subnetOf(visitor.ip);
  return {
    device: `${campaignId}:${visitorKey}`,
    ip: `${campaignId}:${hostKey}`,
    subnet: subnet === null ? null : `${campaignId}:${subnet}`,
  };
}

export function detectionSpans(settings: DetectionSettings): DetectionSpans {
  return {
    duplicateMs: settings.duplicateWindowMs,
    burstMs: settings.rapidFireWindowMs,
    shortMs: settings.rapidFireShortWindowMs,
    farmMs: settings.clickFarmWindowMs,
    historyMs: settings.clickFarmHistoryWindowMs,
  };
}

/** Records this click in the windows and reads back what came before it, over the account's own windows: one call per click. */
export function gatherHistory(
  windows: DetectionWindowStore,
  campaignId: number | string,
  visitor: Visitor,
  settings: DetectionSettings,
  now: number,
  visitorKey = visitorHash(visitor),
  clickId?: string,
  hostKey = hostKeyOf(visitor.ip),
): Promise<ClickHistory> {
  return windows.observe({
    keys: windowKeys(campaignId, visitor, visitorKey, hostKey),
    visitorKey,
    clickId,
    now,
    spans: detectionSpans(settings),
  });
}

/** Earlier clicks of the group a late finding covers, each handed out once per fraud type. */
export function claimGroup(
  windows: DetectionWindowStore,
  campaignId: number | string,
  visitor: Visitor,
  visitorKey: string,
  finding: LateFinding,
  now: number,
): Promise<string[]> {
  const mark = 1 << FRAUD_TYPE_ORDER.indexOf(finding.type);
  return windows.claim(windowKeys(campaignId, visitor, visitorKey), finding.group, now, finding.withinMs, mark);
}

/** Where a flow sends the visit: a lander's URL or the offer's, macros filled. */
function flowDestination(route: FlowRoute, macros: Readonly<Record<string, string | undefined>>): string {
  return buildDestinationUrl(route.lander ? route.lander.url : route.offer.url, macros);
}

export function createClickTracker(deps: ClickTrackerDeps) {
  const route = (
    campaign: TrackedCampaign,
    visitor: Visitor,
    visitorKey: string,
    ip: IpInfo,
    device: Device,
    now: number,
  ): FlowRoute | null => {
    const flow = campaign.flow!;
    // Built without the verdict: rules cannot see what the detector said (SPEC section 8).
    const visit = flowVisit(visitor, ip, device, now, flow.needsConnection);
    const autoShares = deps.autoShares;
    return routeVisit(
      flow,
      visit,
      visitSeed(visitorKey, campaign.id),
      autoShares && ((rule) => autoShares(campaign, rule)),
    );
  };

  /**
   * Judges a crawler claim again once reverse DNS has answered: a click it proves genuine becomes
   * the verified crawler it said it was (through the recorder, like a burst's late finding). A claim
   * it disproves keeps its first verdict, which already called it a bot.
   */
  const confirmLate = (
    verifier: ReverseDnsVerifier,
    input: DetectionInput,
    clickId: string,
    now: number,
    settings: DetectionSettings,
  ) => {
    verifier
      .lookup(input.visitor.ip)
      .then((reverseDns) => {
        const late = evaluate({ ...input, reverseDns }, now, settings);
        const proof = late.isVerifiedBot ? late.reasons[0] : undefined;
        if (proof) deps.recorder.amend({ ids: [clickId], verified: proof });
      })
      // lookup never rejects and evaluate is pure: only a bug lands here, and then the click keeps its
      // first verdict (a bot), which is the safe side; the process must not die of an unhandled rejection.
      .catch(() => undefined);
  };

  return {
    /** Enrich, judge, record durably, then say where the visitor goes. */
    async track(campaign: TrackedCampaign, visitor: Visitor, now: number): Promise<TrackedClick> {
      const profile = await deps.profile(campaign.userId);
      const ipInfo = deps.intel.lookupIp(visitor.ip);
      const ip = withReputation(ipInfo, deps.reputation(visitor.ip));
      const device = deps.intel.lookupUserAgent(visitor.userAgent);
      const visitorKey = visitorHash(visitor);
      // Parsed and formatted once: the windows and the row gate both key on it.
      const hostKey = hostKeyOf(visitor.ip);
      const clickId = generateClickId(now);
      const history = await gatherHistory(
        deps.windows,
        campaign.id,
        visitor,
        profile.settings,
        now,
        visitorKey,
        clickId,
        hostKey,
      ).catch((error: unknown) => {
        deps.onWindowsFailed(error);
        return NO_HISTORY;
      });
      const claimed = findClaimedCrawler(visitor.userAgent);
      // Only the cache is read here: the redirect never waits for DNS (a miss is looked up after it).
      const checkDns = claimed?.reverseDns !== undefined ? deps.reverseDns : undefined;
      const reverseDns = checkDns?.cached(visitor.ip);
      const input: DetectionInput = {
        visitor,
        ip,
        device,
        history,
        targeting: campaign.targeting,
        accountIpLists: profile.ipLists,
        ...(reverseDns ? { reverseDns } : {}),
      };
      const verdict = evaluate(input, now, profile.settings);
      for (const finding of verdict.lateFindings) {
        // Queued, not awaited: the visitor's redirect never waits for other clicks' bookkeeping.
        claimGroup(deps.windows, campaign.id, visitor, visitorKey, finding, now)
          .then((claimed) => {
            const ids = claimed.filter((id) => id !== clickId);
            if (ids.length > 0) deps.recorder.amend({ ids, finding });
          })
          .catch(deps.onWindowsFailed);
      }
      const blocked = isRefused(campaign, verdict, claimed !== null);
      const flowRoute = !blocked && campaign.flow ? route(campaign, visitor, visitorKey, ipInfo, device, now) : null;
      const macros = macroValues(visitor, campaign, clickId, ip.country, device.device);
      const destination = blocked
        ? null
        : campaign.flow
          ? flowRoute && flowDestination(flowRoute, macros)
          : campaign.destinationUrl && buildDestinationUrl(campaign.destinationUrl, macros);
      const row = toClickRow({
        id: clickId,
        campaign,
        visitor,
        ip,
        device,
        verdict,
        action: blocked ? 'blocked' : 'redirected',
        visitorHash: visitorKey,
        now,
        route: flowRoute,
      });
      // Past the per-address rate the click is counted, not stored: a flood cannot fill the database.
      const rowless = deps.admitRow ? !deps.admitRow(`${campaign.id}:${hostKey}`, now) : false;
      const recorded = deps.recorder.record(row, rowless ? { rowless } : undefined);
      // Queued after its click, so the amendment always finds the row it rewrites.
      if (checkDns && !reverseDns && !verdict.isVerifiedBot && !rowless)
        confirmLate(checkDns, input, clickId, now, profile.settings);
      return { clickId, verdict, destination, blocked, recorded: await recorded };
    },

    /** Where a HEAD request or a link preview is sent: the same destination, no click id, nothing recorded. */
    previewDestination(campaign: TrackedCampaign, visitor: Visitor, now: number): string | null {
      if (campaign.flow) {
        const ipInfo = deps.intel.lookupIp(visitor.ip);
        const device = deps.intel.lookupUserAgent(visitor.userAgent);
        const preview = route(campaign, visitor, visitorHash(visitor), ipInfo, device, now);
        return preview && flowDestination(preview, macroValues(visitor, campaign, '', null, ''));
      }
      if (!campaign.destinationUrl) return null;
      return buildDestinationUrl(campaign.destinationUrl, macroValues(visitor, campaign, '', null, ''));
    },
  };
}

export type ClickTracker = ReturnType<typeof createClickTracker>;
