/**
 * What detection judges: one request, normalised once at the edge (modules/clicks/visitor.ts builds it).
 * Detection owns the shape, so the pure layer imports nothing from the features that feed it.
 */

/** Only the headers detection reads: consistency checks (accept-*, sec-*) and prefetch markers. */
export const VISITOR_HEADER_NAMES = [
  'accept',
  'accept-language',
  'accept-encoding',
  'sec-fetch-site',
  'sec-fetch-mode',
  'sec-fetch-dest',
  'sec-fetch-user',
  'sec-ch-ua',
  'sec-ch-ua-mobile',
  'sec-ch-ua-platform',
  'purpose',
  'sec-purpose',
  'x-purpose',
  'x-moz',
] as const;
export type VisitorHeaderName = (typeof VISITOR_HEADER_NAMES)[number];
/** Absent headers are absent keys; a header sent empty stays '' (that is a signal too). */
export type VisitorHeaders = Partial<Record<VisitorHeaderName, string>>;

export interface Visitor {
  /** As the HTTP layer resolved it (TRUST_PROXY applied); IPv4-mapped IPv6 unwrapped to IPv4. */
  readonly ip: string;
  readonly userAgent: string;
  readonly referrer: string | null;
  readonly headers: Readonly<VisitorHeaders>;
  readonly query: Readonly<Record<string, string>>;
  readonly method: 'GET' | 'HEAD';
  /**
   * Whether the visitor's browser reached us over HTTPS (X-Forwarded-Proto from a trusted proxy
   * counts). Browsers send Sec-Fetch-* and client hints only to secure origins, so header checks
   * must know.
   */
  readonly secure: boolean;
}
