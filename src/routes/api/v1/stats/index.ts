import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ok } from '../../../../schemas/common.ts';
import { StatsQuery, StatsSchema } from '../../../../schemas/stats.ts';
import { principalOf } from '../../../../http/auth.ts';

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
        response: ok(StatsSchema),
      },
    },
    async (request) => ({
      success: true as const,
      data: await stats.overall(principalOf(request).userId, request.query),
    }),
  );
};

export default statsRoutes;
