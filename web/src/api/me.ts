import { useQuery } from '@tanstack/react-query';
import { api, call } from './client';

const fetchMe = async () => (await call(api.GET('/api/v1/members/me', {}))).data;

export type Me = Awaited<ReturnType<typeof fetchMe>>;
export type Permission = Me['permissions'][number];
/** A route as the server's policy table names it: `POST /api/v1/campaigns`, `PUT /api/v1/offers/:id`. */
export type RouteKey = `${'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'} /api/${string}`;

/** Who is signed in here: their role, campaign limit and permissions (GET /api/v1/members/me). */
export function useMe() {
  return useQuery({ queryKey: ['me'], queryFn: fetchMe, staleTime: 60_000 });
}

/**
 * Whether the signed-in member may use a control that needs `permission`. While unknown (loading) it
 * says no: a button appears once allowed rather than vanishing after a click that would be refused.
 */
export function useCan(permission: Permission): boolean {
  const me = useMe();
  return me.data?.permissions.includes(permission) ?? false;
}

/**
 * Whether the signed-in member may call `route`: finer than a permission where a campaign limit refuses
 * some of its routes (a limited manager edits their campaigns but may not create one). The server says
 * which (`allowed_routes`), from the same policy its guard applies; no while unknown, as useCan.
 */
export function useCanCall(route: RouteKey): boolean {
  const me = useMe();
  return me.data?.allowed_routes.includes(route) ?? false;
}
