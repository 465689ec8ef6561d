import type { EventBus } from '../../events.ts';
import type { Db } from '../../storage/database.ts';
import { conflict } from '../../errors.ts';
import type { CampaignRef, FlowTargetRef } from './flow.ts';

/** What the offer and lander services need: their table, and which campaigns' flows use an id. */
export interface FlowTargetServiceDeps {
  db: Db;
  events: EventBus;
  /** Live campaigns whose flow names the offer or lander (campaigns' lookup service). */
  campaignsUsing(userId: number, ref: FlowTargetRef): Promise<CampaignRef[]>;
  now?: () => number;
}

/** A changed offer or lander changes where its campaigns send visitors: their cached flows are dropped. */
export async function announceUsers(deps: FlowTargetServiceDeps, userId: number, ref: FlowTargetRef): Promise<void> {
  for (const campaign of await deps.campaignsUsing(userId, ref))
    deps.events.emit('campaign.changed', { campaignId: campaign.id, uuid: campaign.uuid });
}

/** 409 naming the campaigns, so the buyer knows which flows to edit first; nothing is deleted. */
export async function refuseIfUsed(
  deps: FlowTargetServiceDeps,
  userId: number,
  ref: FlowTargetRef,
  what: string,
): Promise<void> {
  const users = await deps.campaignsUsing(userId, ref);
  if (users.length === 0) return;
  const ids = users.map((campaign) => String(campaign.id));
  throw conflict(`The ${what} is used by the flow of campaign${ids.length > 1 ? 's' : ''} ${ids.join(', ')}`, {
    campaign_ids: ids,
  });
}
