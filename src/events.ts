import { EventEmitter } from 'node:events';
import type { NewClickRow } from './modules/clicks/click.table.ts';
import type { AmendedClick } from './modules/clicks/click-events.ts';

/** An open live feed announces itself at least this often ('live-feed.open'). */
export const LIVE_FEED_ANNOUNCE_MS = 15_000;

/** What features tell each other after the fact (record, then publish). */
export interface AppEvents {
  'campaign.changed': { readonly campaignId: number; readonly uuid: string };
  /** A traffic source was edited or deleted: campaigns that use it track with other parameters now. */
  'traffic-source.changed': { readonly userId: number; readonly trafficSourceId: number };
  /** An account changed its detection thresholds or address lists. */
  'detection-settings.changed': { readonly userId: number };
  /**
   * After the batch holding these clicks committed. `relayed`: committed by another node and
   * carried here for this node's live feeds (storage/counters/redis-click-relay.ts).
   */
  'click.recorded': { readonly clicks: readonly NewClickRow[]; readonly relayed?: boolean };
  /** After earlier clicks of a burst or farm were given the finding a later click revealed. */
  'click.amended': { readonly clicks: readonly AmendedClick[]; readonly relayed?: boolean };
  /** A live feed of this account is open on some node (sent on open and then periodically while open). */
  'live-feed.open': { readonly userId: number };
  /**
   * Invalidations may have been missed (the node's Redis subscription was down): every cache
   * drops everything it holds and reads afresh.
   */
  'caches.stale': Record<string, never>;
  /**
   * Tokens stopped authenticating: those of one API key (revoked), or every token of the account
   * (`apiKeyId` null: the password changed), or one member's. Open live feeds of those tokens close, on every node.
   */
  'credentials.revoked': {
    readonly userId: number;
    readonly apiKeyId: number | null;
    /** Only this member's tokens (removed, or their role or campaigns changed); absent: the whole account's. */
    readonly memberId?: number;
  };
  /** An account's webhook endpoints changed (created, edited, deleted, or disabled by the system). */
  'webhooks.changed': { readonly userId: number };
}

export class EventBus {
  readonly #emitter = new EventEmitter({ captureRejections: false });

  constructor() {
    // Each open live feed (GET /api/v1/clicks/stream) listens: many are normal, not a leak.
    this.#emitter.setMaxListeners(0);
  }

  listenerCount(event: keyof AppEvents): number {
    return this.#emitter.listenerCount(event);
  }

  on<K extends keyof AppEvents>(event: K, listener: (payload: AppEvents[K]) => void): void {
    this.#emitter.on(event, listener);
  }

  off<K extends keyof AppEvents>(event: K, listener: (payload: AppEvents[K]) => void): void {
    this.#emitter.off(event, listener);
  }

  emit<K extends keyof AppEvents>(event: K, payload: AppEvents[K]): void {
    this.#emitter.emit(event, payload);
  }
}
