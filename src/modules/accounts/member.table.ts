import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { Role } from './account.enums.ts';

export interface MemberTable {
  id: Generated<number>;
  /** The workspace: the account (users row) every resource of it is keyed by. */
  user_id: number;
  /** Null for the registrant, whose email and password are the users row's (migration 023). */
  email: string | null;
  /** Null until the invitation is accepted, and for the registrant. */
  password_hash: string | null;
  role: Role;
  /** JSON array of campaign ids the member is limited to; null: every campaign. */
  campaign_ids: string | null;
  /** Raised by a password change or removal; tokens carrying an older one are refused. */
  credentials_version: Generated<number>;
  /** SHA-256 of the one-time invitation token; kept after use, so a reused link is told apart. */
  invitation_hash: string | null;
  invitation_expires_at: number | null;
  accepted_at: number | null;
  created_at: number;
  updated_at: number;
}

export type MemberRow = Selectable<MemberTable>;
export type NewMemberRow = Insertable<MemberTable>;
export type MemberUpdate = Updateable<MemberTable>;
