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
  created_at: string;
}

export function toAccount(row: UserRow): Account {
  return {
    id: row.id,
    email: row.email,
    plan: row.plan,
    postback_token_required: row.postback_token !== null,
    created_at: new Date(row.created_at).toISOString(),
  };
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
