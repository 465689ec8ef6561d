import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import type { Config } from './config.ts';

/** Builds the app, listens, and closes gracefully on SIGTERM/SIGINT (in-flight requests finish, clicks are flushed). */
export async function startServer(config: Config): Promise<FastifyInstance> {
  const app = await buildApp({ config });
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    // Keep-alive sockets that finish their last request after close() began would hold the process
    // until their idle timeout; closing them as they go idle lets in-flight clicks finish, then exit.
    const reaper = setInterval(() => app.server.closeIdleConnections(), 50);
    reaper.unref();
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  await app.listen({ port: config.port, host: config.host });
  return app;
}
