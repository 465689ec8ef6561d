import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { sendCsvDownload } from '../../../../http/csv-download.ts';
import { okSchema, okPageSchema } from '../../../../schemas/common.ts';
import { ConversionCreate, ConversionListQuery, ConversionSchema } from '../../../../schemas/conversion.ts';
import { principalOf } from '../../../../http/auth.ts';
import { toPageRequest } from '../../../../pagination.ts';
import { ok, pageMeta } from '../../../../http/envelope.ts';

const conversionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { conversions } = app.services;
  const tags = ['Conversions'];

  app.get(
    '',
    {
      schema: {
        tags,
        summary: 'List conversions, newest first',
        description:
          'With ?format=csv, every conversion of the filter (no page limit) as a streamed CSV download: the fields of the list under the same names.',
        querystring: ConversionListQuery,
        response: okPageSchema(ConversionSchema),
      },
    },
    async (request, reply) => {
      const { format, page: _page, per_page: _perPage, ...filter } = request.query;
      const { userId, campaignIds } = principalOf(request);
      const query = { ...filter, campaigns: campaignIds };
      if (query.campaign_id !== undefined) await app.services.campaigns.checkOwned(userId, query.campaign_id);
      if (format === 'csv') {
        // A download outside the JSON envelope its schema types.
        const plain: FastifyReply = reply;
        return sendCsvDownload(request, plain, 'conversions.csv', (onError) =>
          conversions.exportCsv(userId, query, onError),
        );
      }
      const page = toPageRequest(request.query);
      const { items, total } = await conversions.list(userId, page, query);
      return ok(items, pageMeta(page, total));
    },
  );

  app.post(
    '',
    {
      schema: {
        tags,
        summary: 'Record a conversion (201); a repeat of a known one answers 200',
        description:
          'The same transaction_id updates its conversion (status, payout); without one, a second conversion for a click returns the first.',
        body: ConversionCreate,
        response: { ...okSchema(ConversionSchema), ...okSchema(ConversionSchema, 201) },
      },
    },
    async (request, reply) => {
      const { userId, campaignIds } = principalOf(request);
      const { conversion, created } = await conversions.record(userId, request.body, campaignIds);
      reply.status(created ? 201 : 200);
      return ok(conversion);
    },
  );
};

export default conversionRoutes;
