import { PERMISSIONS, type ApiKeyScope, type Permission, type Role } from '../modules/accounts/account.enums.ts';
import { roleAllows, WRITE_PERMISSIONS } from '../modules/accounts/roles.ts';
import type { CampaignScope } from '../campaign-scope.ts';

/**
 * What a member limited to some campaigns (`campaign_ids`) may do on a route:
 * - `campaign`: campaign data; the route reads through the request's campaign scope (a named campaign
 *   outside it is 404, lists and totals hold only its campaigns);
 * - `shared`: not campaign data (the caller's own profile and keys, the catalogue of sources, offers and
 *   landers, read only);
 * - `workspace`: data or settings of the whole workspace that no campaign scope narrows: refused (403).
 */
export type LimitedAccess = 'campaign' | 'shared' | 'workspace';

export interface RoutePolicy {
  readonly permission: Permission;
  readonly limited: LimitedAccess;
}

const policy = (permission: Permission, limited: LimitedAccess): RoutePolicy => ({ permission, limited });
const READ_CAMPAIGN = policy('read', 'campaign');
const WRITE_CAMPAIGN = policy('campaigns:write', 'campaign');
const READ_SHARED = policy('read', 'shared');
const WRITE_CATALOGUE = policy('campaigns:write', 'workspace');
const SELF = policy('self', 'shared');
const SETTINGS_READ = policy('settings:read', 'workspace');
const SETTINGS_WRITE = policy('settings:write', 'workspace');

/**
 * The one table of who may call what (README, "Roles"): every guarded route, by method and Fastify path,
 * names the permission it needs (modules/accounts/roles.ts says which roles hold it). A route missing
 * here is refused to everyone (test/security/role-matrix.test.ts fails on it first). Public routes
 * (sign-in, registration, postbacks, accepting an invitation) are not listed: they take no token.
 */
export const ROUTE_POLICY: Readonly<Record<string, RoutePolicy>> = {
  'GET /api/v1/account': SELF,
  'PUT /api/v1/account': SETTINGS_WRITE,
  'POST /api/v1/account/postback-token': SETTINGS_WRITE,
  'DELETE /api/v1/account/postback-token': SETTINGS_WRITE,

  'POST /api/v1/api-keys': SELF,
  'GET /api/v1/api-keys': SELF,
  'DELETE /api/v1/api-keys/:id': SELF,

  'GET /api/v1/members': policy('members:read', 'workspace'),
  'POST /api/v1/members': policy('members:write', 'workspace'),
  'GET /api/v1/members/me': SELF,
  'PUT /api/v1/members/me/password': SELF,
  'PATCH /api/v1/members/:id': policy('members:write', 'workspace'),
  'DELETE /api/v1/members/:id': policy('members:write', 'workspace'),
  // Owner and admin only: the log names every member and what they did.
  'GET /api/v1/audit-log': policy('members:read', 'workspace'),

  'GET /api/v1/traffic-sources': READ_SHARED,
  'POST /api/v1/traffic-sources': WRITE_CATALOGUE,
  'GET /api/v1/traffic-sources/:id': READ_SHARED,
  'PUT /api/v1/traffic-sources/:id': WRITE_CATALOGUE,
  'DELETE /api/v1/traffic-sources/:id': WRITE_CATALOGUE,
  // Deliveries and placements span every campaign the source feeds.
  'GET /api/v1/traffic-sources/:id/postbacks': policy('read', 'workspace'),
  'POST /api/v1/traffic-sources/:id/postbacks/test': WRITE_CATALOGUE,
  'GET /api/v1/traffic-sources/:id/placements': policy('read', 'workspace'),
  'GET /api/v1/traffic-sources/:id/placement-exclusions': policy('read', 'workspace'),
  'GET /api/v1/traffic-source-templates': READ_SHARED,

  'GET /api/v1/offers': READ_SHARED,
  'POST /api/v1/offers': WRITE_CATALOGUE,
  'GET /api/v1/offers/:id': READ_SHARED,
  'PUT /api/v1/offers/:id': WRITE_CATALOGUE,
  'DELETE /api/v1/offers/:id': WRITE_CATALOGUE,
  'GET /api/v1/landers': READ_SHARED,
  'POST /api/v1/landers': WRITE_CATALOGUE,
  'GET /api/v1/landers/:id': READ_SHARED,
  'PUT /api/v1/landers/:id': WRITE_CATALOGUE,
  'DELETE /api/v1/landers/:id': WRITE_CATALOGUE,

  'GET /api/v1/campaigns': READ_CAMPAIGN,
  // A member limited to some campaigns works on those: a new one would be outside their own limit.
  'POST /api/v1/campaigns': policy('campaigns:write', 'workspace'),
  'GET /api/v1/campaigns/:id': READ_CAMPAIGN,
  'PUT /api/v1/campaigns/:id': WRITE_CAMPAIGN,
  'DELETE /api/v1/campaigns/:id': WRITE_CAMPAIGN,
  'GET /api/v1/campaigns/:id/stats': READ_CAMPAIGN,
  'POST /api/v1/campaigns/:id/costs': WRITE_CAMPAIGN,
  'GET /api/v1/campaigns/:id/costs': READ_CAMPAIGN,

  'GET /api/v1/clicks': READ_CAMPAIGN,
  'GET /api/v1/clicks/:clickid': READ_CAMPAIGN,
  'GET /api/v1/clicks/stream': READ_CAMPAIGN,
  'GET /api/v1/conversions': READ_CAMPAIGN,
  'POST /api/v1/conversions': WRITE_CAMPAIGN,
  'GET /api/v1/stats': READ_CAMPAIGN,
  'GET /api/v2/analytics/countries': READ_CAMPAIGN,
  'GET /api/v2/analytics/devices': READ_CAMPAIGN,
  'GET /api/v2/analytics/:dimension': READ_CAMPAIGN,
  'GET /api/v2/fraud/stats': READ_CAMPAIGN,
  'POST /api/v2/fraud/report': WRITE_CAMPAIGN,
  'GET /api/v2/fraud/report/:id': READ_CAMPAIGN,
  'GET /api/v2/fraud/report/:id/csv': READ_CAMPAIGN,
  'GET /api/v2/fraud/report/:id/ip-exclusions': READ_CAMPAIGN,
  'GET /api/v2/fraud/reports': READ_CAMPAIGN,
  'GET /api/v2/reports': READ_CAMPAIGN,

  'GET /api/v1/detection-settings': SETTINGS_READ,
  'PUT /api/v1/detection-settings': SETTINGS_WRITE,
  'POST /api/v1/webhooks': SETTINGS_WRITE,
  'GET /api/v1/webhooks': SETTINGS_READ,
  'GET /api/v1/webhooks/:id': SETTINGS_READ,
  'PUT /api/v1/webhooks/:id': SETTINGS_WRITE,
  'DELETE /api/v1/webhooks/:id': SETTINGS_WRITE,
  'POST /api/v1/webhooks/:id/rotate-secret': SETTINGS_WRITE,
  'POST /api/v1/webhooks/:id/test': SETTINGS_WRITE,
  'GET /api/v1/webhooks/:id/deliveries': SETTINGS_READ,
  'POST /api/v1/webhooks/:id/deliveries/:deliveryId/retry': SETTINGS_WRITE,

  // Ad-platform credentials act for the whole workspace (its exclusions and conversions).
  'POST /api/v1/connections': SETTINGS_WRITE,
  'GET /api/v1/connections': SETTINGS_READ,
  'GET /api/v1/connections/:id': SETTINGS_READ,
  'PUT /api/v1/connections/:id': SETTINGS_WRITE,
  'DELETE /api/v1/connections/:id': SETTINGS_WRITE,
  'POST /api/v1/connections/:id/test': SETTINGS_WRITE,
  'GET /api/v1/connections/:id/log': SETTINGS_READ,
  'POST /api/v1/connections/:id/sync': SETTINGS_WRITE,
};

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A read-only API key changes nothing, whatever the route: every method but a read is refused. */
export function readOnlyRefusal(scope: ApiKeyScope, method: string): string | null {
  return scope !== 'write' && !READ_METHODS.has(method)
    ? 'This token comes from a read-only API key and cannot change anything'
    : null;
}

