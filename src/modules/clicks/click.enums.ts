/** What the tracker did with a click; the one list, which the table's type and the API's schemas derive from. */
export const CLICK_ACTIONS = ['redirected', 'blocked'] as const;
export type ClickAction = (typeof CLICK_ACTIONS)[number];
