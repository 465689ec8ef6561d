/**
 * How a list answers: the JSON envelope, one page at a time, or `csv`, every row of the filter
 * streamed as a download (SPEC section 9). The one list the list endpoints' `format` derives from.
 */
export const LIST_FORMATS = ['json', 'csv'] as const;
export type ListFormat = (typeof LIST_FORMATS)[number];
