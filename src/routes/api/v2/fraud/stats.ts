import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { okSchema } from '../../../../schemas/common.ts';
import { FraudStatsSchema, StatsQuery } from '../../../../schemas/stats.ts';
import { principalOf } from '../../../../http/auth.ts';
import { ok } from '../../../../http/envelope.ts';

const fraudStatsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { stats } = app.services;

  app.get(
    '',
    {
      schema: {
        tags: ['Fraud'],
        summary: 'Fraudulent clicks by primary type, and what they would have cost',
        querystring: StatsQuery,
        response: okSchema(FraudStatsSchema),
      },
    },
    async (request) => {
      const { userId, campaignIds } = principalOf(request);
      return ok(await stats.fraud(userId, { ...request.query, campaigns: campaignIds }));
    },
  );
};

export default fraudStatsRoutes;
