/** What the tracker did with a click; the one list, which the table's type and the API's schemas derive from. */
export const CLICK_ACTIONS = ['redirected', 'blocked'] as const;
export type ClickAction = (typeof CLICK_ACTIONS)[number];

/**
 * The sub ids a click stores, each read from the tracking URL's parameter of the same name: the
 * reference's sub1…sub5 and five more (SPEC section 9). Filters, rollups, responses and exports use this list.
 */
export const SUB_ID_NAMES = ['sub1', 'sub2', 'sub3', 'sub4', 'sub5', 'sub6', 'sub7', 'sub8', 'sub9', 'sub10'] as const;
export type SubIdName = (typeof SUB_ID_NAMES)[number];
