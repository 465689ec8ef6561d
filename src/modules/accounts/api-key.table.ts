import type { Generated, Insertable, Selectable } from 'kysely';
import type { ApiKeyScope } from './account.enums.ts';

export type { ApiKeyScope };

export interface ApiKeyTable {
  id: Generated<number>;
  user_id: number;
  /** The member it belongs to: it carries at most that member's rights (migration 023). */
  member_id: number | null;
  name: string;
  /** The public half, shown in lists. */
  key: string;
  secret_hash: string;
  scope: ApiKeyScope;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export type ApiKeyRow = Selectable<ApiKeyTable>;
export type NewApiKeyRow = Insertable<ApiKeyTable>;
