import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Config } from './config.ts';
import { openStorage, type Storage } from './storage/open-database.ts';
import { EventBus } from './events.ts';
import { installValidators } from './http/validation.ts';
import { installErrorHandlers } from './http/error-handler.ts';
import { openApi } from './http/openapi.ts';
import { createTokenSigner } from './modules/accounts/token.ts';
import { createAccountService } from './modules/accounts/account.service.ts';
import { createApiKeyService } from './modules/accounts/api-key.service.ts';
import { createTrafficSourceService } from './modules/traffic-sources/traffic-source.service.ts';
import { createCampaignService } from './modules/campaigns/campaign.service.ts';
import { createClickService } from './modules/clicks/click.service.ts';
import { createDetectionSettingsService } from './modules/detection-settings/detection-settings.service.ts';
import { openIpReputation } from './intel/lists/reputation.ts';
import { createConversionService, type PostbackLimits } from './modules/conversions/conversion.service.ts';
import { createStatsService } from './modules/stats/stats.service.ts';
import { createStatsWriter } from './modules/stats/stats-writer.ts';
import { createStatsFolder, type StatsFolderOptions } from './modules/stats/stats-folder.ts';
import { createFraudulentClickService } from './modules/clicks/fraudulent-click.service.ts';
import { createFraudReportService, type FraudReportServiceDeps } from './modules/fraud-reports/fraud-report.service.ts';
import { createRetentionJob, type RetentionJobOptions } from './modules/retention/retention-job.ts';
import { createMemoryRateLimiter } from './storage/counters/memory-rate-limiter.ts';
import { openSharedState } from './storage/counters/redis-shared-state.ts';
import type { Services } from './services.ts';
import apiRoutes from './routes/api/index.ts';
import healthRoutes from './routes/health.ts';
import trackingRoutes from './routes/tracking.ts';
import { openIpIntel, type IpIntel } from './intel/ip-intel.ts';
import { setUpTracking, type TrackingSetupDeps } from './modules/clicks/tracking-setup.ts';
import { logApiRequests, loggerOptions } from './http/logger.ts';
import { dashboard, dashboardNotFound, DEFAULT_DASHBOARD_DIR } from './http/dashboard.ts';
import { installSecurityHeaders } from './http/security-headers.ts';
import { clientErrorHandler, installBodyDeadline } from './http/client-limits.ts';
import { setUpWebhooks, type WebhookRuntimeOptions } from './modules/webhooks/webhooks-setup.ts';

export interface AppOptions {
  config: Config;
  /** An already opened storage (tests pass one per dialect); otherwise opened from config. */
  storage?: Storage;
  /** Schedule and batch size of the click retention job (tests: no schedule, small batches). */
  retention?: RetentionJobOptions;
  /** How often and how much of the rollup journal is folded into the periods. */
  statsFolder?: StatsFolderOptions;
  /** IP and user-agent intelligence; opened from the data folder when not given (tests share one). */
  intel?: IpIntel;
  logger?: FastifyServerOptions['logger'];
  /** How long a client may take to send its request (default 30 s; tests shorten it). */
  requestTimeoutMs?: number;
  /** Storage-outage tuning of the click recorder (tests: short waits and retries). */
  recorder?: TrackingSetupDeps['recorderOptions'];
  now?: () => number;
  /** Webhook delivery tuning (tests: fast retries, no background worker). */
  webhooks?: WebhookRuntimeOptions;
  /** Tuning of the fraud report jobs (tests shrink the chunk size to cross chunk borders with a few rows). */
  fraudReports?: Pick<FraudReportServiceDeps, 'chunkSize' | 'leaseMs' | 'pollMs'>;
  /** The built dashboard (web/dist); tests point it elsewhere to see the server without one. */
  dashboardDir?: string;
  /** Postback rate limits per address and per click (default DEFAULT_POSTBACK_LIMITS; tests lower them). */
  postbackLimits?: PostbackLimits;
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { config } = options;
  const now = options.now ?? Date.now;
  const storage = options.storage ?? openStorage(config.databaseUrl);
  await storage.migrate();

  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  const app = Fastify({
    logger: options.logger ?? loggerOptions(config),
    trustProxy: config.trustProxy === false ? false : (config.trustProxy as boolean | string[]),
    // Per-request lines would cost the tracker's hot path; API calls get one line each from logApiRequests.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
    // A client has this long to send its whole request (headers and body): slow-drip clients
    // (slowloris) cannot hold sockets open. Responses (a CSV download, the live feed) are not limited.
    requestTimeout: requestTimeoutMs,
    // Answers Node gives itself (431 headers too large, 408) in the API's error format.
    clientErrorHandler,
    // Node looks for expired requests only this often (30 s by default): as often as the timeout allows.
    http: { connectionsCheckingInterval: Math.min(5_000, requestTimeoutMs) },
    routerOptions: { maxParamLength: 200, ignoreTrailingSlash: true },
    return503OnClosing: true,
    ajv: { customOptions: { allErrors: true } },
  });
  installValidators(app);
  // requestTimeout covers headers only once a request is dispatched: bodies get the same deadline here.
  installBodyDeadline(app, requestTimeoutMs);
  const dashboardDir = options.dashboardDir ?? DEFAULT_DASHBOARD_DIR;
  installErrorHandlers(app, (error) => storage.dialect.isUnavailable(error), dashboardNotFound(dashboardDir));
  await installSecurityHeaders(app);
  logApiRequests(app);

