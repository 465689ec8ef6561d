import type { WebhookEventType } from './webhook-events.ts';
import type { WebhookRow } from './webhook.table.ts';

export interface Webhook {
  id: number;
  url: string;
  description: string | null;
  events: WebhookEventType[];
  campaign_id: number | null;
  active: boolean;
  disabled_reason: string | null;
  disabled_at: string | null;
  failing_since: string | null;
  created_at: string;
  updated_at: string;
}

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
