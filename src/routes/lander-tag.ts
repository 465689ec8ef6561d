import type { FastifyPluginAsync } from 'fastify';
import { Value } from 'typebox/value';
import type { ConversionService } from '../modules/conversions/conversion.service.ts';
import { loadLanderTag } from '../http/lander-tag-file.ts';
import { PixelQuery } from '../schemas/conversion.ts';

export interface LanderTagRouteOptions {
  conversions: ConversionService;
}

/** The smallest transparent 1×1 GIF. */
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

/** Browsers revalidate the tag hourly (by ETag: a 304 costs a few bytes), so an upgrade reaches pages the same day. */
const TAG_CACHE = 'public, max-age=3600, stale-while-revalidate=86400';

/**
 * GET /t.js and GET /px (SPEC §10): what a lander or offer page loads from another site. No security
 * headers (`helmet: false`): their Cross-Origin-Resource-Policy would stop other sites from loading them.
 */
const landerTagRoutes: FastifyPluginAsync<LanderTagRouteOptions> = async (app, { conversions }) => {
  const tag = loadLanderTag();

  app.get('/t.js', { schema: { hide: true }, helmet: false }, async (request, reply) => {
    reply
      .header('cache-control', TAG_CACHE)
      .header('etag', tag.etag)
      .header('vary', 'accept-encoding')
      .header('access-control-allow-origin', '*')
      .type('application/javascript; charset=utf-8');
    if (request.headers['if-none-match'] === tag.etag) return reply.status(304).send();
    if (/\bgzip\b/.test(request.headers['accept-encoding'] ?? ''))
      return reply.header('content-encoding', 'gzip').send(tag.gzipped);
    return reply.send(tag.source);
  });

  /**
   * The no-JavaScript conversion pixel, also what the tag's convert() loads. Always the GIF, whatever
   * happened: an unknown click, bad input or a limit records nothing, and the page learns nothing.
   */
  app.get('/px', { schema: { hide: true }, helmet: false }, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const params = {
      clickid: query.cid,
      ...(query.payout ? { payout: query.payout } : {}),
      ...(query.txid ? { txid: query.txid } : {}),
      ...(query.event ? { event: query.event } : {}),
    };
    if (Value.Check(PixelQuery, params)) await conversions.recordFromPage(params, request.ip);
    return reply
      .header('cache-control', 'no-store, max-age=0')
      .header('access-control-allow-origin', '*')
      .type('image/gif')
      .send(GIF);
  });
};

export default landerTagRoutes;
