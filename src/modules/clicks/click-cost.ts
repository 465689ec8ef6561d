import type { TrackedCampaign } from '../campaigns/campaign-cache.ts';
import type { ClickRow } from './click.table.ts';

/** The highest price a click may carry (SPEC section 7): anything above is a macro gone wrong, not a bid. */
export const MAX_CLICK_COST = 1_000;

/**
 * Plain decimals only: digits with an optional decimal point. No sign, exponent, comma, hex, `Infinity`
 * or `NaN`, all of which Number() would take; 32 characters is more precision than any network sends.
 */
const DECIMAL = /^(?:\d+(?:\.\d*)?|\.\d+)$/;

/** The price in a cost parameter, or undefined when it is not one (0 ≤ cost ≤ 1,000). */
export function parseClickCost(raw: string): number | undefined {
  if (raw.length > 32 || !DECIMAL.test(raw)) return undefined;
  const cost = Number(raw);
  return Number.isFinite(cost) && cost <= MAX_CLICK_COST ? cost : undefined;
}

/** What one click costs under the campaign's model: CPA and revshare charge per conversion, not per click. */
function modelCost(campaign: Pick<TrackedCampaign, 'costModel' | 'costValue'>): number | null {
  if (campaign.costModel === 'cpc') return campaign.costValue;
  if (campaign.costModel === 'cpm') return campaign.costValue / 1000;
  return null;
}

/**
 * A click's own cost (SPEC section 7, "Cost"). Only a campaign whose traffic source names a cost_param
 * prices its clicks one by one; the others store nothing and are charged under their model at report
 * time, as before. A parameter that is absent or empty falls back to the model (`model`), one that is
 * not a price falls back too and says so (`invalid_param`).
 */
export function clickCost(
  campaign: Pick<TrackedCampaign, 'source' | 'costModel' | 'costValue'>,
  query: Readonly<Record<string, string>>,
): Pick<ClickRow, 'cost' | 'cost_source'> {
  const name = campaign.source?.costParam;
  if (!name) return { cost: null, cost_source: null };
  // Own properties only: a parameter named like `__proto__` must not read the prototype.
  const raw = Object.hasOwn(query, name) ? query[name] : undefined;
  if (raw === undefined || raw === '') return { cost: modelCost(campaign), cost_source: 'model' };
  const cost = parseClickCost(raw);
  if (cost === undefined) return { cost: modelCost(campaign), cost_source: 'invalid_param' };
  return { cost, cost_source: 'param' };
}
