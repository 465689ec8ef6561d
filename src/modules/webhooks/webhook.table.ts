import type { Generated, Insertable, Selectable } from 'kysely';
import type { DeliveryStatus } from './webhook.enums.ts';

export interface WebhookTable {
  id: Generated<number>;
  user_id: number;
  url: string;
  description: string | null;
  /** JSON array of event types. */
  events: string;
  /** Only this campaign's events when set. */
  campaign_id: number | null;
  is_active: number;
  /**
   * Kept as-is, not hashed like API secrets: HMAC signing needs the key itself on every delivery.
   * Encrypting it with a key from the environment would only move the secret next to the database it
   * protects (and tie every endpoint to that key's rotation), so the database is trusted with it as
   * it is with the clicks; the API shows it once, at creation and rotation, and never logs it.
   */
  secret: string;
  /** Why the endpoint was turned off by the system (410 Gone, days of failures); null when the owner did it or it is on. */
  disabled_reason: string | null;
  disabled_at: number | null;
  /** First failed attempt since the last success: an endpoint failing for days is disabled. */
  failing_since: number | null;
  created_at: number;
  updated_at: number;
}

/** The outbox: one row per event, written in the transaction of what caused it. */
export interface WebhookEventTable {
  id: string;
  user_id: number;
  type: string;
  /** The exact JSON body sent (and signed) on every attempt. */
  payload: string;
  created_at: number;
}

export type { DeliveryStatus };

/** One row per matching endpoint per event. */
export interface WebhookDeliveryTable {
  id: Generated<number>;
  webhook_id: number;
  event_id: string;
  user_id: number;
  status: DeliveryStatus;
  attempts: number;
  /** When the next attempt is due; null once the delivery succeeded or gave up. */
  next_attempt_at: number | null;
  /** A worker holds the delivery until then; a crashed worker's lease simply runs out. */
  lease_until: number | null;
  last_status_code: number | null;
  last_latency_ms: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  completed_at: number | null;
}

/** Every attempt, so the owner can see what the receiver said each time. */
export interface WebhookAttemptTable {
  id: Generated<number>;
  delivery_id: number;
  attempted_at: number;
  status_code: number | null;
  latency_ms: number;
  error: string | null;
  response_excerpt: string | null;
}

/** When a campaign last raised fraud.alert, so a restart does not alert again within the window. */
export interface FraudAlertStateTable {
  campaign_id: number;
  user_id: number;
  alerted_at: number;
}

export type WebhookRow = Selectable<WebhookTable>;
export type NewWebhookRow = Insertable<WebhookTable>;
export type WebhookDeliveryRow = Selectable<WebhookDeliveryTable>;
export type WebhookAttemptRow = Selectable<WebhookAttemptTable>;
