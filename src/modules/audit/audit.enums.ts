/** What the audit log records (SPEC section 11); the API's filters and the dashboard derive from these. */
export const AUDIT_ACTIONS = ['create', 'update', 'delete'] as const;
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
] as const;
export type AuditResource = (typeof AUDIT_RESOURCES)[number];
