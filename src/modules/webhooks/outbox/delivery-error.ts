/**
 * What a failed delivery attempt records and the API shows. Never the raw socket error: "connect
 * ECONNREFUSED 10.0.0.5:22" against "ETIMEDOUT" would tell an account which internal addresses and
 * ports exist (a port scan through our server, even where the SSRF guard is relaxed by
 * WEBHOOKS_ALLOW_PRIVATE_TARGETS). A few fixed phrases are enough to fix a receiver.
 */
export const DELIVERY_ERRORS = {
  refused: 'connection refused',
  timedOut: 'timed out',
  dns: 'DNS lookup failed',
  reset: 'connection reset',
  unreachable: 'host unreachable',
  tls: 'TLS handshake failed',
  other: 'connection failed',
  /** The SSRF guard refused the target (a non-public address); which address is not said. */
  unsafe: 'refused: the target is not a public address',
} as const;

const BY_CODE: Record<string, string> = {
  ECONNREFUSED: DELIVERY_ERRORS.refused,
  ETIMEDOUT: DELIVERY_ERRORS.timedOut,
  ESOCKETTIMEDOUT: DELIVERY_ERRORS.timedOut,
  ENOTFOUND: DELIVERY_ERRORS.dns,
  EAI_AGAIN: DELIVERY_ERRORS.dns,
  EAI_FAIL: DELIVERY_ERRORS.dns,
  ENODATA: DELIVERY_ERRORS.dns,
  ESERVFAIL: DELIVERY_ERRORS.dns,
  ECONNRESET: DELIVERY_ERRORS.reset,
  EPIPE: DELIVERY_ERRORS.reset,
  EHOSTUNREACH: DELIVERY_ERRORS.unreachable,
  ENETUNREACH: DELIVERY_ERRORS.unreachable,
  EHOSTDOWN: DELIVERY_ERRORS.unreachable,
};

/** The phrase for an error of a connection attempt (or of its DNS lookup), by its code. */
export function describeConnectionError(error: unknown): string {
  const code = error instanceof Error && 'code' in error ? String((error as NodeJS.ErrnoException).code) : '';
  if (BY_CODE[code]) return BY_CODE[code];
  if (/^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_)/.test(code)) return DELIVERY_ERRORS.tls;
  return DELIVERY_ERRORS.other;
}

const KNOWN = new Set<string>(Object.values(DELIVERY_ERRORS));

/**
 * Attempts stored before this rule kept the raw text ("ECONNREFUSED: connect ECONNREFUSED 10.0.0.5:22",
 * "Refused: x resolves to 10.0.0.5 …"): they are shown through the same phrases, so no older record
 * leaks what a new one would not. `HTTP 500` (the receiver's own answer) is kept as it is.
 */
export function presentDeliveryError(stored: string | null): string | null {
  if (stored === null || KNOWN.has(stored) || /^HTTP \d{3}$/.test(stored)) return stored;
  if (/^Refused:/.test(stored)) return DELIVERY_ERRORS.unsafe;
  if (/^Timed out/i.test(stored)) return DELIVERY_ERRORS.timedOut;
  if (/^DNS:/.test(stored)) return DELIVERY_ERRORS.dns;
  const code = /^([A-Z][A-Z0-9_]+):/.exec(stored)?.[1];
  if (code) return describeConnectionError(Object.assign(new Error(), { code }));
  return DELIVERY_ERRORS.other;
}
