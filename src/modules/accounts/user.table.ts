import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { Plan } from './account.enums.ts';

export type { Plan };

export interface UserTable {
  id: Generated<number>;
  email: string;
  password_hash: string;
  plan: Plan;
  /** Hash of the optional secret partners must add to postbacks; null when postbacks are open. */
  postback_token: string | null;
  /** Raised by every password change; a token carrying an older one is refused (migration 014). */
  credentials_version: Generated<number>;
  /** JSON array of IPs and CIDR ranges postbacks may come from; `[]` accepts any address. */
  postback_allowed_ips: string;
  created_at: number;
  updated_at: number;
}

export type UserRow = Selectable<UserTable>;
export type NewUserRow = Insertable<UserTable>;
export type UserUpdate = Updateable<UserTable>;
