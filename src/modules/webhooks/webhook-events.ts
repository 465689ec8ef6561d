/** What an endpoint may subscribe to. `click.flagged` is chatty, so nothing subscribes to it unless chosen. */
export const WEBHOOK_EVENT_TYPES = [
  'conversion.created',
  'conversion.updated',
  'click.flagged',
  'fraud.alert',
  'report.ready',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Sent only by POST /webhooks/{id}/test, whatever the endpoint subscribes to. */
export const PING_EVENT = 'ping';
export type DeliverableEventType = WebhookEventType | typeof PING_EVENT;

/** Subscribed to when a webhook is created without `events`. */
export const DEFAULT_WEBHOOK_EVENTS: readonly WebhookEventType[] = [
  'conversion.created',
  'conversion.updated',
  'fraud.alert',
  'report.ready',
];

/** The JSON body of every delivery; `data` has the same shape as the API's object of that kind. */
export interface WebhookEventBody {
  id: string;
  type: DeliverableEventType;
  created_at: string;
  data: unknown;
  /** conversion.updated only: the fields that changed, with their values before the change (as Stripe does). */
  previous_attributes?: Record<string, unknown>;
}

/** What a feature hands to the outbox inside its own transaction. */
export interface NewWebhookEvent {
  userId: number;
  type: WebhookEventType;
  data: unknown;
  /** Campaign-scoped events reach only endpoints without a campaign filter or with this campaign. */
  campaignId?: number;
  previousAttributes?: Record<string, unknown>;
}
