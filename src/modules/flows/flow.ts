import type { FlowInput } from '../../schemas/flow.ts';

/** A campaign's flow as stored (campaigns.flow, JSON) and shown: the input, normalised (flow-input.ts). */
export type Flow = FlowInput;

/** What a flow may point at. */
export type FlowTargetRef = { readonly offerId: number } | { readonly landerId: number };

/** A campaign that uses an offer or lander. */
export interface CampaignRef {
  readonly id: number;
  readonly uuid: string;
}

/** Every offer and lander a flow names, each once. */
export function flowTargets(flow: Flow): { offerIds: number[]; landerIds: number[] } {
  const offers = new Set<number>();
  const landers = new Set<number>();
  for (const paths of [flow.paths, ...flow.rules.map((rule) => rule.paths)])
    for (const path of paths) {
      if (path.lander_id) landers.add(path.lander_id);
      for (const offer of path.offers) offers.add(offer.offer_id);
    }
  return { offerIds: [...offers], landerIds: [...landers] };
}

export function flowUses(flow: Flow, ref: FlowTargetRef): boolean {
  const { offerIds, landerIds } = flowTargets(flow);
  return 'offerId' in ref ? offerIds.includes(ref.offerId) : landerIds.includes(ref.landerId);
}
