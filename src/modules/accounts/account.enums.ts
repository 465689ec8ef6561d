/** An account's enumerations, one list each: the tables' types, the API's schemas and the CLI derive from these. */
export const PLANS = ['starter', 'professional', 'enterprise'] as const;
export type Plan = (typeof PLANS)[number];

export const API_KEY_SCOPES = ['read', 'write'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** A member's role in a workspace (SPEC section 11), from the most rights to the fewest. */
export const ROLES = ['owner', 'admin', 'manager', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** A member who has not accepted their invitation yet is `invited`. */
export const MEMBER_STATUSES = ['active', 'invited'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

/**
 * What a route may require (http/route-policy.ts maps every route to one). `read`: the workspace's data;
 * `campaigns:write`: campaigns and what runs them (sources, offers, landers, flows, costs, conversions,
 * fraud reports); `settings:read`/`settings:write`: detection settings, webhooks, the account's postback
 * protection; `members:read`/`members:write`: the team; `self`: the caller's own profile and API keys.
 */
export const PERMISSIONS = [
  'self',
  'read',
  'campaigns:write',
  'settings:read',
  'settings:write',
  'members:read',
  'members:write',
] as const;
export type Permission = (typeof PERMISSIONS)[number];
