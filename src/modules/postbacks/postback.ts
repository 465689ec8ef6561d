import type { Static } from 'typebox';
import type { PostbackLogEntrySchema, PostbackTestResultSchema } from '../../schemas/postback.ts';
import { presentDeliveryError } from '../webhooks/outbox/delivery-error.ts';
import { maskSecrets } from './postback-url.ts';
import type { PostbackAttemptRow, PostbackDeliveryRow } from './postback.table.ts';

export type PostbackLogEntry = Static<typeof PostbackLogEntrySchema>;
export type PostbackTestResult = Static<typeof PostbackTestResultSchema>;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function toPostbackLogEntry(
  row: PostbackDeliveryRow,
  attempts: readonly PostbackAttemptRow[],
): PostbackLogEntry {
  return {
    id: row.id,
    conversion_id: row.conversion_id,
    click_id: row.click_id,
    url: maskSecrets(row.url),
    status: row.status,
    reason: row.reason,
    attempts: row.attempts,
    next_attempt_at: row.status === 'pending' ? iso(row.next_attempt_at) : null,
    last_status_code: row.last_status_code,
    last_error: presentDeliveryError(row.last_error),
    response_excerpt: row.response_excerpt,
    created_at: new Date(row.created_at).toISOString(),
    updated_at: new Date(row.updated_at).toISOString(),
    completed_at: iso(row.completed_at),
    attempt_log: attempts.map((attempt) => ({
      attempted_at: new Date(attempt.attempted_at).toISOString(),
      status_code: attempt.status_code,
      latency_ms: attempt.latency_ms,
      error: presentDeliveryError(attempt.error),
      response_excerpt: attempt.response_excerpt,
    })),
  };
}