  const events = new EventBus();
  // Several nodes: rate limits, detection windows and cache invalidation live in Redis (REDIS_URL).
  const shared = config.redisUrl
    ? await openSharedState({ url: config.redisUrl, prefix: config.redisPrefix, events, log: app.log, now })
    : null;
  const tokens = createTokenSigner(config.jwtSecret);
  const accounts = createAccountService(storage.db, tokens, now);
  const trafficSources = createTrafficSourceService(storage.db, now);
  const clicks = createClickService(storage.db, now);
  const statsWriter = createStatsWriter(storage.dialect);
  const statsFolder = createStatsFolder({
    db: storage.db,
    dialect: storage.dialect,
    log: app.log,
    shard: config.rollupShard,
    ...options.statsFolder,
  });
  const detectionSettings = createDetectionSettingsService(storage.db, events, now);
  const webhooks = setUpWebhooks({
    db: storage.db,
    events,
    log: app.log,
    now,
    allowPrivateTargets: config.webhooksAllowPrivateTargets,
    retryBaseMs: config.webhooksRetryBaseSeconds * 1000,
    campaignExists: (userId, id) =>
      services.campaigns.get(userId, id).then(
        () => true,
        () => false,
      ),
    fraudAlertSettings: (userId) => detectionSettings.getFraudAlertSettings(userId),
    options: options.webhooks,
    skipLocked: storage.dialect.supportsSkipLocked,
    fraudRateWindow: shared?.fraudRates,
  });
  // One limiter for the API's plan limits and the postback's own (distinct keys), in Redis with several nodes.
  const limiter = shared?.limiter ?? createMemoryRateLimiter();
  const conversions = createConversionService({
    db: storage.db,
    findClickOwner: (clickId) => clicks.findOwner(clickId),
    checkPostbackToken: (userId, token, ip) => accounts.checkPostbackToken(userId, token, ip),
    conversionTerms: (campaignId) => campaigns.conversionTerms(campaignId),
    postbackLimiter: limiter,
    postbackLimits: options.postbackLimits,
    conversionChanged: (trx, click, before, after) => statsWriter.conversionChanged(trx, click, before, after),
    supportsRowLocks: storage.dialect.supportsRowLocks,
    enqueueWebhookEvent: (trx, event) => webhooks.service.enqueue(trx, event),
    now,
  });
  const campaigns = createCampaignService({
    db: storage.db,
    events,
    publicUrl: config.publicUrl,
    trafficSourceExists: (userId, id) => trafficSources.exists(userId, id),
    countToday: async (userId, campaignIds) => {
      const [clickCounts, conversionCounts] = await Promise.all([
        stats.clicksToday(userId, campaignIds),
        conversions.countToday(campaignIds),
      ]);
      return new Map(
        campaignIds.map((id) => [id, { clicks: clickCounts.get(id) ?? 0, conversions: conversionCounts.get(id) ?? 0 }]),
      );
    },
    now,
  });
  const stats = createStatsService({
    db: storage.db,
    dialect: storage.dialect,
    costTerms: (userId) => campaigns.costTerms(userId),
    checkCampaign: (userId, campaignId) => campaigns.checkOwned(userId, campaignId),
    now,
  });
  const fraudReports = createFraudReportService({
    db: storage.db,
    clicks: createFraudulentClickService(storage.db),
    getCampaign: (userId, id) => campaigns.get(userId, id),
    clickRetentionDays: config.clickRetentionDays,
    onReady: async (trx, userId, report) => {
      await webhooks.service.enqueue(trx, {
        userId,
        type: 'report.ready',
        data: report,
        campaignId: report.campaign_id,
      });
    },
    log: app.log,
    now,
    skipLocked: storage.dialect.supportsSkipLocked,
    ...options.fraudReports,
  });
  const retention = createRetentionJob({
    db: storage.db,
    dialect: storage.dialect,
    log: app.log,
    now,
    retentionDays: config.clickRetentionDays,
    anonymizeAfterDays: config.ipAnonymizeDays,
    ...options.retention,
  });
  const services: Services = {
    config,
    storage,
    retention,
    accounts,
    apiKeys: createApiKeyService(storage.db, now),
    trafficSources,
    campaigns,
    stats,
    statsFolder,
    clicks,
    detectionSettings,
    conversions,
    webhooks: webhooks.service,
    fraudReports,
    events,
  };
  app.decorate('services', services);

