/** The one list of postback log statuses: the table's type and the API's schema derive from it. */
export const POSTBACK_STATUSES = ['pending', 'delivered', 'failed', 'withheld'] as const;
export type PostbackStatus = (typeof POSTBACK_STATUSES)[number];
