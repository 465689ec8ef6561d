/** Bounds of a cost range, shared by its schema and its service (a leaf: the schema imports no service). */

/** A spend figure beyond this is a typo (an extra zero or two), not a campaign's spend. */
export const MAX_COST_AMOUNT = 10_000_000;
/** As a report: a range spans at most a year and a day. */
export const MAX_COST_RANGE_DAYS = 366;
