import type { ReactNode } from 'react';
import { useCan, type Permission } from './api/me';

/** Shows its children only to a member whose role grants `permission` (the API refuses them anyway). */
export function Can({ permission, children }: { permission: Permission; children: ReactNode }) {
  return useCan(permission) ? <>{children}</> : null;
}
