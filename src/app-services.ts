import { join } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config.ts';
import type { Storage } from './storage/open-database.ts';
import type { Services } from './services.ts';
import { EventBus } from './events.ts';
import { createTokenSigner, type TokenSigner } from './modules/accounts/token.ts';
import { createAccountService } from './modules/accounts/account.service.ts';
import { createSignInThrottle } from './modules/accounts/sign-in-throttle.ts';
import { createApiKeyService } from './modules/accounts/api-key.service.ts';
import { createMemberService } from './modules/accounts/member.service.ts';
import { createAuditService } from './modules/audit/audit.service.ts';
import { createTrafficSourceService } from './modules/traffic-sources/traffic-source.service.ts';
import { createCampaignLookupService } from './modules/campaigns/campaign-lookup.service.ts';
import { createCampaignService } from './modules/campaigns/campaign.service.ts';
import { createOfferService } from './modules/flows/offer.service.ts';
import { createLanderService } from './modules/flows/lander.service.ts';
import { createFlowLoader } from './modules/flows/flow-loader.ts';
import { createRotation } from './modules/flows/flow-rotation.ts';
import type { TodayCounts } from './modules/campaigns/campaign.ts';
import type { ClickGroupQuery } from './modules/clicks/click-groups.repository.ts';
import { createClickService, type ClickService } from './modules/clicks/click.service.ts';
import type { ReportColumns } from './modules/report-columns/report-columns.service.ts';
import { createBeaconService, scheduleBeaconSweep, type BeaconLimits } from './modules/clicks/beacon.service.ts';
import { createFraudulentClickService } from './modules/clicks/fraudulent-click.service.ts';
import { setUpTracking, type TrackingSetupDeps } from './modules/clicks/tracking-setup.ts';
import { createDetectionSettingsService } from './modules/detection-settings/detection-settings.service.ts';
import { createConversionService, type PostbackLimits } from './modules/conversions/conversion.service.ts';
import { createReportService } from './modules/reports/report.service.ts';
import { createStatsService } from './modules/stats/stats.service.ts';
import { createCampaignCostService } from './modules/campaign-costs/campaign-cost.service.ts';
import { createStatsWriter } from './modules/stats/stats-writer.ts';
import { createPlacementReportService } from './modules/traffic-sources/placement-report.service.ts';
import { createStatsFolder, type StatsFolderOptions } from './modules/stats/stats-folder.ts';
import { createReportCubeFolder, type ReportCubeFolderOptions } from './modules/reports/report-cube-folder.ts';
import { createClickChangeNotes } from './modules/report-columns/click-changes.ts';
import { startFoldThread } from './modules/folds/fold-thread.ts';
import type { WriteTurns } from './storage/write-turns.ts';
import { createFraudReportService, type FraudReportServiceDeps } from './modules/fraud-reports/fraud-report.service.ts';
import { createRetentionJob, type RetentionJobOptions } from './modules/retention/retention-job.ts';
import { setUpWebhooks, type WebhookRuntimeOptions } from './modules/webhooks/webhooks-setup.ts';
import { createPostbackService } from './modules/postbacks/postback.service.ts';
import { DEFAULT_POSTBACK_WORKER_OPTIONS, type PostbackWorkerOptions } from './modules/postbacks/postback-worker.ts';
import { createConnectionService, type ConnectionServiceDeps } from './modules/connections/connection.service.ts';
import { createCredentialsCipher } from './modules/connections/credentials-cipher.ts';
import { createGoogleAdsClient } from './modules/connections/google-ads-client.ts';
import { createMetaClient } from './modules/connections/meta-capi-client.ts';
import { createConversionLookupService } from './modules/conversions/conversion-lookup.service.ts';
import { joinWriteHooks } from './modules/conversions/conversion-write-hooks.ts';
import { DEFAULT_RETRY_POLICY } from './modules/webhooks/outbox/backoff.ts';
import { campaignIpExclusions } from './modules/fraud-reports/fraud-report-job.ts';
import { costPerClick } from './modules/fraud-reports/fraud-report.ts';
import { openIpIntel, type IpIntel } from './intel/ip-intel.ts';
import { openIpReputation, type IpReputationStore } from './intel/lists/reputation.ts';
import { createReverseDnsVerifier } from './intel/reverse-dns.ts';
import { CRAWLER_DNS_DOMAINS } from './detection/lists/verified-crawlers.ts';
import { createMemoryRateLimiter } from './storage/counters/memory-rate-limiter.ts';
import { openSharedState } from './storage/counters/redis-shared-state.ts';
import type { RateLimiter } from './storage/counters/rate-limiter.ts';

