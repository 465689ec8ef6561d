import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IdParams, okSchema, okEmptySchema, okPageSchema } from '../../../../schemas/common.ts';
import {
  TrafficSourceCreate,
  TrafficSourceListQuery,
  TrafficSourceSchema,
  TrafficSourceUpdate,
} from '../../../../schemas/traffic-source.ts';
import { principalOf } from '../../../../http/auth.ts';
import { toPageRequest } from '../../../../pagination.ts';
import { ok, pageMeta } from '../../../../http/envelope.ts';

const trafficSourceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { trafficSources } = app.services;
  const tags = ['Traffic sources'];

  app.get(
    '',
    {
      schema: {
        tags,
        summary: 'List traffic sources',
        querystring: TrafficSourceListQuery,
        response: okPageSchema(TrafficSourceSchema),
      },
    },
    async (request) => {
      const page = toPageRequest(request.query);
      const { items, total } = await trafficSources.list(principalOf(request).userId, page, request.query.platform);
      return ok(items, pageMeta(page, total));
    },
  );

  app.post(
    '',
    {
      schema: {
        tags,
        summary: 'Create a traffic source',
        body: TrafficSourceCreate,
        response: okSchema(TrafficSourceSchema, 201),
      },
    },
    async (request, reply) => {
      reply.status(201);
      return ok(await trafficSources.create(principalOf(request).userId, request.body));
    },
  );

  app.get(
    '/:id',
    { schema: { tags, summary: 'Get a traffic source', params: IdParams, response: okSchema(TrafficSourceSchema) } },
    async (request) => ok(await trafficSources.get(principalOf(request).userId, request.params.id)),
  );

  app.put(
    '/:id',
    {
      schema: {
        tags,
        summary: 'Update a traffic source',
        params: IdParams,
        body: TrafficSourceUpdate,
        response: okSchema(TrafficSourceSchema),
      },
    },
    async (request) => ok(await trafficSources.update(principalOf(request).userId, request.params.id, request.body)),
  );

  app.delete(
    '/:id',
    { schema: { tags, summary: 'Delete a traffic source', params: IdParams, response: okEmptySchema() } },
    async (request) => {
      await trafficSources.remove(principalOf(request).userId, request.params.id);
      return ok();
    },
  );
};

export default trafficSourceRoutes;
