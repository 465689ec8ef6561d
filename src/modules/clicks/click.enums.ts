/** What the tracker did with a click; the one list, which the table's type and the API's schemas derive from. */
export const CLICK_ACTIONS = ['redirected', 'blocked'] as const;
export type ClickAction = (typeof CLICK_ACTIONS)[number];

/**
 * Where a click's `cost` came from (SPEC section 7, "Cost"): its traffic source's cost_param (`param`),
 * the campaign's model because the click carried no cost parameter (`model`), or the model because the
 * parameter was not a price (`invalid_param`). Null on clicks of campaigns whose source has no cost_param.
 */
export const COST_SOURCES = ['param', 'model', 'invalid_param'] as const;
export type CostSource = (typeof COST_SOURCES)[number];

/**
 * The sub ids a click stores, each read from the tracking URL's parameter of the same name: the
 * reference's sub1…sub5 and five more (SPEC section 9). Filters, rollups, responses and exports use this list.
 */
export const SUB_ID_NAMES = ['sub1', 'sub2', 'sub3', 'sub4', 'sub5', 'sub6', 'sub7', 'sub8', 'sub9', 'sub10'] as const;
export type SubIdName = (typeof SUB_ID_NAMES)[number];
