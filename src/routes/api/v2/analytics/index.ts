import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { okSchema } from '../../../../schemas/common.ts';
import { AnalyticsParams, AnalyticsQuery, analyticsRowSchema } from '../../../../schemas/stats.ts';
import { principalOf } from '../../../../http/auth.ts';
import type { AnalyticsDimension } from '../../../../modules/stats/dimensions.ts';
import type { AnalyticsRow } from '../../../../modules/stats/stats.service.ts';
import { ok } from '../../../../http/envelope.ts';

/** Each row's value goes under the dimension's own name, as the reference's endpoints name them. */
const named = (key: string, rows: readonly AnalyticsRow[]) =>
  rows.map(({ value, ...measures }) => ({ [key]: value, ...measures }));

const userOf = (request: FastifyRequest) => principalOf(request).userId;
/** The query with the caller's campaign scope: a limited member's breakdowns hold only their campaigns. */
const scoped = (request: FastifyRequest<{ Querystring: Static<typeof AnalyticsQuery> }>) => ({
  ...request.query,
  campaigns: principalOf(request).campaignIds,
});

const analyticsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { stats } = app.services;
  const tags = ['Analytics'];

  const byDimension = (path: string, dimension: AnalyticsDimension, key: string, summary: string) =>
    app.get(
      path,
      {
        schema: { tags, summary, querystring: AnalyticsQuery, response: okSchema(Type.Array(analyticsRowSchema(key))) },
      },
      async (request) => ok(named(key, await stats.analytics(userOf(request), dimension, scoped(request)))),
    );

  byDimension('/countries', 'country', 'country', 'Clicks, quality and conversions per country');
  byDimension('/devices', 'device', 'device', 'Clicks, quality and conversions per device type');

  app.get(
    '/:dimension',
    {
      schema: {
        tags,
        summary:
          "Per os, browser, city, asn, referrer (domain), sub1…sub10, placement (a traffic source's zone or site), event (conversions and revenue per conversion event; clicks 0), offer, lander, rule, path (`rule #n`), hour (of day) or day, in the `tz` zone",
        params: AnalyticsParams,
        querystring: AnalyticsQuery,
        response: okSchema(Type.Array(analyticsRowSchema('value'))),
      },
    },
    async (request) =>
      ok(named('value', await stats.analytics(userOf(request), request.params.dimension, scoped(request)))),
  );
};

export default analyticsRoutes;
