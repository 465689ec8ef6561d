import { useQuery } from '@tanstack/react-query';
import { api, call } from './client';

const fetchMe = async () => (await call(api.GET('/api/v1/members/me', {}))).data;

export type Me = Awaited<ReturnType<typeof fetchMe>>;
export type Permission = Me['permissions'][number];

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
