import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IdParams, okSchema, okEmptySchema, okPageSchema } from '../../../../schemas/common.ts';
import {
  ConnectionCreate,
  ConnectionListQuery,
  ConnectionLogEntrySchema,
  ConnectionSchema,
  ConnectionSyncBody,
  ConnectionSyncSchema,
  ConnectionTestSchema,
  ConnectionUpdate,
} from '../../../../schemas/connection.ts';
import { principalOf } from '../../../../http/auth.ts';
import { toPageRequest } from '../../../../pagination.ts';
import { ok, pageMeta } from '../../../../http/envelope.ts';

const connectionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { connections } = app.services;
  const tags = ['Connections'];

  app.post(
    '',
    {
      schema: {
        tags,
        summary: 'Connect a Google Ads or Meta account (credentials are stored encrypted and never returned)',
        body: ConnectionCreate,
        response: okSchema(ConnectionSchema, 201),
      },
    },
    async (request, reply) => {
      reply.status(201);
      return ok(await connections.create(principalOf(request).userId, request.body));
    },
  );

  app.get(
    '',
    {
      schema: {
        tags,
        summary: 'List ad-platform connections',
        querystring: ConnectionListQuery,
        response: okPageSchema(ConnectionSchema),
      },
    },
    async (request) => {
      const page = toPageRequest(request.query);
      const { items, total } = await connections.list(principalOf(request).userId, page);
      return ok(items, pageMeta(page, total));
    },
  );

  app.get(
    '/:id',
    { schema: { tags, summary: 'Get a connection', params: IdParams, response: okSchema(ConnectionSchema) } },
    async (request) => ok(await connections.get(principalOf(request).userId, request.params.id)),
  );

  app.put(
    '/:id',
    {
      schema: {
        tags,
        summary: 'Change a connection; new credentials replace the given secrets and put it back to work',
        params: IdParams,
        body: ConnectionUpdate,
        response: okSchema(ConnectionSchema),
      },
    },
    async (request) => ok(await connections.update(principalOf(request).userId, request.params.id, request.body)),
  );

  app.delete(
    '/:id',
    {
      schema: {
        tags,
        summary: 'Delete a connection, its queue and its log',
        params: IdParams,
        response: okEmptySchema(),
      },
    },
    async (request) => {
      await connections.remove(principalOf(request).userId, request.params.id);
      return ok();
    },
  );

  app.post(
    '/:id/test',
    {
      schema: {
        tags,
        summary: 'Check the credentials against the platform now',
        params: IdParams,
        response: okSchema(ConnectionTestSchema),
      },
    },
    async (request) => ok(await connections.test(principalOf(request).userId, request.params.id)),
  );

  app.get(
    '/:id/log',
    {
      schema: {
        tags,
        summary: 'Calls to the platform, newest first: what was sent, the answer, what changed',
        params: IdParams,
        querystring: ConnectionListQuery,
        response: okPageSchema(ConnectionLogEntrySchema),
      },
    },
    async (request) => {
      const page = toPageRequest(request.query);
      const { items, total } = await connections.log(principalOf(request).userId, request.params.id, page);
      return ok(items, pageMeta(page, total));
    },
  );

  app.post(
    '/:id/sync',
    {
      schema: {
        tags,
        summary: 'Push IP exclusions to Google Ads now (one campaign, or every linked one)',
        params: IdParams,
        body: ConnectionSyncBody,
        response: okSchema(ConnectionSyncSchema),
      },
    },
    async (request) =>
      ok(await connections.sync(principalOf(request).userId, request.params.id, request.body?.campaign_id)),
  );
};

export default connectionRoutes;
