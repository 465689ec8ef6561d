/** The one list of traffic source platforms: the table's type and the API's schemas derive from it. */
export const PLATFORMS = ['google', 'meta', 'tiktok', 'microsoft', 'other'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** What kind of traffic a network sells, as media buyers group them. */
export const TEMPLATE_KINDS = ['search', 'social', 'native', 'push', 'pop'] as const;
export type TemplateKind = (typeof TEMPLATE_KINDS)[number];

/** The macros a traffic source's postback URL may hold (SPEC section 7); values are URL-encoded. */
export const POSTBACK_MACROS = [
  'external_id',
  'click_id',
  'payout',
  'status',
  'txid',
  'event',
  'campaign_id',
  'placement',
  'country',
  ...Array.from({ length: 10 }, (_, i) => `sub${i + 1}` as const),
] as const;
export type PostbackMacro = (typeof POSTBACK_MACROS)[number];
