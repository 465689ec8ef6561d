import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { okSchema, okPageSchema } from '../../../../schemas/common.ts';
import { ClickDetailSchema, ClickListQuery, ClickParams, ClickSummarySchema } from '../../../../schemas/click.ts';
import { principalOf } from '../../../../http/auth.ts';
import { toPageRequest } from '../../../../pagination.ts';
import { normalizeCountry } from '../../../../modules/campaigns/campaign-input.ts';
import { ok, pageMeta } from '../../../../http/envelope.ts';

const clickRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { clicks } = app.services;
  const tags = ['Clicks'];

  app.get(
    '',
    {
      schema: {
        tags,
        summary: 'List clicks, newest first (IP masked)',
        querystring: ClickListQuery,
        response: okPageSchema(ClickSummarySchema),
      },
    },
    async (request) => {
      const page = toPageRequest(request.query);
      const { country, ...filter } = request.query;
      const { userId } = principalOf(request);
      if (filter.campaign_id !== undefined) await app.services.campaigns.checkOwned(userId, filter.campaign_id);
      const { items, total } = await clicks.list(userId, page, {
        ...filter,
        country: country && normalizeCountry(country),
      });
      return ok(items, pageMeta(page, total));
    },
  );

  app.get(
    '/:clickid',
    {
      schema: {
        tags,
        summary: 'Everything known about a click, with the reasons for its verdict',
        params: ClickParams,
        response: okSchema(ClickDetailSchema),
      },
    },
    async (request) => ok(await clicks.get(principalOf(request).userId, request.params.clickid)),
  );
};

export default clickRoutes;
