import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IdParams, conflictResponse, okSchema, okEmptySchema, okPageSchema } from '../../../../schemas/common.ts';
import { LanderCreate, LanderListQuery, LanderSchema, LanderUpdate } from '../../../../schemas/lander.ts';
import { principalOf } from '../../../../http/auth.ts';
import { toPageRequest } from '../../../../pagination.ts';
import { ok, pageMeta } from '../../../../http/envelope.ts';

const landerRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { landers } = app.services;
  const tags = ['Landers'];

  app.get(
    '',
    { schema: { tags, summary: 'List landers', querystring: LanderListQuery, response: okPageSchema(LanderSchema) } },
    async (request) => {
      const page = toPageRequest(request.query);
      const { items, total } = await landers.list(principalOf(request).userId, page);
      return ok(items, pageMeta(page, total));
    },
  );

  app.post(
    '',
    { schema: { tags, summary: 'Create a lander', body: LanderCreate, response: okSchema(LanderSchema, 201) } },
    async (request, reply) => {
      reply.status(201);
      return ok(await landers.create(principalOf(request).userId, request.body));
    },
  );

  app.get(
    '/:id',
    { schema: { tags, summary: 'Get a lander', params: IdParams, response: okSchema(LanderSchema) } },
    async (request) => ok(await landers.get(principalOf(request).userId, request.params.id)),
  );

  app.put(
    '/:id',
    {
      schema: {
        tags,
        summary: 'Update a lander',
        params: IdParams,
        body: LanderUpdate,
        response: okSchema(LanderSchema),
      },
    },
    async (request) => ok(await landers.update(principalOf(request).userId, request.params.id, request.body)),
  );

  app.delete(
    '/:id',
    {
      schema: {
        tags,
        summary: 'Delete a lander',
        description: "409 CONFLICT, with details.campaign_ids, while a campaign's flow uses it",
        params: IdParams,
        response: { ...okEmptySchema(), ...conflictResponse },
      },
    },
    async (request) => {
      await landers.remove(principalOf(request).userId, request.params.id);
      return ok();
    },
  );
};

export default landerRoutes;