export interface ServicesOptions {
  log: FastifyBaseLogger;
  now?: () => number;
  /** Schedule and batch size of the click retention job (tests: no schedule, small batches). */
  retention?: RetentionJobOptions;
  /** How often and how much of the rollup journal is folded into the periods. */
  statsFolder?: StatsFolderOptions;
  /** How often and how much of the report cube is folded into its days and weeks (report-cube-folder.ts). */
  reportCubeFolder?: ReportCubeFolderOptions;
  /**
   * SQLite (a file): fold on a worker thread (fold-thread.ts). Default: yes unless `now` is given, whose
   * clock a thread cannot share (tests that move time fold on the event loop).
   */
  foldThread?: boolean;
  /** The columnar copy (REPORT_COLUMNS) on a worker thread (report-columns-thread.ts): the same default as foldThread. */
  copyThread?: boolean;
  /** IP and user-agent intelligence; opened from the data folder when not given (tests share one). */
  intel?: IpIntel;
  /** Storage-outage tuning of the click recorder (tests: short waits and retries). */
  recorder?: TrackingSetupDeps['recorderOptions'];
  /** Webhook delivery tuning (tests: fast retries, no background worker). */
  webhooks?: WebhookRuntimeOptions;
  /** Postback delivery tuning (tests: short timeouts and retries; `runWorker: false` leaves the outbox alone). */
  postbacks?: Partial<PostbackWorkerOptions> & { runWorker?: boolean };
  /** Tuning of the fraud report jobs (tests shrink the chunk size to cross chunk borders with a few rows). */
  fraudReports?: Pick<FraudReportServiceDeps, 'chunkSize' | 'leaseMs' | 'pollMs'>;
  /** Postback rate limits per address and per click (default DEFAULT_POSTBACK_LIMITS; tests lower them). */
  postbackLimits?: PostbackLimits;
  /** Beacon rate limits (default DEFAULT_BEACON_LIMITS; tests lower them). */
  beaconLimits?: BeaconLimits;
  /** How often clicks of require_beacon campaigns are checked for a missing beacon (default 60 s; 0: never). */
  beaconSweepMs?: number;
  /** Ad-platform job tuning (tests: fast polls, retries and timeouts; `runWorker: false` leaves the outbox alone). */
  connections?: ConnectionServiceDeps['options'] & { runWorker?: boolean };
}

export interface AppServices {
  /** What route handlers see (`app.services`): services, never storage. */
  readonly services: Services;
  readonly tokens: TokenSigner;
  readonly limiter: RateLimiter;
  readonly tracking: Awaited<ReturnType<typeof setUpTracking>>;
  readonly ipLists: IpReputationStore;
  /** With REDIS_URL: whether the shared state answers. */
  readonly redisStatus?: () => 'ready' | 'unavailable';
  /** Starts the background jobs: webhook delivery, click retention, rollup folding. */
  start(): void;
  /** Stops every job and closes what was opened here; the storage stays open for whoever opened it. */
  close(): Promise<void>;
}

/**
 * Builds every service on an opened, migrated storage, in dependency order: each one is complete
 * when it is built, so nothing relies on a closure that only works once a later service exists.
 */
