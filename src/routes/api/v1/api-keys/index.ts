import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ApiKeyCreate, ApiKeySchema, CreatedApiKeySchema } from '../../../../schemas/api-key.ts';
import { IdParams, ok, okEmpty } from '../../../../schemas/common.ts';
import { principalOf } from '../../../../http/auth.ts';

const apiKeyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { apiKeys } = app.services;
  const tags = ['API keys'];

  app.post(
    '',
    { schema: { tags, summary: 'Generate an API key', body: ApiKeyCreate, response: ok(CreatedApiKeySchema, 201) } },
    async (request, reply) => {
      reply.status(201);
      const { name = 'API key', scope = 'write' } = request.body ?? {};
      return { success: true as const, data: await apiKeys.create(principalOf(request).userId, name, scope) };
    },
  );

  app.get(
    '',
    { schema: { tags, summary: 'List API keys', response: ok(Type.Array(ApiKeySchema)) } },
    async (request) => ({
      success: true as const,
      data: await apiKeys.list(principalOf(request).userId),
    }),
  );

  app.delete(
    '/:id',
    { schema: { tags, summary: 'Revoke an API key', params: IdParams, response: okEmpty() } },
    async (request) => {
      await apiKeys.revoke(principalOf(request).userId, request.params.id);
      return { success: true as const };
    },
  );
};

export default apiKeyRoutes;
