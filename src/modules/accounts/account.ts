import type { Static } from 'typebox';
import type { AccountSchema } from '../../schemas/account.ts';
import type { Plan, UserRow } from './user.table.ts';

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

/** The API's account without its rate limits, which the route adds from the plan (PLAN_LIMITS). */
export type Account = Omit<Static<typeof AccountSchema>, 'rate_limits'>;

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
