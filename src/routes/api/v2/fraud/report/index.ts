import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IdParams, ok, okDownload } from '../../../../../schemas/common.ts';
import {
  FraudReportCreate,
  FraudReportSchema,
  IpExclusionsQuery,
  IpExclusionsSchema,
} from '../../../../../schemas/fraud-report.ts';
import { principalOf } from '../../../../../http/auth.ts';

const fraudReportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { fraudReports } = app.services;
  const tags = ['Fraud reports'];

  app.post(
    '',
    {
      schema: {
        tags,
        summary: 'Generate a fraud report (201, status processing; poll until ready)',
        description:
          'Covers the inclusive UTC dates from–to (default: the last 30 days), at most 366 days and no further back than the raw-click retention.',
        body: FraudReportCreate,
        response: ok(FraudReportSchema, 201),
      },
    },
    async (request, reply) => {
      reply.status(201);
      return { success: true as const, data: await fraudReports.create(principalOf(request).userId, request.body) };
    },
  );

  app.get(
    '/:id',
    {
      schema: {
        tags,
        summary: 'A fraud report: its status and, once ready, its summary',
        params: IdParams,
        response: ok(FraudReportSchema),
      },
    },
    async (request) => ({
      success: true as const,
      data: await fraudReports.get(principalOf(request).userId, request.params.id),
    }),
  );

  app.get(
    '/:id/csv',
    {
      schema: {
        tags,
        summary: 'Download the report as CSV: one row per fraudulent click, in time order',
        description:
          "Columns: time, click_id, the platform's click id (gclid, fbclid, ttclid or msclkid), ip, country, fraud_type, reasons, cost. 400 while the report is processing or when it failed.",
        params: IdParams,
        response: okDownload('text/csv'),
      },
    },
    async (request, reply) => {
      const csv = await fraudReports.openCsv(principalOf(request).userId, request.params.id);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${csv.filename}"`)
        .header('cache-control', 'no-store')
        .send(csv.stream);
    },
  );

  app.get(
    '/:id/ip-exclusions',
    {
      schema: {
        tags,
        summary: 'Google reports: the addresses and ranges to exclude in Google Ads, most costly first (at most 500)',
        description: "With ?format=text, one entry per line, ready to paste into the campaign's IP exclusions.",
        params: IdParams,
        querystring: IpExclusionsQuery,
        response: ok(IpExclusionsSchema),
      },
    },
    async (request, reply) => {
      const list = await fraudReports.ipExclusions(principalOf(request).userId, request.params.id);
      if (request.query.format === 'text') {
        return reply.type('text/plain; charset=utf-8').send(list.entries.map((entry) => `${entry.value}\n`).join(''));
      }
      return { success: true as const, data: list };
    },
  );
};

export default fraudReportRoutes;
