/**
 * The request normalised once, at the edge, into the Visitor detection judges (its shape is
 * detection/visitor.ts) and the tracker records. Every string is bounded so a hostile request cannot
 * bloat a stored click or a regex run.
 */
import {
  VISITOR_HEADER_NAMES,
  type Visitor,
  type VisitorHeaderName,
  type VisitorHeaders,
} from '../../detection/visitor.ts';
import { memoize } from '../../detection/memo.ts';
import { normalizeIp as canonicalIp } from '../../intel/ip-address.ts';

export const MAX_USER_AGENT_LENGTH = 512;
export const MAX_REFERRER_LENGTH = 2048;
export const MAX_HEADER_LENGTH = 512;
export const MAX_QUERY_PARAMS = 64;
export const MAX_QUERY_NAME_LENGTH = 64;
export const MAX_QUERY_VALUE_LENGTH = 1024;

export interface VisitorRequest {
  ip: string;
  method: string;
  /** As the HTTP layer resolved it: 'https' or 'http'. */
  protocol: string;
  /** Node's request headers: names already lower-case. */
  headers: Record<string, string | string[] | undefined>;
  query: Record<string, unknown>;
}

/** Cuts without splitting a surrogate pair, which would store a broken character. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const last = text.charCodeAt(max - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}

/**
 * One client, one spelling: a dual-stack socket reports IPv4 clients as ::ffff:a.b.c.d, and IPv6 can
 * be written many ways; the canonical form keeps duplicates and lists matching.
 */
export function normalizeIp(ip: string): string {
  return canonicalIp(ip) ?? ip;
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Repeated list headers mean the same as one comma-joined header (RFC 9110 §5.3). */
function joinedHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

function queryValue(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.find((item): item is string => typeof item === 'string');
  return undefined;
}

function buildQuery(query: Record<string, unknown>): Readonly<Record<string, string>> {
  // Built in place rather than through entries and fromEntries: two arrays fewer per click.
  const built: Record<string, string> = {};
  let count = 0;
  for (const name of Object.keys(query)) {
    if (count === MAX_QUERY_PARAMS) break;
    // Over-long names are dropped rather than cut: a cut name is a different parameter.
    if (name === '' || name.length > MAX_QUERY_NAME_LENGTH) continue;
    const value = queryValue(query[name]);
    if (value === undefined) continue;
    count++;
    // Defined as an own property, so a "__proto__" parameter cannot reach the prototype.
    if (name === '__proto__')
      Object.defineProperty(built, name, {
        value: truncate(value, MAX_QUERY_VALUE_LENGTH),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else built[name] = truncate(value, MAX_QUERY_VALUE_LENGTH);
  }
  return Object.freeze(built);
}

function buildHeaders(headers: VisitorRequest['headers']): Readonly<VisitorHeaders> {
  // The names are our own fixed list (none is "__proto__"): plain assignment, in the list's order.
  const built: VisitorHeaders = {};
  for (const name of VISITOR_HEADER_NAMES) {
    const value = joinedHeader(headers[name]);
    if (value !== undefined) built[name] = truncate(value, MAX_HEADER_LENGTH);
  }
  return Object.freeze(built);
}

export function buildVisitor(request: VisitorRequest): Visitor {
  const method = request.method.toUpperCase();
  // The tracking route only answers GET (and Fastify's automatic HEAD); anything else is a wiring bug.
  if (method !== 'GET' && method !== 'HEAD')
    throw new RangeError(`A visitor comes from a GET or HEAD request, not ${request.method}`);
  const referrer = firstHeader(request.headers.referer);
  return Object.freeze({
    ip: normalizeIp(request.ip),
    userAgent: truncate(firstHeader(request.headers['user-agent']) ?? '', MAX_USER_AGENT_LENGTH),
    referrer: referrer ? truncate(referrer, MAX_REFERRER_LENGTH) : null,
    headers: buildHeaders(request.headers),
    query: buildQuery(request.query),
    method,
    secure: request.protocol === 'https',
  });
}

/**
 * Apps that fetch a link to draw a preview card when someone pastes it in a chat or post. Nobody
 * clicked, so the tracker answers them without recording a click. Meta's facebookexternalhit is
 * not here: it is the ad-review crawler, recorded as a verified bot.
 */
const LINK_PREVIEW_AGENTS: readonly RegExp[] = [
  // Slack unfurling a pasted link (plain "Slackbot" is Slack's other traffic, not a preview).
  /Slackbot-LinkExpanding/,
  // X cards for a pasted link; Telegram's "TwitterBot" differs in case and is matched below.
  /Twitterbot/,
  // iMessage previews announce "facebookexternalhit/1.1 Facebot Twitterbot/1.0"; the Facebot +
  // Twitterbot pair is what tells Apple's preview from Meta's ad crawler (already caught by the
  // Twitterbot entry, kept explicit so removing that one does not turn iMessage into ad clicks).
  /Facebot Twitterbot/,
  // WhatsApp's preview fetch, whose whole user agent is "WhatsApp/<version>"; anchored so a
  // browser that merely mentions WhatsApp is not taken for it.
  /^WhatsApp\//,
  // Telegram's link preview ("TelegramBot (like TwitterBot)").
  /TelegramBot/,
  // Discord embeds.
  /Discordbot/,
  // LinkedIn post previews (its in-app browser says LinkedInApp, not LinkedInBot).
  /LinkedInBot/,
  // Skype and Teams chat previews.
  /SkypeUriPreview/,
];

/** Browser speculative loads say so in one of these headers; the user has not navigated yet. */
const PREFETCH_HEADERS: readonly VisitorHeaderName[] = ['purpose', 'sec-purpose', 'x-purpose', 'x-moz'];
// Chrome: Purpose / Sec-Purpose "prefetch" (or "prefetch;prerender"); Firefox: X-Moz "prefetch";
// Safari's Top Sites thumbnails: X-Purpose "preview".
const PREFETCH_VALUE = /\b(?:prefetch|prerender|preview)\b/i;

// Asked of every click: remembered per user agent (real traffic repeats a few thousand of them).
const previewAgent = memoize(
  (userAgent: string): boolean => LINK_PREVIEW_AGENTS.some((pattern) => pattern.test(userAgent)),
  { entries: 4_096, maxKeyLength: MAX_USER_AGENT_LENGTH },
);

/** A chat or social app fetching the link to draw a preview card. */
export function isLinkPreviewAgent(visitor: Visitor): boolean {
  return previewAgent(visitor.userAgent);
}

/**
 * A browser loading the link speculatively. Unlike a preview app it may keep the response and
 * replay it when the user really clicks, so it should get one it will not reuse (Chrome discards
 * non-2xx prefetches): redirecting it would let the real click through unrecorded.
 */
export function isPrefetch(visitor: Visitor): boolean {
  return PREFETCH_HEADERS.some((name) => {
    const value = visitor.headers[name];
    return value !== undefined && PREFETCH_VALUE.test(value);
  });
}

/** Nobody clicked: the tracker answers these without recording a click. */
export function isLinkPreview(visitor: Visitor): boolean {
  return isLinkPreviewAgent(visitor) || isPrefetch(visitor);
}
