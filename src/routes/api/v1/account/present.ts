import { PLAN_LIMITS, type Account } from '../../../../modules/accounts/account.ts';

/** The account as the API shows it: with the plan's rate limits, so clients can pace themselves. */
export function presentAccount(account: Account) {
  const limits = PLAN_LIMITS[account.plan];
  return { ...account, rate_limits: { per_minute: limits.perMinute, per_day: limits.perDay } };
}
