import type { FastifyPluginAsync } from 'fastify';

/** /healthz: the process answers. /readyz: and its storage does too (load balancers take it out otherwise). */
const healthRoutes: FastifyPluginAsync = async (app) => {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    try {
      await app.services.storage.dialect.ping();
      return { status: 'ready', database: app.services.storage.dialect.name };
    } catch {
      reply.status(503);
      return { status: 'unavailable', database: app.services.storage.dialect.name };
    }
  });
};

export default healthRoutes;
