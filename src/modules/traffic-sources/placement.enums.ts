/**
 * The placement report's enumerations, one list each: the schemas and the service derive from these.
 * A leaf module, so the schemas can import it without importing the service.
 */
export const PLACEMENT_SORTS = [
  'placement',
  'clicks',
  'fraudulent_clicks',
  'fraud_rate',
  'conversions',
  'revenue',
  'cost',
  'profit',
  'roi',
] as const;
export type PlacementSort = (typeof PLACEMENT_SORTS)[number];

/** How GET …/placement-exclusions answers: JSON, or `text`, one placement per line for the network's blacklist. */
export const PLACEMENT_EXCLUSION_FORMATS = ['json', 'text'] as const;
export type PlacementExclusionFormat = (typeof PLACEMENT_EXCLUSION_FORMATS)[number];

/**
 * Defaults of the exclusion thresholds. Twenty clicks: below that, a few bots make any zone look bad
 * (3 of 5 is 60 %) and blacklisting it costs the good traffic it would have sent. Thirty percent: well
 * above the few percent of crawlers and duplicates an honest zone shows.
 */
export const DEFAULT_EXCLUSION_MIN_CLICKS = 20;
export const DEFAULT_EXCLUSION_MAX_FRAUD_RATE = 30;
