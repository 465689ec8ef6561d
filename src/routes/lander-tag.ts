import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
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
const landerTagRoutes: FastifyPluginAsyncTypebox<LanderTagRouteOptions> = async (app, { conversions }) => {
  const tag = loadLanderTag();

  app.get(
    '/t.js',
    {
      helmet: false,
      schema: {
        tags: ['Lander tag'],
        summary: 'The lander tag: one script for lander and offer pages',
        description:
          'Dependency-free, cached (Cache-Control, ETag), gzip when accepted. Reads the click id from the page URL (cid, clickid, or data-param), ' +
          'keeps it in a first-party cookie, sends POST /api/v1/beacon on load and when the page is hidden, and exposes cloakradar("convert", { payout, txid, event }). See the README.',
        security: [],
      },
    },
    async (request, reply) => {
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
    },
  );

  /**
   * The no-JavaScript conversion pixel, also what the tag's convert() loads. Always the GIF, whatever
   * happened: an unknown click, bad input or a limit records nothing, and the page learns nothing.
   */
  app.get(
    '/px',
    {
      helmet: false,
      // Checked, documented, never refused: a bad query only means nothing is recorded.
      attachValidation: true,
      schema: {
        tags: ['Lander tag'],
        summary: 'Conversion pixel (1×1 GIF) for pages without JavaScript or a server postback',
        description:
          'Records a conversion of the click as a postback would (once per click and event unless the campaign allows repeats; the same txid updates). ' +
          'Always answers the GIF: an unknown click, bad input or a rate limit records nothing and looks the same. No postback token: a page cannot keep one.',
        security: [],
        querystring: PixelQuery,
      },
    },
    async (request, reply) => {
      if (!request.validationError) {
        const { cid, payout, txid, event } = request.query;
        await conversions.recordFromPage({ clickid: cid, payout, txid, event }, request.ip);
      }
      return reply
        .header('cache-control', 'no-store, max-age=0')
        .header('access-control-allow-origin', '*')
        .type('image/gif')
        .send(GIF);
    },
  );
};

export default landerTagRoutes;
