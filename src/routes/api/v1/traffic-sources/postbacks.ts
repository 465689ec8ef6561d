import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IdParams, okPageSchema, okSchema } from '../../../../schemas/common.ts';
import { PostbackLogEntrySchema, PostbackLogQuery, PostbackTestResultSchema } from '../../../../schemas/postback.ts';
import { principalOf } from '../../../../http/auth.ts';
import { toPageRequest } from '../../../../pagination.ts';
import { ok, pageMeta } from '../../../../http/envelope.ts';

/** Under /api/v1/traffic-sources: a source's postbacks out (SPEC section 7). */
const trafficSourcePostbackRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { postbacks } = app.services;
  const tags = ['Traffic sources'];

  app.get(
    '/:id/postbacks',
    {
      schema: {
        tags,
        summary: "Postbacks to this source's network, newest first: sent, pending, failed, or withheld and why",
        description:
          'One entry per decision about a conversion: the URL called (query values named like secrets, tokens or keys show as ***), ' +
          'its status, attempts, the last status code and the start of the answer. A conversion is sent once, when it is first ' +
          'counted in one of postback_statuses; a conversion of a fraudulent click is withheld unless postback_fraudulent is true.',
        params: IdParams,
        querystring: PostbackLogQuery,
        response: okPageSchema(PostbackLogEntrySchema),
      },
    },
    async (request) => {
      const page = toPageRequest(request.query);
      const { items, total } = await postbacks.list(principalOf(request).userId, request.params.id, page);
      return ok(items, pageMeta(page, total));
    },
  );

  app.post(
    '/:id/postbacks/test',
    {
      schema: {
        tags,
        summary: "Call the source's postback URL once now, with sample values, and show the answer",
        description:
          'Not through the outbox: nothing is retried or logged. The same address checks and 10 s timeout as real postbacks. ' +
          '400 (postback_url) when the source has none.',
        params: IdParams,
        response: okSchema(PostbackTestResultSchema),
      },
    },
    async (request) => ok(await postbacks.test(principalOf(request).userId, request.params.id)),
  );
};

export default trafficSourcePostbackRoutes;
