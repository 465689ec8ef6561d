import type { ReactNode } from 'react';
import { useCan, useCanCall, type Permission, type RouteKey } from './api/me';

/** Shows its children only to a member whose role grants `permission` (the API refuses them anyway). */
export function Can({ permission, children }: { permission: Permission; children: ReactNode }) {
  return useCan(permission) ? <>{children}</> : null;
}

/** Shows its children only to a member who may call `route` (a campaign limit refuses some routes of a permission). */
export function CanCall({ route, children }: { route: RouteKey; children: ReactNode }) {
  return useCanCall(route) ? <>{children}</> : null;
}
