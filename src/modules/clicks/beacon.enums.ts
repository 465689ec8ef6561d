/** The click's detail: the beacon came, the page has until an hour after the click, or it never came. */
export const BEACON_STATES = ['received', 'waiting', 'missing'] as const;
export type BeaconState = (typeof BEACON_STATES)[number];

/** What became of a beacon: judged (`recorded`), a page view's later figures kept (`updated`), or nothing. */
export const BEACON_RESULTS = ['recorded', 'updated', 'ignored'] as const;

/** Why a beacon changed nothing. */
export const BEACON_IGNORED_REASONS = ['expired', 'another_page_view', 'repeat'] as const;
export type BeaconIgnoredReason = (typeof BEACON_IGNORED_REASONS)[number];
