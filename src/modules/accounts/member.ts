import type { MemberStatus, Role } from './account.enums.ts';
import type { MemberRow } from './member.table.ts';

/** Who did something, for the audit log: the member, the email they act under, and the API key if one was used. */
export interface Actor {
  readonly memberId: number;
  readonly email: string;
  readonly apiKeyId: number | null;
}

export interface Member {
  id: number;
  email: string;
  role: Role;
  /** null: every campaign of the workspace. */
  campaign_ids: number[] | null;
  status: MemberStatus;
  created_at: string;
}

export function parseCampaignIds(json: string | null): number[] | null {
  if (json === null) return null;
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter((item): item is number => Number.isSafeInteger(item)) : [];
}

/** `accountEmail`: the registrant's, whose row carries none (migration 023). */
export function toMember(row: MemberRow, accountEmail: string): Member {
  return {
    id: row.id,
    email: row.email ?? accountEmail,
    role: row.role,
    campaign_ids: parseCampaignIds(row.campaign_ids),
    status: row.email === null || row.accepted_at !== null ? 'active' : 'invited',
    created_at: new Date(row.created_at).toISOString(),
  };
}
