/**
 * What an analytics query sorts by, and which way: one list each, which the API's schemas derive
 * from. A leaf module, so the schemas can import it without importing the service.
 */
export const ANALYTICS_SORTS = [
  'value',
  'clicks',
  'unique_clicks',
  'real_clicks',
  'bot_clicks',
  'vpn_clicks',
  'fraudulent_clicks',
  'conversions',
  'revenue',
  'cost',
  'profit',
  'roi',
  'cr',
  'fraud_rate',
] as const;
export type AnalyticsSort = (typeof ANALYTICS_SORTS)[number];

export const SORT_ORDERS = ['asc', 'desc'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];
