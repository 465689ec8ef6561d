import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IdParams, okSchema, okEmptySchema, okPageSchema } from '../../../../schemas/common.ts';
import {
  DeliveryParams,
  DeliverySchema,
  WebhookCreate,
  WebhookListQuery,
  WebhookSchema,
  WebhookUpdate,
  WebhookWithSecretSchema,
} from '../../../../schemas/webhook.ts';
import { principalOf } from '../../../../http/auth.ts';
import { toPageRequest } from '../../../../pagination.ts';
import { ok, pageMeta } from '../../../../http/envelope.ts';

const webhookRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { webhooks } = app.services;
  const tags = ['Webhooks'];

  app.post(
    '',
    {
      schema: {
        tags,
        summary: 'Create a webhook endpoint (the signing secret is in this response only)',
        body: WebhookCreate,
        response: okSchema(WebhookWithSecretSchema, 201),
      },
    },
    async (request, reply) => {
      reply.status(201);
      return ok(await webhooks.create(principalOf(request).userId, request.body));
    },
  );

  app.get(
    '',
    {
      schema: {
        tags,
        summary: 'List webhook endpoints',
        querystring: WebhookListQuery,
        response: okPageSchema(WebhookSchema),
      },
    },
    async (request) => {
      const page = toPageRequest(request.query);
      const { items, total } = await webhooks.list(principalOf(request).userId, page);
      return ok(items, pageMeta(page, total));
    },
  );

  app.get(
    '/:id',
    { schema: { tags, summary: 'Get a webhook endpoint', params: IdParams, response: okSchema(WebhookSchema) } },
    async (request) => ok(await webhooks.get(principalOf(request).userId, request.params.id)),
  );

  app.put(
    '/:id',
    {
      schema: {
        tags,
        summary: 'Change a webhook endpoint (active: true turns a disabled one back on)',
        params: IdParams,
        body: WebhookUpdate,
        response: okSchema(WebhookSchema),
      },
    },
    async (request) => ok(await webhooks.update(principalOf(request).userId, request.params.id, request.body)),
  );

  app.delete(
    '/:id',
    {
      schema: {
        tags,
        summary: 'Delete a webhook endpoint and its delivery history',
        params: IdParams,
        response: okEmptySchema(),
      },
    },
    async (request) => {
      await webhooks.remove(principalOf(request).userId, request.params.id);
      return ok();
    },
  );

  app.post(
    '/:id/rotate-secret',
    {
      schema: {
        tags,
        summary: 'Replace the signing secret (shown in this response only)',
        params: IdParams,
        response: okSchema(WebhookWithSecretSchema),
      },
    },
    async (request) => ok(await webhooks.rotateSecret(principalOf(request).userId, request.params.id)),
  );

  app.post(
    '/:id/test',
    {
      schema: {
        tags,
        summary: 'Send a ping event now; answers with the delivery and its attempt',
        params: IdParams,
        response: okSchema(DeliverySchema),
      },
    },
    async (request) => ok(await webhooks.sendTest(principalOf(request).userId, request.params.id)),
  );

  app.get(
    '/:id/deliveries',
    {
      schema: {
        tags,
        summary: 'Deliveries to this endpoint, newest first, with every attempt',
        params: IdParams,
        querystring: WebhookListQuery,
        response: okPageSchema(DeliverySchema),
      },
    },
    async (request) => {
      const page = toPageRequest(request.query);
      const { items, total } = await webhooks.listDeliveries(principalOf(request).userId, request.params.id, page);
      return ok(items, pageMeta(page, total));
    },
  );

  app.post(
    '/:id/deliveries/:deliveryId/retry',
    {
      schema: {
        tags,
        summary: 'Send a delivery again now',
        params: DeliveryParams,
        response: okSchema(DeliverySchema),
      },
    },
    async (request) =>
      ok(await webhooks.retryDelivery(principalOf(request).userId, request.params.id, request.params.deliveryId)),
  );
};

export default webhookRoutes;
