import type { FastifyBaseLogger, FastifyPluginAsync, FastifyReply } from 'fastify';
import type { CampaignCache } from '../modules/campaigns/campaign-cache.ts';
import type { ClickTracker } from '../modules/clicks/click-tracker.service.ts';
import type { LanderClickService } from '../modules/clicks/lander-click.service.ts';
import { createClickAnswerer, NOT_FOUND, type ClickAnswer } from './click-answer.ts';

export interface TrackingRouteOptions {
  campaigns: CampaignCache;
  tracker: ClickTracker;
  /** Lander links (PUBLIC_URL/lp/{clickid}); absent: not served. */
  landerClicks?: LanderClickService;
  now: () => number;
}

const clickLogger = (logger: FastifyBaseLogger): FastifyBaseLogger => logger;

/** The same status, headers and body the lean listener (click-listener.ts) writes for an answer. */
function send(reply: FastifyReply, answer: ClickAnswer) {
  reply.status(answer.status).header('cache-control', 'no-store');
  if (answer.page === undefined) return reply.header('location', answer.location).send();
  return reply.type('text/html; charset=utf-8').send(answer.page.html);
}

/**
 * GET /c/:uuid — the hot path every ad click lands on. A listening server answers it on the lean path
 * (click-listener.ts) before Fastify routes the request; this route answers the rest: requests that path
 * hands on (a body, an encoded path, the server closing) and app.inject(). Both give the same answer
 * (click-answer.ts).
 */
const trackingRoutes: FastifyPluginAsync<TrackingRouteOptions> = async (
  app,
  { campaigns, tracker, landerClicks, now },
) => {
  const answer = createClickAnswerer({ campaigns, tracker, now });
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
      return send(
        reply,
        await answer(uuid, {
          method: request.method,
          headers: request.headers,
          remoteAddress: request.socket.remoteAddress,
          // Read once: behind TRUST_PROXY each read of request.ip walks X-Forwarded-For again (proxy-addr).
          clientIp: () => request.ip,
          protocol: () => request.protocol,
          query: () => request.query as Record<string, unknown>,
        }),
      );
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
      return send(reply, destination ? { status: 302, location: destination } : NOT_FOUND);
    },
  });
};

export default trackingRoutes;
