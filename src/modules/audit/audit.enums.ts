/** What the audit log records (SPEC section 11); the API's filters and the dashboard derive from these. */
/** `sync`: an on-demand push of a connection's exclusions (it changes what the ad platform holds, not a row here). */
export const AUDIT_ACTIONS = ['create', 'update', 'delete', 'sync'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_RESOURCES = [
  'campaign',
  'traffic_source',
  'offer',
  'lander',
  'api_key',
  'member',
  'campaign_costs',
  'detection_settings',
  'webhook',
  'account',
  'connection',
  'fraud_report',
  'conversion',
] as const;
export type AuditResource = (typeof AUDIT_RESOURCES)[number];