export async function createServices(config: Config, storage: Storage, options: ServicesOptions): Promise<AppServices> {
  const { db, dialect } = storage;
  const { log } = options;
  const now = options.now ?? Date.now;

  const events = new EventBus();
  // Several nodes: rate limits, detection windows and cache invalidation live in Redis (REDIS_URL).
  const shared = config.redisUrl
    ? await openSharedState({ url: config.redisUrl, prefix: config.redisPrefix, events, log, now })
    : null;
  // One limiter for the API's plan limits, sign-in and the postback's own (distinct keys), in Redis with several nodes.
  const limiter = shared?.limiter ?? createMemoryRateLimiter();
  const tokens = createTokenSigner(config.jwtSecret);
  const accounts = createAccountService({
    db,
    tokens,
    now,
    signIn: createSignInThrottle({ limiter, lock: shared?.failureLock, now }),
    events,
  });
  const trafficSources = createTrafficSourceService({
    db,
    events,
    now,
    allowPrivateTargets: config.webhooksAllowPrivateTargets,
  });
  const clicks = createClickService({ db, now });
  const clickChanges = createClickChangeNotes({ lagMs: config.reportColumnsLagSeconds * 1000, now });
  // One copy per process (its rollup shard), like the spool: processes sharing DATA_DIR never share a file.
  // Imported only when asked for: DuckDB's native library alone is 12 MiB of an idle server's memory
  // (BENCHMARKS.md, "Sub-id reports from a columnar copy"), and the copy is off by default.
  const reportColumns = config.reportColumns ? await openCopy(config, storage, options, clicks, log) : undefined;
  const detectionSettings = createDetectionSettingsService({ db, events, now });
  const campaignLookup = createCampaignLookupService({ db });
  const flowTargetDeps = {
    db,
    events,
    now,
    campaignsUsing: campaignLookup.campaignsUsing,
  };
  const offers = createOfferService(flowTargetDeps);
  const landers = createLanderService(flowTargetDeps);
  const campaignCosts = createCampaignCostService({
    db,
    checkOwned: (userId, id) => campaignLookup.checkOwned(userId, id),
    now,
  });
  const stats = createStatsService({
    db,
    dialect,
    campaigns: campaignLookup,
    costDays: (userId, from, to, campaignId) => campaignCosts.days(userId, from, to, campaignId),
    now,
  });
  const statsWriter = createStatsWriter(dialect, config.rollupShard);
  const nameMap = (rows: ReadonlyArray<{ id: number; name: string }>) =>
    new Map(rows.map((row) => [Number(row.id), row.name]));
  const reports = createReportService({
    stats,
    campaigns: campaignLookup,
    sourceNames: (userId) => trafficSources.names(userId),
    offerNames: async (userId, ids) => nameMap(await offers.rows(userId, ids)),
    landerNames: async (userId, ids) => nameMap(await landers.rows(userId, ids)),
    groupClicks: (query) => (reportColumns ?? clicks).groupClicks(query),
    ...(reportColumns ? { topGroups: (query, top) => reportColumns.topGroups(query, top) } : {}),
    // The cube holds every click the retention keeps (migration 028 counted those stored then).
    cube: { db, dialect, since: () => now() - config.clickRetentionDays * 86_400_000 },
  });
  const placements = createPlacementReportService({
    sourceExists: (userId, id) => trafficSources.exists(userId, id),
    campaignIdsOfSource: (userId, id) => campaignLookup.campaignIdsOfSource(userId, id),
    costedPlacements: (userId, campaignIds, query) => stats.costedValues(userId, 'placement', campaignIds, query),
  });
  const foldersInThread = () => ({
    statsFolder: createStatsFolder({ db, dialect, log, now, shard: config.rollupShard, ...options.statsFolder }),
    reportCubeFolder: createReportCubeFolder({ db, dialect, log, now, ...options.reportCubeFolder }),
  });
  const sqliteFile = storage.sqliteFile;
  let turns: WriteTurns | undefined;
  let folders: ReturnType<typeof foldersInThread>;
  // The fold thread takes the turns the checkpoint thread takes (a SQLite file always has them).
  if (sqliteFile !== undefined && storage.writeTurns && (options.foldThread ?? options.now === undefined)) {
    turns = storage.writeTurns;
    folders = startFoldThread({
      path: sqliteFile,
      cacheMb: config.sqliteCacheMb,
      shard: config.rollupShard,
      log,
      turns,
      statsFolder: options.statsFolder,
      reportCubeFolder: options.reportCubeFolder,
      inThread: foldersInThread,
    });
  } else folders = foldersInThread();
  const { statsFolder, reportCubeFolder } = folders;
  const webhooks = setUpWebhooks({
    db,
    events,
    log,
    now,
    allowPrivateTargets: config.webhooksAllowPrivateTargets,
    retryBaseMs: config.webhooksRetryBaseSeconds * 1000,
    // A failed look-up reads as "no such campaign", as it did when this asked the campaign service.
    campaignExists: (userId, id) =>
      campaignLookup.checkOwned(userId, id).then(
        () => true,
        () => false,
      ),
    fraudAlertSettings: (userId) => detectionSettings.getFraudAlertSettings(userId),
    options: options.webhooks,
    skipLocked: dialect.supportsSkipLocked,
    fraudRateWindow: shared?.fraudRates,
  });
  // Postbacks to traffic sources share the webhooks' SSRF switch and retry base (WEBHOOKS_* settings).
  const { runWorker: runPostbackWorker, ...postbackTuning } = options.postbacks ?? {};
  const postbacks = createPostbackService({
    db,
    log,
    now,
    skipLocked: dialect.supportsSkipLocked,
    runWorker: runPostbackWorker,
    options: {
      ...DEFAULT_POSTBACK_WORKER_OPTIONS,
      allowPrivateTargets: config.webhooksAllowPrivateTargets,
      ...postbackTuning,
      retry: {
        ...DEFAULT_POSTBACK_WORKER_OPTIONS.retry,
        baseDelayMs: config.webhooksRetryBaseSeconds * 1000,
        ...postbackTuning.retry,
      },
    },
    target: async (userId, sourceId) => {
      const settings = await trafficSources.postbackSettings(userId, sourceId);
      return settings
        ? {
            sourceId,
            userId,
            template: settings.url,
            statuses: settings.statuses,
            sendFraudulent: settings.sendFraudulent,
          }
        : settings;
    },
  });
  // Ad-platform connectors (SPEC section 12): built before conversions, whose writes queue their jobs.
  const { runWorker: runConnectionWorker, ...connectionTuning } = options.connections ?? {};
  const connectionTimeoutMs = connectionTuning.timeoutMs ?? config.connectionsTimeoutSeconds * 1000;
  const conversionLookup = createConversionLookupService({ db });
  const fraudClicks = createFraudulentClickService({ db });
  const connections = createConnectionService({
    db,
    log,
    now,
    cipher: createCredentialsCipher(config.connectionsKey),
    google: createGoogleAdsClient({
      apiUrl: config.googleAdsApiUrl,
      tokenUrl: config.googleOauthTokenUrl,
      timeoutMs: connectionTimeoutMs,
      now,
    }),
    meta: createMetaClient({
      graphUrl: config.metaGraphApiUrl,
      version: config.metaGraphApiVersion,
      timeoutMs: connectionTimeoutMs,
    }),
    sources: {
      conversion: (id) => conversionLookup.byId(id),
      click: (id) => clicks.forPlatform(id),
      campaignLink: (campaignId) => campaignLookup.googleAdsLink(campaignId),
      exclusions: async (userId, campaignId, from, to) => {
        const terms = (await campaignLookup.costTerms(userId)).get(campaignId);
        return campaignIpExclusions(
          fraudClicks,
          { userId, campaignId, from, toExclusive: to },
          terms ? costPerClick(terms.model, terms.value) : 0,
        );
      },
    },
    ownedCampaignLink: (userId, campaignId) => campaignLookup.ownedGoogleAdsLink(userId, campaignId),
    linkedCampaignIds: (userId) => campaignLookup.linkedToGoogleAds(userId),
    exclusionDays: config.connectionsExclusionDays,
    syncMinutes: config.connectionsSyncMinutes,
    skipLocked: dialect.supportsSkipLocked,
    runWorker: runConnectionWorker,
    // Retries start at WEBHOOKS_RETRY_BASE_SECONDS, like postbacks'.
    options: {
      ...connectionTuning,
      timeoutMs: connectionTimeoutMs,
      retry: {
        ...DEFAULT_RETRY_POLICY,
        baseDelayMs: config.webhooksRetryBaseSeconds * 1000,
        ...connectionTuning.retry,
      },
    },
  });
  const conversions = createConversionService({
    db,
    findClickOwner: (clickId) => clicks.findOwner(clickId),
    checkPostbackToken: (userId, token, ip) => accounts.checkPostbackToken(userId, token, ip),
    conversionTerms: (campaignId) => campaignLookup.conversionTerms(campaignId),
    postbackLimiter: limiter,
    postbackLimits: options.postbackLimits,
    conversionChanged: async (trx, click, before, after) => {
      await statsWriter.conversionChanged(trx, click, before, after);
      await clickChanges.changed(trx, [click]);
    },
    supportsRowLocks: dialect.supportsRowLocks,
    enqueueWebhookEvent: (trx, event) => webhooks.service.enqueue(trx, event),
    prepareWrite: async (click, terms) =>
      joinWriteHooks(await Promise.all([postbacks.prepare(click, terms.trafficSourceId), connections.prepare(click)])),
    offerPayout: (userId, offerId) => offers.payout(userId, offerId),
    now,
  });
  const countToday = async (userId: number, campaignIds: number[]): Promise<Map<number, TodayCounts>> => {
    const [clickCounts, conversionCounts] = await Promise.all([
      stats.clicksToday(userId, campaignIds),
      conversions.countToday(campaignIds),
    ]);
    return new Map(
      campaignIds.map((id) => [id, { clicks: clickCounts.get(id) ?? 0, conversions: conversionCounts.get(id) ?? 0 }]),
    );
  };
  const campaigns = createCampaignService({
    db,
    events,
    publicUrl: config.publicUrl,
    trafficSourceExists: (userId, id) => trafficSources.exists(userId, id),
    sourceTrackingQueries: (userId, ids) => trafficSources.trackingQueries(userId, ids),
    countToday,
    ownedFlowTargets: async (userId, offerIds, landerIds) => {
      const [ownOffers, ownLanders] = await Promise.all([
        offers.rows(userId, offerIds),
        landers.rows(userId, landerIds),
      ]);
      return { offerIds: new Set(ownOffers.map((row) => row.id)), landerIds: new Set(ownLanders.map((row) => row.id)) };
    },
    now,
  });
  const fraudReports = createFraudReportService({
    db,
    clicks: fraudClicks,
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
    log,
    now,
    skipLocked: dialect.supportsSkipLocked,
    ...options.fraudReports,
  });
  const retention = createRetentionJob({
    db,
    dialect,
    log,
    now,
    retentionDays: config.clickRetentionDays,
    anonymizeAfterDays: config.ipAnonymizeDays,
    pruneCube: (cutoff, limit) => reports.pruneCube(cutoff, limit),
    ...options.retention,
  });

  // Room for the addresses of a busy hour: repeat visitors and retrying bots then cost one Map hit.
  const intel = options.intel ?? (await openIpIntel({ dataDir: config.dataDir, cacheSize: { ip: 131_072 } }));
  // Tor, VPN and crawler lists from `cloakradar intel update`, picked up again when an update lands.
  const ipLists = openIpReputation({
    dataDir: config.dataDir,
    watchIntervalMs: config.intelReloadSeconds * 1000,
    onReload: (event) =>
      event.type === 'loaded'
        ? log.info(
            { generation: event.generation, lists: event.lists.map((list) => `${list.id}:${list.entries}`) },
            'IP lists loaded',
          )
        : log.warn({ error: event.error }, 'IP lists not reloaded; keeping the ones in use'),
  });
  // Crawler claims checked by forward-confirmed reverse DNS after the redirect (CRAWLER_DNS_SERVERS, off: none).
  const reverseDns =
    config.crawlerDnsServers === null
      ? undefined
      : createReverseDnsVerifier({
          servers: config.crawlerDnsServers,
          timeoutMs: config.crawlerDnsTimeoutMs,
          domains: CRAWLER_DNS_DOMAINS,
        });
  const rotation = createRotation({
    pathFigures: (userId, campaignId) => stats.pathFigures(userId, campaignId),
    now,
    onError: (error) =>
      log.warn({ err: error }, 'auto rotation could not read path figures; weights stay as they were'),
  });
  const tracking = await setUpTracking({
    db,
    dialect,
    events,
    intel,
    reputation: (ip) => ipLists.lookup(ip),
    reverseDns,
    campaigns,
    sourceParams: (userId, id) => trafficSources.params(userId, id),
    loadFlow: createFlowLoader({ offers: offers.rows, landers: landers.rows }),
    autoShares: (campaign, rule) => rotation.cumulativeShares(campaign, rule),
    landerClicks: {
      flowOf: (campaignId) => campaignLookup.flowOf(campaignId),
      offerUrl: (userId, offerId) => offers.url(userId, offerId),
      landerClicked: (trx, click) => statsWriter.landerClicked(trx, click),
      clickChanged: (trx, click) => clickChanges.changed(trx, [click]),
    },
    clicks,
    detectionSettings,
    log,
    windowStore: shared?.windows,
    recorderOptions: turns ? { ...options.recorder, turn: turns.during } : options.recorder,
    // One file per process (its rollup shard): workers and nodes sharing DATA_DIR never write each other's.
    spool:
      config.clickSpoolMaxBytes > 0
        ? {
            path: join(config.dataDir, 'spool', `clicks-${config.rollupShard}.jsonl`),
            maxBytes: config.clickSpoolMaxBytes,
          }
        : undefined,
    rowsPerAddressPerSecond: config.clickRowsPerAddressPerSecond,
    windowMemoryMb: config.detectionWindowMemoryMb,
    recorderHooks: {
      clicksRecorded: async (trx, rows, rowless) => {
        // Clicks past the per-address rate are counted with the others, but have no row a webhook could name.
        await statsWriter.clicksRecorded(trx, rowless.length > 0 ? [...rows, ...rowless] : rows);
        await clickChanges.recorded(trx, rows);
        await webhooks.service.enqueueFlaggedClicks(trx, rows);
      },
      clicksAmended: async (trx, amended) => {
        await statsWriter.clicksAmended(trx, amended);
        await clickChanges.changed(
          trx,
          amended.map(({ after }) => after),
        );
        // Fake leads follow their click: a conversion of a click found fraudulent later is suspicious now.
        await conversions.clicksAmended(trx, amended);
        // A click that had no fraud type and got one after the fact is flagged now.
        const flagged = amended.filter(({ before }) => before.primary_fraud_type === null).map(({ after }) => after);
        await webhooks.service.enqueueFlaggedClicks(trx, flagged);
      },
    },
    now,
  });

  const beacons = createBeaconService({
    db,
    limiter,
    amend: (amendment) => tracking.recorder.amend(amendment),
    campaignsRequiringBeacon: () => campaignLookup.campaignIdsRequiringBeacon(),
    limits: options.beaconLimits,
    now,
  });
  let beaconSweep: ReturnType<typeof scheduleBeaconSweep> | null = null;

  return {
    services: {
      config,
      retention,
      accounts,
      apiKeys: createApiKeyService({ db, now, events }),
      members: createMemberService({
        db,
        now,
        events,
        unknownCampaigns: (userId, ids) => campaignLookup.unknownCampaigns(userId, ids),
        publicUrl: config.publicUrl,
      }),
      audit: createAuditService({ db, now }),
      trafficSources,
      placements,
      offers,
      landers,
      campaigns,
      campaignCosts,
      stats,
      reports,
      statsFolder,
      reportCubeFolder,
      reportColumns,
      clicks,
      detectionSettings,
      conversions,
      beacons,
      webhooks: webhooks.service,
      postbacks,
      fraudReports,
      connections,
      events,
    },
    tokens,
    limiter,
    tracking,
    ipLists,
    redisStatus: shared ? () => shared.status() : undefined,
    start() {
      webhooks.start();
      postbacks.start();
      connections.start();
      retention.start();
      statsFolder.start();
      reportCubeFolder.start();
      reportColumns?.start(config.reportColumnsSyncSeconds * 1000);
      beaconSweep = scheduleBeaconSweep(beacons, options.beaconSweepMs ?? 60_000, (error) =>
        log.error({ err: error }, 'the missing-beacon sweep failed; it runs again at its next interval'),
      );
    },
    async close() {
      await retention.close();
      await statsFolder.close();
      await reportCubeFolder.close();
      await reportColumns?.close();
      await beaconSweep?.close();
      // First: a report job cut off here goes back to the queue while the database is still open.
      await fraudReports.close();
      await webhooks.close();
      await postbacks.close();
      await connections.close();
      await tracking.recorder.close();
      ipLists.close();
      reverseDns?.close();
      await shared?.close();
    },
  };
}

