import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { IdParams, okSchema, okDownloadSchema } from '../../../../../schemas/common.ts';
import {
  FraudReportCreate,
  FraudReportSchema,
  IpExclusionsQuery,
  IpExclusionsSchema,
} from '../../../../../schemas/fraud-report.ts';
import { principalOf } from '../../../../../http/auth.ts';
import { ok } from '../../../../../http/envelope.ts';

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
        response: okSchema(FraudReportSchema, 201),
      },
    },
    async (request, reply) => {
      reply.status(201);
      return ok(await fraudReports.create(principalOf(request).userId, request.body));
    },
  );

  app.get(
    '/:id',
    {
      schema: {
        tags,
        summary: 'A fraud report: its status and, once ready, its summary',
        params: IdParams,
        response: okSchema(FraudReportSchema),
      },
    },
    async (request) => {
      const { userId, campaignIds } = principalOf(request);
      return ok(await fraudReports.get(userId, request.params.id, campaignIds));
    },
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
        response: okDownloadSchema('text/csv'),
      },
    },
    async (request, reply) => {
      const { userId, campaignIds } = principalOf(request);
      const csv = await fraudReports.openCsv(userId, request.params.id, campaignIds);
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
        response: okSchema(IpExclusionsSchema),
      },
    },
    async (request, reply) => {
      const { userId, campaignIds } = principalOf(request);
      const list = await fraudReports.ipExclusions(userId, request.params.id, campaignIds);
      if (request.query.format === 'text') {
        // Plain text on request, outside the JSON envelope its schema types.
        const plain: FastifyReply = reply;
        return plain.type('text/plain; charset=utf-8').send(list.entries.map((entry) => `${entry.value}\n`).join(''));
      }
      return ok(list);
    },
  );
};

export default fraudReportRoutes;
