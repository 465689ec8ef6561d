import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IdParams, ok, okEmpty, okPage } from '../../../../schemas/common.ts';
import {
  TrafficSourceCreate,
  TrafficSourceListQuery,
  TrafficSourceSchema,
  TrafficSourceUpdate,
} from '../../../../schemas/traffic-source.ts';
import { principalOf } from '../../../../http/auth.ts';
import { toPageRequest } from '../../../../pagination.ts';

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
        response: okPage(TrafficSourceSchema),
      },
    },
    async (request) => {
      const page = toPageRequest(request.query);
      const { items, total } = await trafficSources.list(principalOf(request).userId, page, request.query.platform);
      return { success: true as const, data: items, meta: { page: page.page, per_page: page.perPage, total } };
    },
  );

  app.post(
    '',
    {
      schema: {
        tags,
        summary: 'Create a traffic source',
        body: TrafficSourceCreate,
        response: ok(TrafficSourceSchema, 201),
      },
    },
    async (request, reply) => {
      reply.status(201);
      return { success: true as const, data: await trafficSources.create(principalOf(request).userId, request.body) };
    },
  );

  app.get(
    '/:id',
    { schema: { tags, summary: 'Get a traffic source', params: IdParams, response: ok(TrafficSourceSchema) } },
    async (request) => ({
      success: true as const,
      data: await trafficSources.get(principalOf(request).userId, request.params.id),
    }),
  );

  app.put(
    '/:id',
    {
      schema: {
        tags,
        summary: 'Update a traffic source',
        params: IdParams,
        body: TrafficSourceUpdate,
        response: ok(TrafficSourceSchema),
      },
    },
    async (request) => ({
      success: true as const,
      data: await trafficSources.update(principalOf(request).userId, request.params.id, request.body),
    }),
  );

  app.delete(
    '/:id',
    { schema: { tags, summary: 'Delete a traffic source', params: IdParams, response: okEmpty() } },
    async (request) => {
      await trafficSources.remove(principalOf(request).userId, request.params.id);
      return { success: true as const };
    },
  );
};

export default trafficSourceRoutes;
