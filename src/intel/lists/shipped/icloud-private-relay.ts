/**
 * A small dated snapshot of iCloud Private Relay's egress ranges, shipped so relay users are told apart
 * from proxies before anyone runs `cloakradar intel update` (which downloads Apple's whole feed,
 * https://mask-api.icloud.com/egress-ip-ranges.csv, about 287,000 rows and 12 MB, and replaces this).
 *
 * This machine cannot reach Apple, so the snapshot is not a download: it is the feed's own rows as
 * they are quoted verbatim in public code that parses it (test fixtures and documentation of open
 * source relay-list readers), one or more rows of each network Apple's relay egresses from (Akamai
 * 172.224.0.0/12 and 2a02:26f7::/32, Cloudflare 104.28.0.0/16 and 2a09:bac2::/32, Fastly 146.75.0.0/16
 * and 2a04:4e41::/32). It recognises relay users in those rows only; the full feed covers them all.
 */
export const ICLOUD_RELAY_SNAPSHOT = Object.freeze({
  id: 'icloud-private-relay',
  /** When the rows were gathered; the feed itself changes weekly. */
  date: '2026-12-05',
  url: 'https://mask-api.icloud.com/egress-ip-ranges.csv',
  csv: `172.224.226.0/27,GB,GB-EN,London,
172.224.226.32/31,GB,GB-SC,Aberdeen,
172.224.226.34/31,GB,GB-EN,Oxford,
172.224.226.36/31,GB,GB-EN,Luton,
172.224.226.38/31,GB,GB-NI,Belfast,
172.224.226.40/31,GB,GB-SC,Dundee,
172.224.226.42/31,GB,GB-EN,Brighton,
172.224.226.44/31,GB,GB-EN,Leicester,
172.224.226.46/31,GB,GB-EN,Liverpool,
104.28.30.0/26,JP,JP-13,,
146.75.136.0/22,US,US-WA,BREMERTON,
146.75.253.246/31,US,US-MA,BOSTON,
2a02:26f7:b000:4000::/64,US,US-AK,Anchorage,
2a02:26f7:b3c0:4000::/64,US,US-CA,Los Angeles,
2a04:4e41:275f:1700::/56,US,US-WA,SEATTLE,
2a09:bac2:b089:100::/56,US,US-OR,Oregon City,
`,
});
