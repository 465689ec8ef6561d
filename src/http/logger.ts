import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import type { Config } from '../config.ts';

/** Secrets never reach a log line: credentials in headers and bodies are redacted wherever pino meets them. */
export function loggerOptions(config: Config): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.api_secret', '*.token', '*.secret'],
      censor: '[redacted]',
    },
    ...(config.prettyLogs
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } } }
      : {}),
  };
}

/** One line per API call, without the query string (postback tokens and click ids ride there). */
export function logApiRequests(app: FastifyInstance): void {
  // A callback hook, not an async one: every click passes through here too, and an async hook costs a
  // promise and a microtask per request even when it returns at once.
  app.addHook('onResponse', (request, reply, done) => {
    if (!request.url.startsWith('/api/')) return done();
    request.log.info(
      {
        method: request.method,
        path: request.url.split('?')[0],
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'api request',
    );
    done();
  });
}
