import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { okPageSchema } from '../../../../../schemas/common.ts';
import { FraudReportListQuery, FraudReportSchema } from '../../../../../schemas/fraud-report.ts';
import { principalOf } from '../../../../../http/auth.ts';
import { toPageRequest } from '../../../../../pagination.ts';
import { ok, pageMeta } from '../../../../../http/envelope.ts';

const fraudReportListRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { fraudReports } = app.services;

  app.get(
    '',
    {
      schema: {
        tags: ['Fraud reports'],
        summary: 'List fraud reports, newest first',
        querystring: FraudReportListQuery,
        response: okPageSchema(FraudReportSchema),
      },
    },
    async (request) => {
      const page = toPageRequest(request.query);
      const { userId, campaignIds } = principalOf(request);
      if (request.query.campaign_id !== undefined)
        await app.services.campaigns.checkOwned(userId, request.query.campaign_id);
      const { items, total } = await fraudReports.list(userId, page, { ...request.query, campaigns: campaignIds });
      return ok(items, pageMeta(page, total));
    },
  );
};

export default fraudReportListRoutes;
