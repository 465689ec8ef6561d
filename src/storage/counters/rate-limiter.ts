export interface RateWindow {
  readonly limit: number;
  readonly windowMs: number;
}

export interface RateDecision {
  readonly allowed: boolean;
  /** The window that binds most: the one that refused, or the one with the fewest requests left. */
  readonly limit: number;
  readonly remaining: number;
  /** When that window starts afresh, epoch ms. */
  readonly resetAt: number;
}

/** Fixed-window request counting; the memory implementation serves one node, Redis several. */
export interface RateLimiter {
  consume(key: string, windows: readonly RateWindow[], now: number): Promise<RateDecision>;
}
