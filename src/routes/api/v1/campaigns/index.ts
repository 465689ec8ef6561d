import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IdParams, ok, okEmpty, okPage } from '../../../../schemas/common.ts';
import { CampaignCreate, CampaignListQuery, CampaignSchema, CampaignUpdate } from '../../../../schemas/campaign.ts';
import { CampaignStatsQuery, StatsSchema } from '../../../../schemas/stats.ts';
import { principalOf } from '../../../../http/auth.ts';
import { toPageRequest } from '../../../../pagination.ts';

const campaignRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { campaigns } = app.services;
  const tags = ['Campaigns'];

  app.get(
    '',
    { schema: { tags, summary: 'List campaigns', querystring: CampaignListQuery, response: okPage(CampaignSchema) } },
    async (request) => {
      const page = toPageRequest(request.query);
      const { items, total } = await campaigns.list(principalOf(request).userId, page, request.query);
      return { success: true as const, data: items, meta: { page: page.page, per_page: page.perPage, total } };
    },
  );

  app.post(
    '',
    { schema: { tags, summary: 'Create a campaign', body: CampaignCreate, response: ok(CampaignSchema, 201) } },
    async (request, reply) => {
      reply.status(201);
      return { success: true as const, data: await campaigns.create(principalOf(request).userId, request.body) };
    },
  );

  app.get(
    '/:id',
    { schema: { tags, summary: 'Get a campaign', params: IdParams, response: ok(CampaignSchema) } },
    async (request) => ({
      success: true as const,
      data: await campaigns.get(principalOf(request).userId, request.params.id),
    }),
  );

  app.get(
    '/:id/stats',
    {
      schema: {
        tags,
        summary: "A campaign's statistics for a date range (SPEC §3 formulas)",
        params: IdParams,
        querystring: CampaignStatsQuery,
        response: ok(StatsSchema),
      },
    },
    async (request) => ({
      success: true as const,
      data: await app.services.stats.campaign(principalOf(request).userId, request.params.id, request.query),
    }),
  );

  app.put(
    '/:id',
    {
      schema: {
        tags,
        summary: 'Update a campaign (fields not sent stay as they are)',
        params: IdParams,
        body: CampaignUpdate,
        response: ok(CampaignSchema),
      },
    },
    async (request) => ({
      success: true as const,
      data: await campaigns.update(principalOf(request).userId, request.params.id, request.body),
    }),
  );

  app.delete(
    '/:id',
    { schema: { tags, summary: 'Delete a campaign', params: IdParams, response: okEmpty() } },
    async (request) => {
      await campaigns.remove(principalOf(request).userId, request.params.id);
      return { success: true as const };
    },
  );
};

export default campaignRoutes;
