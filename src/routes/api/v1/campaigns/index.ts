import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { IdParams, okSchema, okEmptySchema, okPageSchema } from '../../../../schemas/common.ts';
import { CampaignCreate, CampaignListQuery, CampaignSchema, CampaignUpdate } from '../../../../schemas/campaign.ts';
import { CampaignStatsQuery, StatsSchema } from '../../../../schemas/stats.ts';
import { CostRangeBody, CostRangeSchema } from '../../../../schemas/campaign-cost.ts';
import { principalOf } from '../../../../http/auth.ts';
import { toPageRequest } from '../../../../pagination.ts';
import { ok, pageMeta } from '../../../../http/envelope.ts';

const campaignRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { campaigns } = app.services;
  const tags = ['Campaigns'];

  app.get(
    '',
    {
      schema: {
        tags,
        summary: 'List campaigns',
        querystring: CampaignListQuery,
        response: okPageSchema(CampaignSchema),
      },
    },
    async (request) => {
      const page = toPageRequest(request.query);
      const { userId, campaignIds } = principalOf(request);
      const { items, total } = await campaigns.list(userId, page, { ...request.query, campaigns: campaignIds });
      return ok(items, pageMeta(page, total));
    },
  );

  app.post(
    '',
    { schema: { tags, summary: 'Create a campaign', body: CampaignCreate, response: okSchema(CampaignSchema, 201) } },
    async (request, reply) => {
      reply.status(201);
      return ok(await campaigns.create(principalOf(request).userId, request.body));
    },
  );

  app.get(
    '/:id',
    { schema: { tags, summary: 'Get a campaign', params: IdParams, response: okSchema(CampaignSchema) } },
    async (request) => ok(await campaigns.get(principalOf(request).userId, request.params.id)),
  );

  app.get(
    '/:id/stats',
    {
      schema: {
        tags,
        summary: "A campaign's statistics for a date range (SPEC §3 formulas)",
        params: IdParams,
        querystring: CampaignStatsQuery,
        response: okSchema(StatsSchema),
      },
    },
    async (request) =>
      ok(await app.services.stats.campaign(principalOf(request).userId, request.params.id, request.query)),
  );

  app.post(
    '/:id/costs',
    {
      schema: {
        tags,
        summary:
          "Set the campaign's total cost for a range of whole UTC days (spread evenly over them), replacing the modelled and per-click cost of those days and any earlier range's overlap",
        params: IdParams,
        body: CostRangeBody,
        response: okSchema(CostRangeSchema),
      },
    },
    async (request) =>
      ok(await app.services.campaignCosts.set(principalOf(request).userId, request.params.id, request.body)),
  );

  app.get(
    '/:id/costs',
    {
      schema: {
        tags,
        summary:
          'The cost ranges in effect, in day order (a range partly replaced by a later one shows the days it keeps)',
        params: IdParams,
        response: okSchema(Type.Array(CostRangeSchema)),
      },
    },
    async (request) => ok(await app.services.campaignCosts.list(principalOf(request).userId, request.params.id)),
  );

  app.put(
    '/:id',
    {
      schema: {
        tags,
        summary: 'Update a campaign (fields not sent stay as they are)',
        params: IdParams,
        body: CampaignUpdate,
        response: okSchema(CampaignSchema),
      },
    },
    async (request) => ok(await campaigns.update(principalOf(request).userId, request.params.id, request.body)),
  );

  app.delete(
    '/:id',
    { schema: { tags, summary: 'Delete a campaign', params: IdParams, response: okEmptySchema() } },
    async (request) => {
      await campaigns.remove(principalOf(request).userId, request.params.id);
      return ok();
    },
  );
};

export default campaignRoutes;
