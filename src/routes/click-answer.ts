import type { IncomingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';
import type { CampaignCache } from '../modules/campaigns/campaign-cache.ts';
import type { ClickTracker } from '../modules/clicks/click-tracker.service.ts';
import { buildVisitor, isLinkPreviewAgent, isPrefetch } from '../modules/clicks/visitor.ts';

/** One of the tracker's small fixed pages, built once with its length (every answer used to build its own). */
export interface ClickPage {
  readonly html: string;
  readonly length: string;
}

/** What GET|HEAD /c/:uuid answers: a no-store redirect, or a no-store HTML page. */
export type ClickAnswer =
  | { readonly status: 302; readonly location: string; readonly page?: undefined }
  | { readonly status: number; readonly location?: undefined; readonly page: ClickPage };

function page(title: string, text: string): ClickPage {
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1><p>${text}</p></body></html>`;
  return Object.freeze({ html, length: String(Buffer.byteLength(html)) });
}

const answer = (status: number, shown: ClickPage): ClickAnswer => Object.freeze({ status, page: shown });
export const NOT_FOUND = answer(404, page('Not found', 'This link does not exist.'));
const PREFETCH_DECLINED = answer(503, page('Prefetch declined', 'Open the link to continue.'));
const PREVIEW_WITHOUT_DESTINATION = answer(200, page('No destination', 'This campaign has no destination set.'));
const BLOCKED = answer(403, page('Not available', 'This offer is not available for your visit.'));
const RECORDED_WITHOUT_DESTINATION = answer(
  200,
  page('No destination', 'The click was recorded; this campaign has no destination set yet.'),
);
const redirect = (location: string): ClickAnswer => ({ status: 302, location });

/**
 * The request as the tracker reads it, whichever HTTP path it came by (Fastify's route or the lean
 * listener). The address, protocol and query are read only once a live campaign is found: a flood of
 * made-up links never pays for X-Forwarded-For or the query string.
 */
export interface ClickRequest {
  readonly method: string;
  readonly headers: IncomingHttpHeaders;
  /** The peer's own address: the fallback when the resolved one is not an IP address. */
  readonly remoteAddress: string | undefined;
  /** The client address with TRUST_PROXY applied (Fastify's `request.ip`). */
  clientIp(): string | undefined;
  /** 'https' or 'http', X-Forwarded-Proto from a trusted proxy applied (Fastify's `request.protocol`). */
  protocol(): string;
  /** The parsed query string (Fastify's default parser). */
  query(): Record<string, unknown>;
}

export type ClickAnswerer = (uuid: string, request: ClickRequest) => Promise<ClickAnswer>;

const UUID = /^[A-Za-z0-9]{1,32}$/;

/**
 * GET|HEAD /c/:uuid without the HTTP framework: the visitor is normalised once into a Visitor, judged,
 * and the click committed before the redirect is handed back. No schema validation and no logging here.
 */
export function createClickAnswerer(deps: {
  campaigns: CampaignCache;
  tracker: ClickTracker;
  now: () => number;
}): ClickAnswerer {
  const { campaigns, tracker, now } = deps;
  return async (uuid, request) => {
    const campaign = UUID.test(uuid) ? await campaigns.get(uuid) : undefined;
    // Inactive campaigns are retired links: they answer like unknown ones.
    if (!campaign || campaign.status === 'inactive') return NOT_FOUND;

    // A forged or malformed X-Forwarded-For must not become the recorded address.
    const resolvedIp = request.clientIp();
    const ip = resolvedIp !== undefined && isIP(resolvedIp) ? resolvedIp : (request.remoteAddress ?? '0.0.0.0');
    const visitor = buildVisitor({
      ip,
      method: request.method,
      protocol: request.protocol(),
      headers: request.headers,
      query: request.query(),
    });

    // A browser may keep a prefetched redirect and replay it on the real click, which would then go
    // unrecorded; a non-2xx, no-store answer is thrown away, and the real navigation comes back.
    if (isPrefetch(visitor)) return PREFETCH_DECLINED;
    // HEAD checks and chat-app link previews see where the link goes without counting as clicks.
    if (visitor.method === 'HEAD' || isLinkPreviewAgent(visitor)) {
      const preview = tracker.previewDestination(campaign, visitor, now());
      return preview ? redirect(preview) : PREVIEW_WITHOUT_DESTINATION;
    }

    const click = await tracker.track(campaign, visitor, now());
    if (click.blocked) return BLOCKED;
    if (!click.destination) return RECORDED_WITHOUT_DESTINATION;
    return redirect(click.destination);
  };
}
