import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { okSchema, okEmptySchema } from '../../../../schemas/common.ts';
import { PostbackTokenSchema } from '../../../../schemas/conversion.ts';
import { principalOf } from '../../../../http/auth.ts';
import { ok } from '../../../../http/envelope.ts';

/** /api/v1/account/postback-token: the optional secret every postback of the account must then carry. */
const postbackTokenRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { accounts } = app.services;
  const tags = ['Account'];

  app.post(
    '',
    {
      schema: {
        tags,
        summary: 'Require a postback token (a new one replaces the old)',
        response: okSchema(PostbackTokenSchema, 201),
      },
    },
    async (request, reply) => {
      reply.status(201);
      return ok({ postback_token: await accounts.setPostbackToken(principalOf(request).userId) });
    },
  );

  app.delete(
    '',
    { schema: { tags, summary: 'Stop requiring a postback token', response: okEmptySchema() } },
    async (request) => {
      await accounts.clearPostbackToken(principalOf(request).userId);
      return ok();
    },
  );
};

export default postbackTokenRoutes;
