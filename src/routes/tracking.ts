import type { FastifyBaseLogger, FastifyPluginAsync, FastifyReply } from 'fastify';
import { isIP } from 'node:net';
import type { CampaignCache } from '../modules/campaigns/campaign-cache.ts';
import type { ClickTracker } from '../modules/clicks/click-tracker.service.ts';
import { buildVisitor, isLinkPreviewAgent, isPrefetch } from '../modules/clicks/visitor.ts';
import type { LanderClickService } from '../modules/clicks/lander-click.service.ts';

export interface TrackingRouteOptions {
  campaigns: CampaignCache;
  tracker: ClickTracker;
  /** Lander links (PUBLIC_URL/lp/{clickid}); absent: not served. */
  landerClicks?: LanderClickService;
  now: () => number;
}

const UUID = /^[A-Za-z0-9]{1,32}$/;

function page(reply: FastifyReply, status: number, title: string, text: string) {
  return reply
    .status(status)
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(
      `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1><p>${text}</p></body></html>`,
    );
}

const clickLogger = (logger: FastifyBaseLogger): FastifyBaseLogger => logger;

function redirect(reply: FastifyReply, location: string) {
  return reply.status(302).header('cache-control', 'no-store').header('location', location).send();
}

/**
 * GET /c/:uuid — the hot path every ad click lands on. No schema validation and no per-request logging
 * here: the visitor is normalised once into a Visitor, and the click is committed before the redirect.
 */
const trackingRoutes: FastifyPluginAsync<TrackingRouteOptions> = async (
  app,
  { campaigns, tracker, landerClicks, now },
) => {
  app.route({
    method: ['GET', 'HEAD'],
    url: '/c/:uuid',
    schema: { hide: true },
    exposeHeadRoute: false,
    // No security headers on the hot path (http/security-headers.ts).
    helmet: false,
    // No per-request child logger (pino builds one with the request id for every request): the click
    // route logs nothing itself, and an error the handler lets out is logged without the id.
    childLoggerFactory: clickLogger,
    handler: async (request, reply) => {
      const { uuid } = request.params as { uuid: string };
      const campaign = UUID.test(uuid) ? await campaigns.get(uuid) : undefined;
      // Inactive campaigns are retired links: they answer like unknown ones.
      if (!campaign || campaign.status === 'inactive')
        return page(reply, 404, 'Not found', 'This link does not exist.');

      // A forged or malformed X-Forwarded-For must not become the recorded address.
      // Read once: behind TRUST_PROXY each read of request.ip walks X-Forwarded-For again (proxy-addr).
      const resolvedIp = request.ip;
      const ip = isIP(resolvedIp) ? resolvedIp : (request.socket.remoteAddress ?? '0.0.0.0');
      const visitor = buildVisitor({
        ip,
        method: request.method,
        protocol: request.protocol,
        headers: request.headers,
        query: request.query as Record<string, unknown>,
      });

      // A browser may keep a prefetched redirect and replay it on the real click, which would then go
      // unrecorded; a non-2xx, no-store answer is thrown away, and the real navigation comes back.
      if (isPrefetch(visitor)) return page(reply, 503, 'Prefetch declined', 'Open the link to continue.');
      // HEAD checks and chat-app link previews see where the link goes without counting as clicks.
      if (visitor.method === 'HEAD' || isLinkPreviewAgent(visitor)) {
        const preview = tracker.previewDestination(campaign, visitor, now());
        return preview
          ? redirect(reply, preview)
          : page(reply, 200, 'No destination', 'This campaign has no destination set.');
      }

      const click = await tracker.track(campaign, visitor, now());
      if (click.blocked) return page(reply, 403, 'Not available', 'This offer is not available for your visit.');
      if (!click.destination)
        return page(reply, 200, 'No destination', 'The click was recorded; this campaign has no destination set yet.');
      return redirect(reply, click.destination);
    },
  });

  if (!landerClicks) return;
  /**
   * GET /lp/:clickid[/:n] — a lander's call-to-action: records the click-through and redirects to the
   * offer the click's path chose (or its n-th offer). Anything unknown gets the same plain 404 page.
   */
  app.route({
    method: 'GET',
    url: '/lp/:clickid/:n?',
    schema: { hide: true },
    helmet: false,
    handler: async (request, reply) => {
      const { clickid, n } = request.params as { clickid: string; n?: string };
      const link = n === undefined ? undefined : /^[1-9][0-9]?$/.test(n) ? Number(n) : null;
      const destination = link === null ? null : await landerClicks.follow(clickid, link, now());
      if (!destination) return page(reply, 404, 'Not found', 'This link does not exist.');
      return redirect(reply, destination);
    },
  });
};

export default trackingRoutes;