  // Room for the addresses of a busy hour: repeat visitors and retrying bots then cost one Map hit.
  const intel = options.intel ?? (await openIpIntel({ dataDir: config.dataDir, cacheSize: { ip: 131_072 } }));
  // Tor, VPN and crawler lists from `cloakradar intel update`, picked up again when an update lands.
  const ipLists = openIpReputation({
    dataDir: config.dataDir,
    watchIntervalMs: config.intelReloadSeconds * 1000,
    onReload: (event) =>
      event.type === 'loaded'
        ? app.log.info(
            { generation: event.generation, lists: event.lists.map((list) => `${list.id}:${list.entries}`) },
            'IP lists loaded',
          )
        : app.log.warn({ error: event.error }, 'IP lists not reloaded; keeping the ones in use'),
  });
  const tracking = await setUpTracking({
    db: storage.db,
    dialect: storage.dialect,
    events,
    intel,
    reputation: (ip) => ipLists.lookup(ip),
    campaigns: services.campaigns,
    clicks,
    detectionSettings: services.detectionSettings,
    log: app.log,
    windowStore: shared?.windows,
    recorderOptions: options.recorder,
    recorderHooks: {
      clicksRecorded: async (trx, rows) => {
        await statsWriter.clicksRecorded(trx, rows);
        await webhooks.service.enqueueFlaggedClicks(trx, rows);
      },
      clicksAmended: async (trx, amended) => {
        await statsWriter.clicksAmended(trx, amended);
        // A click that had no fraud type and got one after the fact is flagged now.
        const flagged = amended.filter(({ before }) => before.primary_fraud_type === null).map(({ after }) => after);
        await webhooks.service.enqueueFlaggedClicks(trx, flagged);
      },
    },
    now,
  });
  app.addHook('onReady', async () => {
    webhooks.start();
    retention.start();
    statsFolder.start();
  });
  app.addHook('onClose', async () => {
    await retention.close();
    await statsFolder.close();
    // First: a report job cut off here goes back to the queue while the database is still open.
    await fraudReports.close();
    await webhooks.close();
    await tracking.recorder.close();
    ipLists.close();
    await shared?.close();
    if (!options.storage) await storage.close();
  });

  await app.register(openApi, { publicUrl: config.publicUrl });
  await app.register(healthRoutes, {
    ipLists,
    recorder: tracking.recorder,
    clicksJudgedWithoutHistory: tracking.clicksJudgedWithoutHistory,
    rollupsBehindSeconds: () => statsFolder.behindSeconds(),
    redis: shared ? () => shared.status() : undefined,
  });
  await app.register(trackingRoutes, { campaigns: tracking.campaignCache, tracker: tracking.tracker, now });
  await app.register(apiRoutes, {
    prefix: '/api',
    tokens,
    accounts,
    limiter,
    now,
  });
  await app.register(dashboard, { distDir: dashboardDir });
  // Reports a previous process left processing are finished now, off the request path.
  fraudReports.start();
  return app;
}
