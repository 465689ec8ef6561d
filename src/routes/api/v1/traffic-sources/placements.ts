import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { IdParams, okPageSchema, okSchema } from '../../../../schemas/common.ts';
import { PlacementExclusionsQuery, PlacementSchema, PlacementsQuery } from '../../../../schemas/placement.ts';
import { Type } from 'typebox';
import { principalOf } from '../../../../http/auth.ts';
import { toPageRequest } from '../../../../pagination.ts';
import { ok, pageMeta } from '../../../../http/envelope.ts';

/** /api/v1/traffic-sources/{id}/placements and …/placement-exclusions: where a source's clicks came from. */
const placementRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { placements } = app.services;
  const tags = ['Traffic sources'];

  app.get(
    '/:id/placements',
    {
      schema: {
        tags,
        summary: "A traffic source's placements (zones, sites, publishers) over every campaign it feeds",
        description:
          "Per placement (the click's placement_param value): clicks, fraudulent clicks, fraud rate, conversions, revenue, cost under each campaign's cost model, profit and ROI. Clicks without a placement are one row with placement null. Whole UTC days, from the daily rollups.",
        params: IdParams,
        querystring: PlacementsQuery,
        response: okPageSchema(PlacementSchema),
      },
    },
    async (request) => {
      const page = toPageRequest(request.query);
      const { items, total } = await placements.placements(
        principalOf(request).userId,
        request.params.id,
        request.query,
        page,
      );
      return ok(items, pageMeta(page, total));
    },
  );

  app.get(
    '/:id/placement-exclusions',
    {
      schema: {
        tags,
        summary: 'The placements to blacklist at the network: enough clicks and a fraud rate above the threshold',
        description:
          "Placements with at least min_clicks clicks and a fraud rate above max_fraud_rate percent, most fraudulent clicks first. With ?format=text, text/plain, one placement per line (each ended by a newline, CR and LF inside a value removed), ready for the network's blacklist.",
        params: IdParams,
        querystring: PlacementExclusionsQuery,
        response: okSchema(Type.Array(PlacementSchema)),
      },
    },
    async (request, reply) => {
      const list = await placements.exclusions(principalOf(request).userId, request.params.id, request.query);
      if (request.query.format === 'text') {
        // Plain text on request, outside the JSON envelope its schema types.
        const plain: FastifyReply = reply;
        return plain
          .type('text/plain; charset=utf-8')
          .header('cache-control', 'no-store')
          .send(placements.exclusionText(list));
      }
      return ok(list);
    },
  );
};

export default placementRoutes;
