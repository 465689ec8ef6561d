import type { Db } from '../../storage/database.ts';
import { buildDestinationUrl } from '../campaigns/destination.ts';
import { DEFAULT_RULE_NAME } from '../flows/flow.enums.ts';
import type { Flow } from '../flows/flow.ts';
import type { ClickFacts } from '../stats/stats-delta.ts';
import { isClickId } from './click-id.ts';
import { findLanderClick, markLanderClick } from './click.repository.ts';

export interface LanderClickDeps {
  db: Db;
  /** The campaign's flow by id (campaigns' lookup service). */
  flowOf(campaignId: number): Promise<Flow | null>;
  /** The URL template of one of the account's offers (offers service); undefined once it is gone. */
  offerUrl(userId: number, offerId: number): Promise<string | undefined>;
  /** Runs in the transaction that records the first click-through (the rollups' lp_clicks). */
  landerClicked?(trx: Db, click: ClickFacts): Promise<void>;
  /** Every click-through, first or not: the offer it went to becomes the click's (the columnar copies). */
  clickChanged?(trx: Db, click: { id: string; created_at: number }): Promise<void>;
}

/** The offer the n-th link of the click's lander stands for: the n-th offer of the click's path. */
function nthOffer(flow: Flow | null, rule: string | null, path: number | null, n: number): number | undefined {
  if (!flow || rule === null || path === null) return undefined;
  const paths = rule === DEFAULT_RULE_NAME ? flow.paths : flow.rules.find((r) => r.name === rule)?.paths;
  return paths?.[path - 1]?.offers[n - 1]?.offer_id;
}

/**
 * PUBLIC_URL/lp/{clickid}[/{n}]: a lander's call-to-action. Without n, the visitor goes to the offer
 * their path chose at the click (by the path's offer weights); with n, to the path's n-th offer (a
 * lander with several offer links), falling back to the chosen one when the path has no n-th offer
 * (the flow changed since). The click id is the only credential: an unknown id, or a click without an
 * offer (no flow), finds nothing, and an offer is only ever read within the click's own account.
 */
export function createLanderClickService(deps: LanderClickDeps) {
  return {
    async follow(clickId: string, n: number | undefined, now: number): Promise<string | null> {
      if (!isClickId(clickId)) return null;
      const click = await findLanderClick(deps.db, clickId);
      if (!click || click.offer_id === null) return null;
      const chosen = Number(click.offer_id);
      const linked =
        n === undefined ? undefined : nthOffer(await deps.flowOf(click.campaign_id), click.rule, click.path, n);
      let offerId = linked ?? chosen;
      let url = await deps.offerUrl(click.user_id, offerId);
      if (url === undefined && offerId !== chosen) {
        offerId = chosen;
        url = await deps.offerUrl(click.user_id, offerId);
      }
      if (url === undefined) return null;
      await deps.db.transaction().execute(async (trx) => {
        const first = await markLanderClick(trx, click.id, offerId, now);
        if (first) await deps.landerClicked?.(trx, { ...click, offer_id: offerId });
        await deps.clickChanged?.(trx, click);
      });
      const query = JSON.parse(click.query) as Record<string, string>;
      return buildDestinationUrl(url, {
        ...query,
        clickid: click.id,
        campaign_id: String(click.campaign_id),
        country: click.country ?? '',
        device: click.device,
      });
    },
  };
}

export type LanderClickService = ReturnType<typeof createLanderClickService>;
