import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { okSchema } from '../../../../schemas/common.ts';
import { ConversionSchema, PostbackQuery } from '../../../../schemas/conversion.ts';
import { ok } from '../../../../http/envelope.ts';
import { PostbackRateLimitError } from '../../../../modules/conversions/conversion.service.ts';

/** Optional parameters a network sends empty when it has no value for the macro (`&payout=`). */
const OPTIONAL_PARAMS = ['payout', 'txid', 'status', 'event', 'token'] as const;

/**
 * GET /api/v1/postback — server-to-server conversions from ad networks. Public (the click id is the
 * credential, plus the account's postback token when set) and outside the plan's rate limit: partner
 * traffic is not an API call (SPEC §2).
 */
const postbackRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { conversions } = app.services;

  app.get(
    '',
    {
      config: { public: true, skipRateLimit: true },
      schema: {
        tags: ['Conversions'],
        summary: 'Postback URL: record a conversion from a partner server',
        description:
          'Answers 201 for a new conversion, 200 for a repeat. Unknown extra parameters are ignored; empty optional ones count as absent. ' +
          'A click converts once unless its campaign sets allow_repeat_conversions: a new txid for a converted click answers 200 with the existing conversion, unchanged; the same txid updates it. ' +
          'A payout more than 10× the campaign’s typical one, a click flagged with a fraud type other than duplicate, or a conversion sooner after its click than the campaign’s min_time_to_convert is stored with suspicious: true and the reasons (it still counts). ' +
          'Rate-limited per click and per sending address (429 with Retry-After); the account may require a token (&token=) and may list the addresses postbacks are accepted from.',
        security: [],
        querystring: PostbackQuery,
        response: { ...okSchema(ConversionSchema), ...okSchema(ConversionSchema, 201) },
      },
      preValidation: async (request) => {
        const query = request.query as Record<string, unknown>;
        for (const name of OPTIONAL_PARAMS) if (query[name] === '') delete query[name];
      },
    },
    async (request, reply) => {
      const { token, ...params } = request.query;
      // Public route: the guard sets a principal only when a valid bearer token came along, and it narrows, never widens.
      const { conversion, created } = await conversions
        .recordPostback(params, token, request.principal?.userId ?? null, request.ip)
        .catch((error: unknown) => {
          if (error instanceof PostbackRateLimitError) reply.header('Retry-After', error.retryAfterSeconds);
          throw error;
        });
      reply.status(created ? 201 : 200);
      return ok(conversion);
    },
  );
};

export default postbackRoutes;
