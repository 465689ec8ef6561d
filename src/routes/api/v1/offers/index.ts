import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IdParams, conflictResponse, okSchema, okEmptySchema, okPageSchema } from '../../../../schemas/common.ts';
import { OfferCreate, OfferListQuery, OfferSchema, OfferUpdate } from '../../../../schemas/offer.ts';
import { principalOf } from '../../../../http/auth.ts';
import { toPageRequest } from '../../../../pagination.ts';
import { ok, pageMeta } from '../../../../http/envelope.ts';

const offerRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { offers } = app.services;
  const tags = ['Offers'];

  app.get(
    '',
    { schema: { tags, summary: 'List offers', querystring: OfferListQuery, response: okPageSchema(OfferSchema) } },
    async (request) => {
      const page = toPageRequest(request.query);
      const { items, total } = await offers.list(principalOf(request).userId, page, request.query.status);
      return ok(items, pageMeta(page, total));
    },
  );

  app.post(
    '',
    { schema: { tags, summary: 'Create an offer', body: OfferCreate, response: okSchema(OfferSchema, 201) } },
    async (request, reply) => {
      reply.status(201);
      return ok(await offers.create(principalOf(request).userId, request.body));
    },
  );

  app.get(
    '/:id',
    { schema: { tags, summary: 'Get an offer', params: IdParams, response: okSchema(OfferSchema) } },
    async (request) => ok(await offers.get(principalOf(request).userId, request.params.id)),
  );

  app.put(
    '/:id',
    {
      schema: {
        tags,
        summary: 'Update an offer',
        params: IdParams,
        body: OfferUpdate,
        response: okSchema(OfferSchema),
      },
    },
    async (request) => ok(await offers.update(principalOf(request).userId, request.params.id, request.body)),
  );

  app.delete(
    '/:id',
    {
      schema: {
        tags,
        summary: 'Delete an offer',
        description: "409 CONFLICT, with details.campaign_ids, while a campaign's flow uses it",
        params: IdParams,
        response: { ...okEmptySchema(), ...conflictResponse },
      },
    },
    async (request) => {
      await offers.remove(principalOf(request).userId, request.params.id);
      return ok();
    },
  );
};

export default offerRoutes;
