import type { Generated, Insertable, Selectable } from 'kysely';
import type {
  ConnectionJobKind,
  ConnectionJobStatus,
  ConnectionLogOutcome,
  ConnectionPlatform,
  ConnectionStatus,
} from './connection.enums.ts';

export interface ConnectionTable {
  id: Generated<number>;
  user_id: number;
  platform: ConnectionPlatform;
  name: string;
  /** JSON of what may be shown: customer ids, conversion action, pixel id, currency. */
  settings: string;
  /** The secrets as credentials-cipher.ts sealed them; never leaves the server. */
  credentials: string;
  status: ConnectionStatus;
  last_error: string | null;
  last_error_at: number | null;
  last_success_at: number | null;
  created_at: number;
  updated_at: number;
}

/** The outbox of platform calls (migration 026), leased like postback_deliveries. */
export interface ConnectionJobTable {
  id: Generated<number>;
  connection_id: number;
  user_id: number;
  kind: ConnectionJobKind;
  conversion_id: number | null;
  campaign_id: number | null;
  /** `conv:<connection>:<conversion>` (forever) or `sync:<connection>:<campaign>` (while waiting); unique. */
  once_key: string | null;
  status: ConnectionJobStatus;
  attempts: number;
  next_attempt_at: number | null;
  lease_until: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  completed_at: number | null;
}

export interface ConnectionLogTable {
  id: Generated<number>;
  connection_id: number;
  job_id: number | null;
  at: number;
  action: string;
  outcome: ConnectionLogOutcome;
  status_code: number | null;
  message: string;
  /** What was sent, secrets left out (JSON). */
  request: string | null;
  /** The start of the platform's answer. */
  response: string | null;
  /** JSON of what changed on the platform (criteria created and removed, conversions accepted). */
  changes: string | null;
}

/** An IpBlock criterion this connection created; resource_name null while its create is in flight. */
export interface ConnectionExclusionTable {
  id: Generated<number>;
  connection_id: number;
  google_campaign_id: string;
  ip_address: string;
  resource_name: string | null;
  cost: number;
  created_at: number;
  seen_at: number;
}

export type ConnectionRow = Selectable<ConnectionTable>;
export type NewConnectionRow = Insertable<ConnectionTable>;
export type ConnectionJobRow = Selectable<ConnectionJobTable>;
export type NewConnectionJobRow = Insertable<ConnectionJobTable>;
export type ConnectionLogRow = Selectable<ConnectionLogTable>;
export type NewConnectionLogRow = Insertable<ConnectionLogTable>;
export type ConnectionExclusionRow = Selectable<ConnectionExclusionTable>;
