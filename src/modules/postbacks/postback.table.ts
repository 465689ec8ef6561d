import type { Generated, Insertable, Selectable } from 'kysely';
import type { PostbackStatus } from './postback.enums.ts';

export type { PostbackStatus };

/**
 * One decision about a conversion's postback: a call to make (the outbox row the worker delivers) or
 * a call withheld, with the reason. Written in the transaction that counts the conversion.
 */
export interface PostbackDeliveryTable {
  id: Generated<number>;
  user_id: number;
  traffic_source_id: number;
  conversion_id: number;
  click_id: string;
  /** `conv:<conversion id>` on a row that sends, null on a withheld one; unique, so a conversion is sent once. */
  once_key: string | null;
  /** The template with its macros substituted: the exact URL every attempt calls (masked when shown). */
  url: string;
  status: PostbackStatus;
  /** Why it was withheld; null for the rows that send. */
  reason: string | null;
  attempts: number;
  /** When the next attempt is due; null once delivered, given up, or withheld. */
  next_attempt_at: number | null;
  /** A worker holds the delivery until then; a crashed worker's lease simply runs out. */
  lease_until: number | null;
  last_status_code: number | null;
  last_latency_ms: number | null;
  last_error: string | null;
  /** The start of the network's last answer. */
  response_excerpt: string | null;
  created_at: number;
  updated_at: number;
  completed_at: number | null;
}

export interface PostbackAttemptTable {
  id: Generated<number>;
  delivery_id: number;
  attempted_at: number;
  status_code: number | null;
  latency_ms: number;
  error: string | null;
  response_excerpt: string | null;
}

export type PostbackDeliveryRow = Selectable<PostbackDeliveryTable>;
export type NewPostbackDeliveryRow = Insertable<PostbackDeliveryTable>;
export type PostbackAttemptRow = Selectable<PostbackAttemptTable>;
