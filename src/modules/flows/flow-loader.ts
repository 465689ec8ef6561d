import type { LanderRow } from './lander.table.ts';
import type { OfferRow } from './offer.table.ts';
import { flowTargets, type Flow } from './flow.ts';
import { compileFlow, type CompiledFlow, type FlowLander, type FlowOffer } from './flow-router.ts';

export interface FlowLoaderDeps {
  offers(userId: number, ids: readonly number[]): Promise<OfferRow[]>;
  landers(userId: number, ids: readonly number[]): Promise<LanderRow[]>;
}

/**
 * Compiles a stored flow with its offers' and landers' URLs, read in two queries, once per campaign
 * load: the campaign cache keeps the result, and a change to an offer or lander reloads the campaigns
 * that use it. Only the account's own rows are read, so a flow can never reach another tenant's offer.
 */
export function createFlowLoader(deps: FlowLoaderDeps) {
  return async (campaign: { user_id: number; flow: string | null }): Promise<CompiledFlow | null> => {
    if (campaign.flow === null) return null;
    const flow = JSON.parse(campaign.flow) as Flow;
    const { offerIds, landerIds } = flowTargets(flow);
    const [offers, landers] = await Promise.all([
      deps.offers(campaign.user_id, offerIds),
      deps.landers(campaign.user_id, landerIds),
    ]);
    return compileFlow(
      flow,
      // A paused offer gets no new traffic: its paths send to their other offers, or drop out (flow-router.ts).
      new Map(
        offers
          .filter((row) => row.status === 'active')
          .map((row): [number, FlowOffer] => [row.id, Object.freeze({ id: row.id, url: row.url })]),
      ),
      new Map(landers.map((row): [number, FlowLander] => [row.id, Object.freeze({ id: row.id, url: row.url })])),
    );
  };
}
