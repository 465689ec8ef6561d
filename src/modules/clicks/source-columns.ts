import type { TrackedSource } from '../campaigns/campaign-cache.ts';
import type { ClickRow } from './click.table.ts';

/**
 * Cuts a value to what a click stores (STORED_LIMITS.valueChars in click-row.ts) and marks the row as
 * cut when it had to. Click ids run to about 120 characters (Taboola's is the longest documented) and a
 * placement id is shorter still, so a cut one is not an id the network will recognise: the row says so.
 */
export type BoundValue = (value: string) => string;

/** An absent or empty parameter stores nothing. */
function bound(value: string | undefined, cut: BoundValue): string | null {
  return value === undefined || value === '' ? null : cut(value);
}

/** Own properties only: a parameter named like `__proto__` or `constructor` must not read the prototype. */
function param(query: Readonly<Record<string, string>>, name: string): string | undefined {
  return Object.hasOwn(query, name) ? query[name] : undefined;
}

/** What a click of a campaign with a traffic source keeps of the source's own parameters. */
export function sourceColumns(
  source: TrackedSource | null,
  query: Readonly<Record<string, string>>,
  cut: BoundValue,
): Pick<ClickRow, 'external_id' | 'placement'> {
  if (!source) return { external_id: null, placement: null };
  return {
    external_id: bound(param(query, source.clickIdParam), cut),
    placement: source.placementParam ? bound(param(query, source.placementParam), cut) : null,
  };
}
