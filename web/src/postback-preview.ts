// The live preview of a traffic source's postback URL: what the network would receive, with sample values.
//
// The macros and the substitution mirror the server's (src/modules/postbacks/postback-url.ts and the
// sample of postback.service.ts's test call), so the preview is byte for byte the URL "Send test" calls.
// The dashboard cannot import server code (its own build), and the macro list is not an enum in the
// OpenAPI document (it is prose in postback_url's description), so it is written out here once.

/** Every macro a postback URL may hold, in the order the API's description lists them. */
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
  ...Array.from({ length: 10 }, (_, i) => `sub${i + 1}`),
] as const;

/** The values of the server's test call (POST …/postbacks/test), so preview and test agree. */
export const POSTBACK_SAMPLE: Readonly<Record<string, string>> = {
  external_id: 'test_external_id',
  click_id: 'clk_test0000000000000000000',
  payout: '1',
  status: 'approved',
  txid: 'test_txid',
  event: 'conversion',
  campaign_id: '0',
  placement: 'test_placement',
  country: 'US',
  ...Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`sub${i + 1}`, `test_sub${i + 1}`])),
};

const MACRO = /\{([a-z0-9_]+)\}/g;

/** Known macros become their URL-encoded sample; unknown ones become empty, as the sender does. */
export function previewPostback(template: string, values: Readonly<Record<string, string>> = POSTBACK_SAMPLE): string {
  return template.replace(MACRO, (_whole, name: string) => encodeURIComponent(values[name] ?? ''));
}

/** The `{macros}` of a template the sender does not know (they would reach the network empty). */
export function unknownMacros(template: string): string[] {
  const known: ReadonlySet<string> = new Set(POSTBACK_MACROS);
  return [...new Set([...template.matchAll(MACRO)].map((match) => match[1] ?? ''))].filter((name) => !known.has(name));
}
