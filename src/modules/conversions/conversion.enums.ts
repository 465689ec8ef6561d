/** The one list of conversion statuses, in the reference's order: the table's type and the API's schemas derive from it. */
export const CONVERSION_STATUSES = ['approved', 'pending', 'rejected'] as const;
export type ConversionStatus = (typeof CONVERSION_STATUSES)[number];
