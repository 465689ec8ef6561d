import type { Plan, UserRow } from './user.table.ts';

export const PLANS: readonly Plan[] = ['starter', 'professional', 'enterprise'];

export interface PlanLimits {
  readonly perMinute: number;
  /** null: unlimited. */
  readonly perDay: number | null;
}

export const PLAN_LIMITS: Readonly<Record<Plan, PlanLimits>> = {
  starter: { perMinute: 60, perDay: 10_000 },
  professional: { perMinute: 300, perDay: 100_000 },
  enterprise: { perMinute: 1_000, perDay: null },
};

export interface Account {
  id: number;
  email: string;
  plan: Plan;
  postback_token_required: boolean;
  postback_allowed_ips: string[];
  created_at: string;
}

export function toAccount(row: UserRow): Account {
  return {
    id: row.id,
    email: row.email,
    plan: row.plan,
    postback_token_required: row.postback_token !== null,
    postback_allowed_ips: parseAddressList(row.postback_allowed_ips),
    created_at: new Date(row.created_at).toISOString(),
  };
}

export function parseAddressList(json: string): string[] {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
