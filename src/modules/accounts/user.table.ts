import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export type Plan = 'starter' | 'professional' | 'enterprise';

export interface UserTable {
  id: Generated<number>;
  email: string;
  password_hash: string;
  plan: Plan;
  /** Hash of the optional secret partners must add to postbacks; null when postbacks are open. */
  postback_token: string | null;
  /** JSON array of IPs and CIDR ranges postbacks may come from; `[]` accepts any address. */
  postback_allowed_ips: string;
  created_at: number;
  updated_at: number;
}

export type UserRow = Selectable<UserTable>;
export type NewUserRow = Insertable<UserTable>;
export type UserUpdate = Updateable<UserTable>;
