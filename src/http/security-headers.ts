import { createRequire } from 'node:module';
import type { FastifyInstance } from 'fastify';
import helmet from '@fastify/helmet';

/** Hashes of the interactive reference's own inline script and style (published by @fastify/swagger-ui). */
const swaggerCsp = createRequire(import.meta.url)('@fastify/swagger-ui/static/csp.json') as {
  script: string[];
  style: string[];
};

/**
 * Security headers on the API, the dashboard and the docs (@fastify/helmet), registered before any
 * route. The policy lets pages load only this server's own scripts, styles and data: the dashboard is
 * one bundle from /assets, and a stored user agent or referrer shown on a page cannot run as script.
 * `upgrade-insecure-requests` is left out: a self-hosted server is often reached over plain http
 * inside a network, where upgrading would break every asset. The tracker's routes opt out
 * (`helmet: false`): its answers are redirects and tiny fixed pages, and every header costs on the hot path.
 */
export async function installSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", ...swaggerCsp.script],
        styleSrc: ["'self'", ...swaggerCsp.style],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    // Tracking URLs are opened from ad platforms; the API is called by servers: no cross-origin isolation needed.
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
  });
}
