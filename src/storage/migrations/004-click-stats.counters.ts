/**
 * The rollups' counters as migration 004 released them, unchanged through 012: frozen, never edited and never
 * following today's list (modules/stats/click-stats.table.ts). Migrations 004, 010, 011 and 012 share this one
 * copy because they were written against the same list; a later migration that needs another list writes its
 * own file beside it.
 */
export const COUNTER_NAMES_004 = [
  'clicks',
  'unique_clicks',
  'real_clicks',
  'bot_clicks',
  'vpn_clicks',
  'cloaked_clicks',
  'verified_bot_clicks',
  'fraud_clicks',
  'fraud_bot',
  'fraud_rapid_fire',
  'fraud_click_farm',
  'fraud_datacenter',
  'fraud_vpn',
  'fraud_duplicate',
  'conversions',
  'revenue',
] as const;
