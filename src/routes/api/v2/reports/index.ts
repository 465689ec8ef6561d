import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { sendCsvDownload } from '../../../../http/csv-download.ts';
import { principalOf } from '../../../../http/auth.ts';
import { ReportMetaSchema, ReportQuery, ReportRowSchema } from '../../../../schemas/report.ts';
import { okSchema } from '../../../../schemas/common.ts';

const reportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { reports } = app.services;

  app.get(
    '',
    {
      schema: {
        tags: ['Reports'],
        summary: 'A report: up to three groupings, filters on any dimension, every metric (SPEC section 9)',
        description:
          'Rows name each grouped value under the dimension (campaign, traffic_source, offer and lander as ids with `<dim>_name`). ' +
          'Filters: any dimension as `?country=US,DE`, plus campaign_id and traffic_source_id. ' +
          'With ?format=csv, every row (no page) as a streamed CSV download with the same columns.',
        querystring: ReportQuery,
        response: {
          ...okSchema(Type.Array(ReportRowSchema)),
          200: Type.Object({ success: Type.Literal(true), data: Type.Array(ReportRowSchema), meta: ReportMetaSchema }),
        },
      },
    },
    async (request, reply) => {
      const { userId, campaignIds } = principalOf(request);
      if (request.query.format === 'csv') {
        const open = await reports.exportCsv(userId, request.query, campaignIds);
        // A download outside the JSON envelope its schema types.
        const plain: FastifyReply = reply;
        return sendCsvDownload(request, plain, 'report.csv', open);
      }
      const { rows, meta } = await reports.report(userId, request.query, campaignIds);
      return { success: true as const, data: rows, meta };
    },
  );
};

export default reportRoutes;
