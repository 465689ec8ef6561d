import { ROLES, type Permission, type Role } from './account.enums.ts';

/** The one table of what each role may do (README, "Roles"); routes name a permission, never a role. */
export const ROLE_PERMISSIONS: Readonly<Record<Role, ReadonlySet<Permission>>> = {
  owner: new Set([
    'self',
    'read',
    'campaigns:write',
    'settings:read',
    'settings:write',
    'members:read',
    'members:write',
  ]),
  admin: new Set([
    'self',
    'read',
    'campaigns:write',
    'settings:read',
    'settings:write',
    'members:read',
    'members:write',
  ]),
  manager: new Set(['self', 'read', 'campaigns:write', 'settings:read']),
  viewer: new Set(['self', 'read', 'settings:read']),
};

/** Permissions that change something: an API key of scope `read` holds none of them. */
export const WRITE_PERMISSIONS: ReadonlySet<Permission> = new Set([
  'campaigns:write',
  'settings:write',
  'members:write',
]);

/** Roles that may be limited to some campaigns: an owner or admin runs the whole workspace. */
export const LIMITABLE_ROLES: ReadonlySet<Role> = new Set(['manager', 'viewer']);

/** 0 for owner, growing as rights shrink: a member grants no role ranked above their own. */
export function roleRank(role: Role): number {
  return ROLES.indexOf(role);
}

export function roleAllows(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].has(permission);
}

/** Who manages every API key of the workspace; the others see and revoke their own only. */
export function managesAllKeys(role: Role): boolean {
  return roleAllows(role, 'members:write');
}
