import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Config } from './config.ts';
import { openStorage, type Storage } from './storage/open-database.ts';
import { createServices, type ServicesOptions } from './app-services.ts';
import { installValidators } from './http/validation.ts';
import { installErrorHandlers } from './http/error-handler.ts';
import { openApi } from './http/openapi.ts';
import apiRoutes from './routes/api/index.ts';
import healthRoutes from './routes/health.ts';
import trackingRoutes from './routes/tracking.ts';
import { createClickListener } from './routes/click-listener.ts';
import { createClickAnswerer } from './routes/click-answer.ts';
import landerTagRoutes from './routes/lander-tag.ts';
import { logApiRequests, loggerOptions } from './http/logger.ts';
import { dashboard, dashboardNotFound, DEFAULT_DASHBOARD_DIR } from './http/dashboard.ts';
import { installSecurityHeaders } from './http/security-headers.ts';
import { clientErrorHandler, installBodyDeadline } from './http/client-limits.ts';

/** The services' tuning (retention, folding, intel, recorder, webhooks, reports, clock), plus the HTTP server's. */
export interface AppOptions extends Omit<ServicesOptions, 'log'> {
  config: Config;
  /** An already opened storage (tests pass one per dialect); otherwise opened from config. */
  storage?: Storage;
  logger?: FastifyServerOptions['logger'];
  /** How long a client may take to send its request (default 30 s; tests shorten it). */
  requestTimeoutMs?: number;
  /** The built dashboard (web/dist); tests point it elsewhere to see the server without one. */
  dashboardDir?: string;
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const {
    config,
    storage: openedStorage,
    logger,
    requestTimeoutMs,
    dashboardDir: distDir,
    ...serviceOptions
  } = options;
  const now = options.now ?? Date.now;
  const storage = openedStorage ?? openStorage(config.databaseUrl, { sqliteCacheMb: config.sqliteCacheMb });
  await storage.migrate();

  const timeoutMs = requestTimeoutMs ?? 30_000;
  // Clicks are answered ahead of Fastify's routing on the server it listens with (routes/click-listener.ts).
  const clickListener = createClickListener(config.trustProxy);
  const app = Fastify({
    serverFactory: clickListener.serverFactory,
    logger: logger ?? loggerOptions(config),
    trustProxy: config.trustProxy === false ? false : (config.trustProxy as boolean | string[]),
    // Per-request lines would cost the tracker's hot path; API calls get one line each from logApiRequests.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
    // A client has this long to send its whole request (headers and body): slow-drip clients
    // (slowloris) cannot hold sockets open. Responses (a CSV download, the live feed) are not limited.
    requestTimeout: timeoutMs,
    // Answers Node gives itself (431 headers too large, 408) in the API's error format.
    clientErrorHandler,
    // Node looks for expired requests only this often (30 s by default): as often as the timeout allows.
    http: { connectionsCheckingInterval: Math.min(5_000, timeoutMs) },
    routerOptions: { maxParamLength: 200, ignoreTrailingSlash: true },
    return503OnClosing: true,
    ajv: { customOptions: { allErrors: true } },
  });
  installValidators(app);
  // requestTimeout covers headers only once a request is dispatched: bodies get the same deadline here.
  installBodyDeadline(app, timeoutMs);
  const dashboardDir = distDir ?? DEFAULT_DASHBOARD_DIR;
  const isUnavailable = (error: unknown) => storage.dialect.isUnavailable(error);
  installErrorHandlers(app, isUnavailable, dashboardNotFound(dashboardDir));
  await installSecurityHeaders(app);
  logApiRequests(app);

  const created = await createServices(config, storage, { ...serviceOptions, log: app.log });
  const { services, tracking } = created;
  app.decorate('services', services);
  app.addHook('onReady', async () => created.start());
  app.addHook('onClose', async () => {
    await created.close();
    if (!openedStorage) await storage.close();
  });

  await app.register(openApi, { publicUrl: config.publicUrl });
  await app.register(healthRoutes, {
    database: { name: storage.dialect.name, ping: () => storage.dialect.ping() },
    ipLists: created.ipLists,
    recorder: tracking.recorder,
    clicksJudgedWithoutHistory: tracking.clicksJudgedWithoutHistory,
    rollupsBehindSeconds: () => services.statsFolder.behindSeconds(),
    redis: created.redisStatus,
  });
  clickListener.attach({
    answer: createClickAnswerer({ campaigns: tracking.campaignCache, tracker: tracking.tracker, now }),
    log: app.log,
    isUnavailable,
  });
  // From here on Fastify answers 503 to new requests (return503OnClosing): the lean path hands them over.
  app.addHook('preClose', (done) => {
    clickListener.detach();
    done();
  });
  await app.register(trackingRoutes, {
    campaigns: tracking.campaignCache,
    tracker: tracking.tracker,
    landerClicks: tracking.landerClicks,
    now,
  });
  await app.register(landerTagRoutes, { conversions: services.conversions });
  await app.register(apiRoutes, {
    prefix: '/api',
    tokens: created.tokens,
    accounts: services.accounts,
    limiter: created.limiter,
    now,
  });
  await app.register(dashboard, { distDir: dashboardDir });
  // Reports a previous process left processing are finished now, off the request path.
  services.fraudReports.start();
  return app;
}
