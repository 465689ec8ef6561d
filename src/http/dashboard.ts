import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import { sendRouteNotFound } from './error-handler.ts';
import { openDashboardIndex, type DashboardIndex } from './dashboard-index.ts';

/** Where `npm run build:web` writes the dashboard: hashed files under assets/, and index.html. */
export const DEFAULT_DASHBOARD_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url));

const MISSING_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>CloakRadar</title></head>
<body><h1>CloakRadar</h1><p>The API (<a href="/docs">/docs</a>) and the tracker are running, but the dashboard has not been built.
Run <code>npm run build:web</code> (or <code>npm start</code>, which builds it when missing) and reload.</p></body></html>`;

/** Paths that belong to the API, the tracker or the docs never fall back to the dashboard. */
const SERVER_PATHS = /^\/(api|c|docs|healthz|readyz)(\/|$)/;

/** One index per dashboard folder, shared by the `/` route and the SPA fallback. */
const indexes = new Map<string, DashboardIndex>();
function indexOf(distDir: string): DashboardIndex {
  let index = indexes.get(distDir);
  if (!index) indexes.set(distDir, (index = openDashboardIndex(join(distDir, 'index.html'))));
  return index;
}

function sendIndex(distDir: string, request: FastifyRequest, reply: FastifyReply) {
  const page = indexOf(distDir).current(Date.now());
  reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache');
  if (!page) return reply.send(MISSING_PAGE);
  // no-cache: the browser revalidates every time, and an unchanged page costs a 304 without a body.
  reply.header('etag', page.etag);
  if (request.headers['if-none-match'] === page.etag) return reply.status(304).send();
  return reply.send(page.html);
}

/**
 * The dashboard's SPA fallback, for the root not-found handler: a page route the server does not know
 * (/campaigns/12, /settings) answers index.html and the app routes it; everything else stays a JSON 404.
 */
export function dashboardNotFound(distDir: string) {
  return (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0] ?? '/';
    const isPage =
      (request.method === 'GET' || request.method === 'HEAD') &&
      !SERVER_PATHS.test(path) &&
      !/\.[a-z0-9]+$/i.test(path);
    return isPage ? sendIndex(distDir, request, reply) : sendRouteNotFound(request, reply);
  };
}

/** Serves the built dashboard at `/`: hashed assets cached for a year as immutable, index.html revalidated. */
export const dashboard: FastifyPluginAsync<{ distDir: string }> = async (app, { distDir }) => {
  if (existsSync(join(distDir, 'index.html'))) {
    await app.register(fastifyStatic, {
      root: join(distDir, 'assets'),
      prefix: '/assets/',
      index: false,
      maxAge: '365d',
      immutable: true,
    });
  } else {
    app.log.warn(
      { distDir },
      'dashboard not built: `/` shows a page saying to run `npm run build:web`; the API and tracker work',
    );
  }
  app.get('/', { schema: { hide: true } }, (request, reply) => sendIndex(distDir, request, reply));
};
