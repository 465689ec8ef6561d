import type { TrackedSource } from '../campaigns/campaign-cache.ts';
import type { ClickRow } from './click.table.ts';
import { truncate } from './visitor.ts';

/**
 * Longest stored network click id and placement. Click ids run to about 120 characters (Taboola's is
 * the longest documented); anything longer is not an id the network will recognise when it comes
 * back in a postback, and a placement id is shorter still.
 */
export const MAX_EXTERNAL_ID_LENGTH = 256;
export const MAX_PLACEMENT_LENGTH = 256;

/** An absent or empty parameter stores nothing. */
function bound(value: string | undefined, max: number): string | null {
  return value === undefined || value === '' ? null : truncate(value, max);
}

/** Own properties only: a parameter named like `__proto__` or `constructor` must not read the prototype. */
function param(query: Readonly<Record<string, string>>, name: string): string | undefined {
  return Object.hasOwn(query, name) ? query[name] : undefined;
}

/** What a click of a campaign with a traffic source keeps of the source's own parameters. */
export function sourceColumns(
  source: TrackedSource | null,
  query: Readonly<Record<string, string>>,
): Pick<ClickRow, 'external_id' | 'placement'> {
  if (!source) return { external_id: null, placement: null };
  return {
    external_id: bound(param(query, source.clickIdParam), MAX_EXTERNAL_ID_LENGTH),
    placement: source.placementParam ? bound(param(query, source.placementParam), MAX_PLACEMENT_LENGTH) : null,
  };
}
