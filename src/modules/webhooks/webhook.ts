import type { Static } from 'typebox';
import type { WebhookSchema } from '../../schemas/webhook.ts';
import type { WebhookEventType } from './webhook-events.ts';
import type { WebhookRow } from './webhook.table.ts';

/**
 * The API's webhook, with `events` narrowed to the event types: the response schema says only
 * string[] there, and tightening it would change the OpenAPI document clients generate from.
 */
export type Webhook = Omit<Static<typeof WebhookSchema>, 'events'> & { events: WebhookEventType[] };

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The secret never leaves through this mapper: only creation and rotation return it. */
export function toWebhook(row: WebhookRow): Webhook {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: JSON.parse(row.events) as WebhookEventType[],
    campaign_id: row.campaign_id,
    active: row.is_active === 1,
    disabled_reason: row.disabled_reason,
    disabled_at: iso(row.disabled_at),
    failing_since: iso(row.failing_since),
    created_at: new Date(row.created_at).toISOString(),
    updated_at: new Date(row.updated_at).toISOString(),
  };
}
