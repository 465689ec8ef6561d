import { findTemplate } from './templates.ts';
import { DEFAULT_CLICK_ID_PARAM } from './traffic-source.ts';
import type { TrafficSourceRow } from './traffic-source.table.ts';

/**
 * The query a campaign's tracking URL carries for its traffic source, ready to paste into the network:
 * `?visitor_id=${SUBID}&cost={cost}&zone={zoneid}`. Tokens come from the template the source was created
 * from, where its parameter is still the template's; otherwise `{param}` stands for the network's
 * macro. A platform's own auto-tagged parameter (gclid, fbclid, …) is left out: the network adds it.
 * Tokens are not percent-encoded, because the network substitutes them as written.
 */
export function sourceTrackingQuery(
  source: Pick<TrafficSourceRow, 'platform' | 'click_id_param' | 'cost_param' | 'placement_param' | 'template'>,
): string {
  const template = findTemplate(source.template);
  const tokenFor = (
    param: string | null,
    templateParam: string | null | undefined,
    templateToken: string | null | undefined,
  ) => {
    if (param === null) return null;
    if (template && param === templateParam) return templateToken ?? null;
    return `{${param}}`;
  };
  const autoTagged = source.platform !== 'other' && source.click_id_param === DEFAULT_CLICK_ID_PARAM[source.platform];
  const pairs: Array<[string | null, string | null]> = [
    [
      source.click_id_param,
      autoTagged ? null : tokenFor(source.click_id_param, template?.click_id_param, template?.click_id_token),
    ],
    [source.cost_param, tokenFor(source.cost_param, template?.cost_param, template?.cost_token)],
    [source.placement_param, tokenFor(source.placement_param, template?.placement_param, template?.placement_token)],
  ];
  const query = pairs
    .filter((pair): pair is [string, string] => pair[0] !== null && pair[1] !== null)
    .map(([param, token]) => `${param}=${token}`)
    .join('&');
  return query ? `?${query}` : '';
}
