/** The one list of traffic source platforms: the table's type and the API's schemas derive from it. */
export const PLATFORMS = ['google', 'meta', 'tiktok', 'microsoft', 'other'] as const;
export type Platform = (typeof PLATFORMS)[number];
