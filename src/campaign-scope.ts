/**
 * The campaigns a request may see (ARCHITECTURE.md, "Campaign scope"): a member limited to some
 * campaigns carries their ids, everyone else null. Every campaign-scoped read takes one and filters by
 * it; a named campaign outside it answers 404, as another workspace's would.
 */
export type CampaignScope = readonly number[] | null;

export function inCampaignScope(scope: CampaignScope, campaignId: number): boolean {
  return scope === null || scope.includes(campaignId);
}

/** The ids for a `campaign_id in (…)` filter: never empty (an empty list is no valid SQL), -1 matching no campaign. */
export function scopeIds(scope: readonly number[]): readonly number[] {
  return scope.length > 0 ? scope : [-1];
}
