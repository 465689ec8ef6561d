import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ApiKeyCreate, ApiKeySchema, CreatedApiKeySchema } from '../../../../schemas/api-key.ts';
import { IdParams, okSchema, okEmptySchema } from '../../../../schemas/common.ts';
import { ok } from '../../../../http/envelope.ts';
import { principalOf } from '../../../../http/auth.ts';
import { managesAllKeys } from '../../../../modules/accounts/roles.ts';
import type { Principal } from '../../../../modules/accounts/account.service.ts';

/** An owner or admin manages every key of the workspace; anyone else only their own. */
const keyOwnerFilter = (principal: Principal): number | null =>
  managesAllKeys(principal.role) ? null : principal.memberId;

const apiKeyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { apiKeys } = app.services;
  const tags = ['API keys'];

  app.post(
    '',
    {
      schema: {
        tags,
        summary: 'Generate an API key',
        body: ApiKeyCreate,
        response: okSchema(CreatedApiKeySchema, 201),
      },
    },
    async (request, reply) => {
      reply.status(201);
      const { name = 'API key', scope = 'write' } = request.body ?? {};
      const { userId, memberId } = principalOf(request);
      return ok(await apiKeys.create(userId, memberId, name, scope));
    },
  );

  app.get(
    '',
    { schema: { tags, summary: 'List API keys', response: okSchema(Type.Array(ApiKeySchema)) } },
    async (request) => ok(await apiKeys.list(principalOf(request).userId, keyOwnerFilter(principalOf(request)))),
  );

  app.delete(
    '/:id',
    { schema: { tags, summary: 'Revoke an API key', params: IdParams, response: okEmptySchema() } },
    async (request) => {
      await apiKeys.revoke(principalOf(request).userId, request.params.id, keyOwnerFilter(principalOf(request)));
      return ok();
    },
  );
};

export default apiKeyRoutes;
