import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { sendCsvDownload } from '../../../../http/csv-download.ts';
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
        description:
          'With ?format=csv, every click of the filter (no page limit) as a streamed CSV download: the fields of the list, sub1…sub10 included, under the same names.',
        querystring: ClickListQuery,
        response: okPageSchema(ClickSummarySchema),
      },
    },
    async (request, reply) => {
      const { country, format, page: _page, per_page: _perPage, ...filter } = request.query;
      const { userId, campaignIds } = principalOf(request);
      if (filter.campaign_id !== undefined) await app.services.campaigns.checkOwned(userId, filter.campaign_id);
      const query = { ...filter, country: country && normalizeCountry(country), campaigns: campaignIds };
      if (format === 'csv') {
        // A download outside the JSON envelope its schema types.
        const plain: FastifyReply = reply;
        return sendCsvDownload(request, plain, 'clicks.csv', (onError) => clicks.exportCsv(userId, query, onError));
      }
      const page = toPageRequest(request.query);
      const { items, total } = await clicks.list(userId, page, query);
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
    async (request) => {
      const { userId, campaignIds } = principalOf(request);
      return ok(await clicks.get(userId, request.params.clickid, campaignIds));
    },
  );
};

export default clickRoutes;
