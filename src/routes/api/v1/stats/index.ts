import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { okSchema } from '../../../../schemas/common.ts';
import { StatsQuery, StatsSchema } from '../../../../schemas/stats.ts';
import { principalOf } from '../../../../http/auth.ts';
import { ok } from '../../../../http/envelope.ts';

const statsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { stats } = app.services;
  const tags = ['Statistics'];

  app.get(
    '',
    {
      schema: {
        tags,
        summary: 'Totals over all campaigns (or one) for a date range',
        querystring: StatsQuery,
        response: okSchema(StatsSchema),
      },
    },
    async (request) => {
      const { userId, campaignIds } = principalOf(request);
      return ok(await stats.overall(userId, { ...request.query, campaigns: campaignIds }));
    },
  );
};

export default statsRoutes;