/**
 * The columnar copy of the clicks (REPORT_COLUMNS): on a worker thread with a connection of its own where the
 * database can be opened again (a SQLite file, PostgreSQL) and the clock is the real one, else on the event loop.
 * Imported only when asked for: DuckDB's native library alone is 12 MiB of an idle server's memory
 * (BENCHMARKS.md, "Sub-id reports from a columnar copy"), and the copy is off by default.
 */
async function openCopy(
  config: Config,
  storage: Storage,
  options: ServicesOptions,
  clicks: ClickService,
  log: FastifyBaseLogger,
): Promise<ReportColumns> {
  // One copy per process (its rollup shard), like the spool: processes sharing DATA_DIR never share a file.
  const path = join(config.dataDir, `report-columns-${config.rollupShard}.duckdb`);
  const lagMs = config.reportColumnsLagSeconds * 1000;
  const memoryMb = config.reportColumnsMemoryMb;
  const groupClicks = (query: ClickGroupQuery) => clicks.groupClicks(query);
  const database =
    storage.sqliteFile !== undefined && storage.writeTurns
      ? { sqlite: storage.sqliteFile, cacheMb: config.sqliteCacheMb, turns: storage.writeTurns.buffer }
      : storage.postgres
        ? { postgres: storage.postgres.url, options: storage.postgres.options }
        : undefined;
  if (database && (options.copyThread ?? options.now === undefined)) {
    const { startReportColumnsThread } = await import('./modules/report-columns/report-columns-thread.ts');
    return startReportColumnsThread({ database, path, lagMs, memoryMb, groupClicks, log });
  }
  const { openReportColumns } = await import('./modules/report-columns/report-columns.service.ts');
  return openReportColumns({ db: storage.db, path, lagMs, memoryMb, groupClicks, now: options.now, log });
}
