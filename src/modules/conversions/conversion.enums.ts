/** The one list of conversion statuses, in the reference's order: the table's type and the API's schemas derive from it. */
export const CONVERSION_STATUSES = ['approved', 'pending', 'rejected'] as const;
export type ConversionStatus = (typeof CONVERSION_STATUSES)[number];

/** A conversion event's name (SPEC section 7): the schemas' pattern, and the default when none is given. */
export const EVENT_PATTERN = '[a-z0-9_]{1,32}';
export const DEFAULT_EVENT = 'conversion';