/** What the policy reads of a caller (a Principal has all of it). */
export interface PolicySubject {
  readonly role: Role;
  readonly scope: ApiKeyScope;
  readonly campaignIds: CampaignScope;
}

/**
 * Why `subject` may not call a route of `policy`, or null when it may. The guard refuses with this reason;
 * GET /members/me derives what it reports from the same function, so the dashboard never offers a call
 * the guard would refuse.
 */
export function refusalOf(subject: PolicySubject, method: string, policy: RoutePolicy): string | null {
  const keyRefusal = readOnlyRefusal(subject.scope, method);
  if (keyRefusal !== null) return keyRefusal;
  if (!roleAllows(subject.role, policy.permission)) {
    return `A ${subject.role} may not do this (it needs ${policy.permission})`;
  }
  if (WRITE_PERMISSIONS.has(policy.permission) && subject.scope !== 'write') {
    return 'This token comes from a read-only API key and cannot change anything';
  }
  if (subject.campaignIds !== null && policy.limited === 'workspace') {
    return 'This member is limited to some campaigns and may not reach workspace-wide data';
  }
  return null;
}

/** Every route (`METHOD /fastify/:path`, as in ROUTE_POLICY) this caller may call, in the table's order. */
export function allowedRoutes(subject: PolicySubject): string[] {
  return Object.entries(ROUTE_POLICY)
    .filter(([route, policy]) => refusalOf(subject, route.slice(0, route.indexOf(' ')), policy) === null)
    .map(([route]) => route);
}

/**
 * What GET /members/me reports a caller may do. `permissions`: those it can use on at least one route, its
 * role's less those a read-only key or a campaign limit leaves no route for (a limited manager keeps
 * campaigns:write for its campaigns and loses settings:read, whose routes all span the workspace);
 * `allowed_routes`: each route it may call, for controls finer than a permission (New campaign).
 */
export function rightsOf(subject: PolicySubject): { permissions: Permission[]; allowed_routes: string[] } {
  const routes = allowedRoutes(subject);
  const used = new Set(routes.map((route) => ROUTE_POLICY[route]?.permission));
  return { permissions: PERMISSIONS.filter((permission) => used.has(permission)), allowed_routes: routes };
}

/** The policy of a route (HEAD answers as its GET), or undefined for one nobody listed. */
export function policyOf(method: string, url: string | undefined): RoutePolicy | undefined {
  return ROUTE_POLICY[`${method === 'HEAD' ? 'GET' : method} ${url ?? ''}`];
}
