import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { okSchema } from '../../../../schemas/common.ts';
import { BeaconBody, BeaconResultSchema } from '../../../../schemas/beacon.ts';
import { ok } from '../../../../http/envelope.ts';
import { validationError } from '../../../../errors.ts';

/** A beacon is a few hundred bytes; anything past this is not one of ours. */
export const MAX_BEACON_BYTES = 4096;

/**
 * POST /api/v1/beacon — what the lander tag reports (SPEC §10). Public: the click id is the credential,
 * as on the postback. The body is JSON sent as text/plain, a CORS "simple request", so browsers send it
 * cross-site without a preflight; the answer allows any origin and carries no security headers that
 * would make a no-cors fetch fail. Outside the plan's limits (visitors' browsers, not API calls), with
 * its own per-address and per-click limits in the service.
 */
const beaconRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { beacons } = app.services;

  // In this plugin only: text/plain is parsed as JSON, and a bad or oversized body is the reference's 400.
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('text/plain', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_request, body, done) => {
    const text = String(body);
    if (Buffer.byteLength(text) > MAX_BEACON_BYTES)
      return done(validationError('body', `A beacon is at most ${MAX_BEACON_BYTES} bytes`), undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(validationError('body', 'The beacon is not valid JSON'), undefined);
    }
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('access-control-allow-origin', '*');
    return payload;
  });

  app.post(
    '',
    {
      config: { public: true, skipRateLimit: true },
      helmet: false,
      schema: {
        tags: ['Lander tag'],
        summary: "Beacon: what the page's lander tag reports of its browser",
        description:
          'Sent by PUBLIC_URL/t.js as text/plain JSON (application/json is accepted too). The first beacon of a click within 1 h of it is stored on the click and judged: ' +
          'navigator.webdriver or headless marks and facts that contradict the user agent flag the click bot, a time zone far from the address’s country flags it vpn, ' +
          'through the same path that amends bursts (stats, webhooks and the live feed’s amended event follow). Later beacons of the same page view only add engagement; ' +
          'others are ignored (200, result ignored). An unknown click is a 404; a malformed or oversized body (over 4096 bytes) a 400 that changes nothing. ' +
          'Rate-limited per click and per address (429 with Retry-After).',
        security: [],
        body: BeaconBody,
        response: okSchema(BeaconResultSchema),
      },
    },
    async (request) => ok(await beacons.receive(request.body, request.ip)),
  );
};

export default beaconRoutes;
