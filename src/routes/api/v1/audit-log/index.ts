import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { okKeysetPageSchema } from '../../../../schemas/common.ts';
import { AuditEntrySchema, AuditLogQuery, AuditPageMeta } from '../../../../schemas/audit.ts';
import { principalOf } from '../../../../http/auth.ts';

const auditLogRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { audit } = app.services;

  app.get(
    '',
    {
      schema: {
        tags: ['Audit log'],
        summary: 'Who created, changed or deleted what, newest first (owner and admin only)',
        querystring: AuditLogQuery,
        response: okKeysetPageSchema(AuditEntrySchema, AuditPageMeta),
      },
    },
    async (request) => {
      const page = await audit.list(principalOf(request).userId, request.query);
      return {
        success: true as const,
        data: page.items,
        meta: { per_page: page.perPage, next_cursor: page.nextCursor },
      };
    },
  );
};

export default auditLogRoutes;
