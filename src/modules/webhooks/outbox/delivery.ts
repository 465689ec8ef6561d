import type { WebhookAttemptRow } from '../webhook.table.ts';
import type { DeliveryListRow } from './delivery.repository.ts';
import { presentDeliveryError } from './delivery-error.ts';

export interface DeliveryAttempt {
  attempted_at: string;
  status_code: number | null;
  latency_ms: number;
  error: string | null;
  response_excerpt: string | null;
}

export interface WebhookDelivery {
  id: number;
  webhook_id: number;
  event_id: string;
  event_type: string;
  status: DeliveryListRow['status'];
  attempt_count: number;
  next_attempt_at: string | null;
  last_status_code: number | null;
  last_latency_ms: number | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
  /** Every attempt, oldest first. */
  attempts: DeliveryAttempt[];
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function toDelivery(row: DeliveryListRow, attempts: readonly WebhookAttemptRow[]): WebhookDelivery {
  return {
    id: row.id,
    webhook_id: row.webhook_id,
    event_id: row.event_id,
    event_type: row.event_type,
    status: row.status,
    attempt_count: row.attempts,
    next_attempt_at: row.status === 'pending' ? iso(row.next_attempt_at) : null,
    last_status_code: row.last_status_code,
    last_latency_ms: row.last_latency_ms,
    last_error: presentDeliveryError(row.last_error),
    created_at: new Date(row.created_at).toISOString(),
    updated_at: new Date(row.updated_at).toISOString(),
    completed_at: iso(row.completed_at),
    attempts: attempts.map((attempt) => ({
      attempted_at: new Date(attempt.attempted_at).toISOString(),
      status_code: attempt.status_code,
      latency_ms: attempt.latency_ms,
      error: presentDeliveryError(attempt.error),
      response_excerpt: attempt.response_excerpt,
    })),
  };
}
