// The only reader of the environment (ARCHITECTURE.md, "One reader of the environment"): every option is
// parsed, validated and frozen here.
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import {
  chmodSync,
  closeSync,
  existsSync,
  fchmodSync,
  mkdirSync,
  openSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { parseIpRange } from './detection/cidr.ts';
import {
  DEFAULT_INTEL_SOURCES,
  IntelSourcesError,
  loadIntelSourcesFile,
  type IntelSource,
} from './intel/lists/sources.ts';
import { DEFAULT_WINDOW_MEMORY_MB } from './storage/counters/memory-window-set.ts';

export interface Config {
  /** TCP port of the HTTP server. */
  readonly port: number;
  /** Interface to bind. */
  readonly host: string;
  /** Base URL that tracking URLs are built from, without a trailing slash. */
  readonly publicUrl: string;
  /** Folder for the SQLite file, the generated JWT secret and intel caches. */
  readonly dataDir: string;
  /** `sqlite:<path>` or `postgres://…`. */
  readonly databaseUrl: string;
  /** Shared counters and invalidation for several nodes; absent on a single node. */
  readonly redisUrl: string | null;
  /** Namespace of every Redis key and channel, so several installations can share one Redis. */
  readonly redisPrefix: string;
  /** Server processes on the shared port (Node cluster); more than 1 needs Redis for the shared counters. */
  readonly workers: number;
  /**
   * Which rollup rows this process writes (its shard): NODE_INDEX × 256 + its worker's index, so no two
   * processes recording clicks at once wait on each other's row locks (modules/stats/click-stats.table.ts).
   */
  readonly rollupShard: number;
  /** HS256 key for API tokens; generated into DATA_DIR when absent so restarts keep sessions. */
  readonly jwtSecret: string;
  /** Proxies whose X-Forwarded-For names the client: false, true, or a list of addresses/CIDRs. */
  readonly trustProxy: boolean | readonly string[];
  /** Whether POST /api/v1/auth/register is open. */
  readonly signup: boolean;
  /** pino level. */
  readonly logLevel: string;
  /** Pretty logs for a person at a terminal, JSON otherwise. */
  readonly prettyLogs: boolean;
  /** Where `cloakradar intel update` downloads the IP lists from: INTEL_SOURCES' file, or the built-in public lists. */
  readonly intelSources: readonly IntelSource[];
  /** How often a running server checks DATA_DIR/intel/manifest.json for lists swapped in by `intel update`; 0 = never. */
  readonly intelReloadSeconds: number;
  /** Whether webhook targets may be loopback, private, link-local or metadata addresses (off: SSRF guard). */
  readonly webhooksAllowPrivateTargets: boolean;
  /** Seconds before a failed webhook delivery's first retry; each retry doubles it (capped at 6 h) for about 24 h. */
  readonly webhooksRetryBaseSeconds: number;
  /** Days raw clicks are kept; a fraud report may not reach further back, since older clicks may be deleted. */
  readonly clickRetentionDays: number;
  /** Days after which a click keeps only its /24 (IPv4) or /48 (IPv6) network and loses its visitor hash; null = never. */
  readonly ipAnonymizeDays: number | null;
  /**
   * Largest size in bytes of the outage spool (DATA_DIR/spool/), where clicks redirected before they were
   * stored wait on disk; 0 = no spool (they wait in memory only, and a crash during an outage loses them).
   */
  readonly clickSpoolMaxBytes: number;
  /**
   * Memory for one process's detection windows at their cap, in MiB (DETECTION_WINDOW_MEMORY_MB): their key,
   * click, member and line limits are sized from it (memory-window-budget.ts). Unused with Redis, which keeps
   * the windows itself.
   */
  readonly detectionWindowMemoryMb: number;
  /**
   * The columnar copy of the clicks (modules/report-columns): reports that neither the rollups nor the cube
   * answer (a sub id beside a country…) read it instead of scanning the clicks. One DuckDB file per process
   * in DATA_DIR, kept on a worker thread (REPORT_COLUMNS, default off: copying every click costs the tracker
   * a few per cent of its top rate on two cores and ~200 MiB of memory, BENCHMARKS.md "Sub-id reports: the copy
   * on its own thread").
   */
  readonly reportColumns: boolean;
  /** How far the copy trails the clock (REPORT_COLUMNS_LAG_SECONDS, default 300): more than any clock skew between nodes. */
  readonly reportColumnsLagSeconds: number;
  /** Seconds between the copy's syncs (REPORT_COLUMNS_SYNC_SECONDS, default 30). */
  readonly reportColumnsSyncSeconds: number;
  /** DuckDB's memory limit for the copy (REPORT_COLUMNS_MEMORY_MB, default 256); it spills to disk past it. */
  readonly reportColumnsMemoryMb: number;
  /** SQLite's page cache per connection, in MiB (SQLITE_CACHE_MB); unused with PostgreSQL. */
  readonly sqliteCacheMb: number;
  /**
   * Clicks per second from one address on one campaign that are stored as rows; past it they are still
   * judged, redirected or refused, and counted in the statistics, but not stored one by one (a flood must
   * not fill the database). 0 = no limit.
   */
  readonly clickRowsPerAddressPerSecond: number;
  /**
   * DNS servers for verifying crawler claims by forward-confirmed reverse DNS (`ip` or `ip:port`); an
   * empty list means the system's resolvers, null turns the check off (CRAWLER_DNS_SERVERS=off).
   */
  readonly crawlerDnsServers: readonly string[] | null;
  /** The whole reverse DNS check of one address must finish within this many milliseconds. */
  readonly crawlerDnsTimeoutMs: number;
  /**
   * The key that seals ad-platform credentials at rest (AES-256-GCM, SPEC section 12): CONNECTIONS_KEY,
   * or generated into DATA_DIR/connections-key (0600) on first start. Every node must share it.
   */
  readonly connectionsKey: string;
  /** Google Ads REST base URL with its version (GOOGLE_ADS_API_URL). */
  readonly googleAdsApiUrl: string;
  /** Google's OAuth 2.0 token endpoint, where refresh tokens become access tokens (GOOGLE_OAUTH_TOKEN_URL). */
  readonly googleOauthTokenUrl: string;
  /** Meta Graph API base URL (META_GRAPH_API_URL) and version (META_GRAPH_API_VERSION). */
  readonly metaGraphApiUrl: string;
  readonly metaGraphApiVersion: string;
  /** Days a fraudulent address stays excluded in Google Ads after its last fraudulent click (CONNECTIONS_EXCLUSION_DAYS). */
  readonly connectionsExclusionDays: number;
  /** Minutes between scheduled exclusion pushes (CONNECTIONS_SYNC_MINUTES); 0 = only on demand. */
  readonly connectionsSyncMinutes: number;
  /** Seconds one call to an ad platform may take (CONNECTIONS_TIMEOUT_SECONDS); a dead node's jobs are taken over after about 6× this. */
  readonly connectionsTimeoutSeconds: number;
}

export class ConfigError extends Error {}

type Env = Readonly<Record<string, string | undefined>>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function parsePort(value: string | undefined): number {
  if (value === undefined || value === '') return 3000;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT must be an integer between 0 and 65535, got "${value}"`);
  }
  return port;
}

function parseBoolean(name: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  if (/^(true|1|yes|on)$/i.test(value)) return true;
  if (/^(false|0|no|off)$/i.test(value)) return false;
  throw new ConfigError(`${name} must be true or false, got "${value}"`);
}

function parseUrl(name: string, value: string, protocols: readonly string[]): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${name} must be a URL, got "${value}"`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(`${name} must use ${protocols.join(' or ')}, got "${url.protocol}"`);
  }
  return value;
}

function parseTrustProxy(value: string | undefined): boolean | readonly string[] {
  if (value === undefined || value === '' || /^false$/i.test(value)) return false;
  if (/^true$/i.test(value)) return true;
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  for (const entry of entries) {
    if (parseIpRange(entry) === null) {
      throw new ConfigError(
        `TRUST_PROXY must be true, false or addresses/CIDRs separated by commas; "${entry}" is not one`,
      );
    }
  }
  return Object.freeze(entries);
}

function parseDatabaseUrl(value: string | undefined, dataDir: string): string {
  if (value === undefined || value === '') return `sqlite:${join(dataDir, 'cloakradar.db')}`;
  if (value.startsWith('sqlite:')) return value;
  if (/^postgres(ql)?:\/\//.test(value)) return parseUrl('DATABASE_URL', value, ['postgres:', 'postgresql:']);
  throw new ConfigError('DATABASE_URL must be postgres://… or sqlite:<path>');
}

/** INTEL_SOURCES: a JSON file with an array of `{ id, kind, company?, url, format, minEntries }` (see intel/lists/sources.ts). */
function parseIntelSources(value: string | undefined): readonly IntelSource[] {
  if (value === undefined || value === '') return DEFAULT_INTEL_SOURCES;
  try {
    return loadIntelSourcesFile(value);
  } catch (error) {
    throw error instanceof IntelSourcesError ? new ConfigError(`INTEL_SOURCES: ${error.message}`) : error;
  }
}

/** INTEL_RELOAD_SECONDS: whole seconds between manifest checks, 0 to turn checking off (default 60). */
function parseIntelReloadSeconds(value: string | undefined): number {
  if (value === undefined || value === '') return 60;
  if (!/^\d+$/.test(value) || Number(value) > 86_400) {
    throw new ConfigError(`INTEL_RELOAD_SECONDS must be a whole number of seconds from 0 to 86400, got "${value}"`);
  }
  return Number(value);
}

/** WEBHOOKS_RETRY_BASE_SECONDS: whole seconds from 1 to 3600 (default 30). */
function parseRetryBaseSeconds(value: string | undefined): number {
  if (value === undefined || value === '') return 30;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 3600) {
    throw new ConfigError(
      `WEBHOOKS_RETRY_BASE_SECONDS must be a whole number of seconds from 1 to 3600, got "${value}"`,
    );
  }
  return Number(value);
}

/** CLICK_RETENTION_DAYS: whole days of raw clicks kept, 1 to 3650 (default 90). */
function parseClickRetentionDays(value: string | undefined): number {
  if (value === undefined || value === '') return 90;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 3650) {
    throw new ConfigError(`CLICK_RETENTION_DAYS must be a whole number of days from 1 to 3650, got "${value}"`);
  }
  return Number(value);
}

/** A whole number from 0 to `max` (default when unset). */
function parseWhole(name: string, value: string | undefined, fallback: number, max: number, unit: string): number {
  if (value === undefined || value === '') return fallback;
  if (!/^\d+$/.test(value) || Number(value) > max)
    throw new ConfigError(`${name} must be a whole number of ${unit} from 0 to ${max}, got "${value}"`);
  return Number(value);
}

/** A whole number from `min` to `max`, `fallback` when unset. */
function parseRange(name: string, value: string | undefined, fallback: number, min: number, max: number, unit: string) {
  if (value === undefined || value === '') return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max)
    throw new ConfigError(`${name} must be a whole number of ${unit} from ${min} to ${max}, got "${value}"`);
  return Number(value);
}

// 473,493 visitors and 118,373 addresses with their clicks (memory-window-budget.ts).
const DEFAULT_DETECTION_WINDOW_MEMORY_MB = DEFAULT_WINDOW_MEMORY_MB;
/** Below this the windows would forget a busy hour's visitors within minutes. */
const MIN_DETECTION_WINDOW_MEMORY_MB = 8;
const MAX_DETECTION_WINDOW_MEMORY_MB = 65_536;

function parseDetectionWindowMemoryMb(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_DETECTION_WINDOW_MEMORY_MB;
  const mb = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(mb >= MIN_DETECTION_WINDOW_MEMORY_MB && mb <= MAX_DETECTION_WINDOW_MEMORY_MB))
    throw new ConfigError(
      `DETECTION_WINDOW_MEMORY_MB must be a whole number of MiB from ${MIN_DETECTION_WINDOW_MEMORY_MB} to ${MAX_DETECTION_WINDOW_MEMORY_MB}, got "${value}"`,
    );
  return mb;
}

// Click ids are time-prefixed, so index inserts land at the end and a small cache holds what writes touch;
// 64 MiB was neither faster for the write path nor for reports (BENCHMARKS.md, "Tracker memory at the window cap").
const DEFAULT_SQLITE_CACHE_MB = 16;

function parseSqliteCacheMb(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_SQLITE_CACHE_MB;
  const mb = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(mb >= 1 && mb <= 65_536))
    throw new ConfigError(`SQLITE_CACHE_MB must be a whole number of MiB from 1 to 65536, got "${value}"`);
  return mb;
}

/** CRAWLER_DNS_SERVERS: `off`, or addresses (`ip`, `ip:port`, `[v6]:port`) separated by commas; unset: the system's. */
function parseCrawlerDnsServers(value: string | undefined): readonly string[] | null {
  if (value === undefined || value.trim() === '') return Object.freeze([]);
  if (/^(off|false|none)$/i.test(value.trim())) return null;
  const servers = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  for (const server of servers) {
    const match = /^\[([^\]]+)\]:(\d+)$/.exec(server) ?? /^([^:]+):(\d+)$/.exec(server);
    const host = match ? match[1]! : server;
    const port = match ? Number(match[2]) : 53;
    if (isIP(host) === 0 || port < 1 || port > 65535)
      throw new ConfigError(
        `CRAWLER_DNS_SERVERS must be off or IP addresses (with an optional :port) separated by commas; "${server}" is not one`,
      );
  }
  return Object.freeze(servers);
}

/** CRAWLER_DNS_TIMEOUT_MS: whole milliseconds from 50 to 30000 (default 2000). */
function parseCrawlerDnsTimeout(value: string | undefined): number {
  if (value === undefined || value === '') return 2000;
  if (!/^\d+$/.test(value) || Number(value) < 50 || Number(value) > 30_000)
    throw new ConfigError(
      `CRAWLER_DNS_TIMEOUT_MS must be a whole number of milliseconds from 50 to 30000, got "${value}"`,
    );
  return Number(value);
}

/** REDIS_PREFIX: letters, digits and `:_.-` (default `cloakradar:`). */
function parseRedisPrefix(value: string | undefined): string {
  if (value === undefined || value === '') return 'cloakradar:';
  if (!/^[\w:.-]{1,64}$/.test(value))
    throw new ConfigError(`REDIS_PREFIX must be 1 to 64 letters, digits or ":_.-", got "${value}"`);
  return value;
}

/**
 * WORKERS: a whole number from 1 to 256, or `auto`. Default (and `auto`): every core on PostgreSQL with
 * Redis; 1 otherwise (SQLite has one writer, and without Redis each worker would keep its own counters).
 */
function parseWorkers(value: string | undefined, databaseUrl: string, redisUrl: string | null): number {
  const auto = databaseUrl.startsWith('sqlite:') || redisUrl === null ? 1 : availableParallelism();
  if (value === undefined || value === '' || value === 'auto') return auto;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 256) {
    throw new ConfigError(`WORKERS must be a whole number from 1 to 256 or "auto", got "${value}"`);
  }
  const workers = Number(value);
  if (workers > 1 && redisUrl === null) {
    throw new ConfigError(
      'WORKERS above 1 needs REDIS_URL: without it each worker would keep its own rate limits and detection windows',
    );
  }
  return workers;
}

/** IP_ANONYMIZE_DAYS: whole days, 1 to 3650 and below CLICK_RETENTION_DAYS, or off (the default). */
function parseIpAnonymizeDays(value: string | undefined, retentionDays: number): number | null {
  if (value === undefined || value === '' || /^(off|false|0)$/i.test(value)) return null;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 3650) {
    throw new ConfigError(`IP_ANONYMIZE_DAYS must be a whole number of days from 1 to 3650, or off, got "${value}"`);
  }
  if (Number(value) >= retentionDays) {
    throw new ConfigError(
      `IP_ANONYMIZE_DAYS (${value}) must be less than CLICK_RETENTION_DAYS (${retentionDays}): clicks are deleted before that`,
    );
  }
  return Number(value);
}

/** Reads a secret kept in the data folder (the JWT secret, the connections key), creating it on first start. */
function loadOrCreateSecret(dataDir: string, file: string): string {
  const path = join(dataDir, file);
  if (existsSync(path)) {
    // An older install may have left it readable to others: it signs sessions or seals credentials, so owner-only.
    chmodSync(path, 0o600);
    return readFileSync(path, 'utf8').trim();
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(48).toString('base64url');
  // Created empty and owner-only (the mode applies at creation, before the secret is in it), then filled;
  // chmod too, since `mode` is filtered through the umask.
  const fd = openSync(path, 'wx', 0o600);
  try {
    fchmodSync(fd, 0o600);
    writeFileSync(fd, secret);
  } finally {
    closeSync(fd);
  }
  return secret;
}

/** A whole number from 0 to `max`, 0 when unset. */
function parseIndex(name: string, value: string | undefined, max: number): number {
  if (value === undefined || value === '') return 0;
  if (!/^\d+$/.test(value) || Number(value) > max)
    throw new ConfigError(`${name} must be a whole number from 0 to ${max}, got "${value}"`);
  return Number(value);
}

export function loadConfig(env: Env = process.env): Config {
  const port = parsePort(env.PORT);
  const dataDir = resolve(env.DATA_DIR || './data');
  const jwtSecret = env.JWT_SECRET || loadOrCreateSecret(dataDir, 'jwt-secret');
  const connectionsKey = env.CONNECTIONS_KEY || loadOrCreateSecret(dataDir, 'connections-key');
  if (connectionsKey.length < 32) throw new ConfigError('CONNECTIONS_KEY must be at least 32 characters long');
  if (jwtSecret.length < 32) throw new ConfigError('JWT_SECRET must be at least 32 characters long');
  const logLevel = env.LOG_LEVEL || 'info';
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  const clickRetentionDays = parseClickRetentionDays(env.CLICK_RETENTION_DAYS);
  const publicUrl = parseUrl('PUBLIC_URL', env.PUBLIC_URL || `http://localhost:${port}`, ['http:', 'https:']);
  const databaseUrl = parseDatabaseUrl(env.DATABASE_URL, dataDir);
  const redisUrl = env.REDIS_URL ? parseUrl('REDIS_URL', env.REDIS_URL, ['redis:', 'rediss:']) : null;
  return Object.freeze({
    port,
    host: env.HOST || '0.0.0.0',
    publicUrl: publicUrl.replace(/\/+$/, ''),
    dataDir,
    databaseUrl,
    redisUrl,
    redisPrefix: parseRedisPrefix(env.REDIS_PREFIX),
    // Server processes sharing the port (WORKERS); see parseWorkers for the default.
    workers: parseWorkers(env.WORKERS, databaseUrl, redisUrl),
    // CLOAKRADAR_WORKER_INDEX is set by the primary for each worker it forks (cluster.ts), never by hand.
    rollupShard:
      parseIndex('NODE_INDEX', env.NODE_INDEX, 1023) * 256 +
      parseIndex('CLOAKRADAR_WORKER_INDEX', env.CLOAKRADAR_WORKER_INDEX, 255),
    jwtSecret,
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    signup: parseBoolean('SIGNUP', env.SIGNUP, true),
    logLevel,
    prettyLogs: env.NODE_ENV !== 'production' && Boolean(process.stdout.isTTY),
    // The IP lists of `cloakradar intel update`; INTEL_SOURCES (a JSON file) replaces the built-in sources.
    intelSources: parseIntelSources(env.INTEL_SOURCES),
    // Seconds between a running server's checks for a new list manifest (INTEL_RELOAD_SECONDS, 0 = off).
    intelReloadSeconds: parseIntelReloadSeconds(env.INTEL_RELOAD_SECONDS),
    // Off by default: a webhook URL must not become a way to reach the server's own network (SSRF).
    webhooksAllowPrivateTargets: parseBoolean(
      'WEBHOOKS_ALLOW_PRIVATE_TARGETS',
      env.WEBHOOKS_ALLOW_PRIVATE_TARGETS,
      false,
    ),
    // First retry delay of a failed webhook delivery (WEBHOOKS_RETRY_BASE_SECONDS).
    webhooksRetryBaseSeconds: parseRetryBaseSeconds(env.WEBHOOKS_RETRY_BASE_SECONDS),
    // How far back raw clicks, and so fraud reports, reach (CLICK_RETENTION_DAYS).
    clickRetentionDays,
    // Older clicks keep only their network address (IP_ANONYMIZE_DAYS, off by default); country and ASN stay.
    ipAnonymizeDays: parseIpAnonymizeDays(env.IP_ANONYMIZE_DAYS, clickRetentionDays),
    // The outage spool's bound (CLICK_SPOOL_MAX_MB, default 1024; 0 = no spool).
    clickSpoolMaxBytes: parseWhole('CLICK_SPOOL_MAX_MB', env.CLICK_SPOOL_MAX_MB, 1024, 1_048_576, 'MB') * 1_048_576,
    // The detection windows' memory at their cap (DETECTION_WINDOW_MEMORY_MB, default 128).
    detectionWindowMemoryMb: parseDetectionWindowMemoryMb(env.DETECTION_WINDOW_MEMORY_MB),
    reportColumns: parseBoolean('REPORT_COLUMNS', env.REPORT_COLUMNS, false),
    reportColumnsLagSeconds: parseRange(
      'REPORT_COLUMNS_LAG_SECONDS',
      env.REPORT_COLUMNS_LAG_SECONDS,
      300,
      1,
      3_600,
      'seconds',
    ),
    reportColumnsSyncSeconds: parseRange(
      'REPORT_COLUMNS_SYNC_SECONDS',
      env.REPORT_COLUMNS_SYNC_SECONDS,
      30,
      1,
      3_600,
      'seconds',
    ),
    reportColumnsMemoryMb: parseRange('REPORT_COLUMNS_MEMORY_MB', env.REPORT_COLUMNS_MEMORY_MB, 256, 64, 65_536, 'MiB'),
    // SQLite's page cache (SQLITE_CACHE_MB, default 16); the OS's file cache holds the rest of the file.
    sqliteCacheMb: parseSqliteCacheMb(env.SQLITE_CACHE_MB),
    // A flood from one address stores this many rows a second per campaign (CLICK_ROWS_PER_ADDRESS_PER_SECOND, default 20).
    clickRowsPerAddressPerSecond: parseWhole(
      'CLICK_ROWS_PER_ADDRESS_PER_SECOND',
      env.CLICK_ROWS_PER_ADDRESS_PER_SECOND,
      20,
      100_000,
      'clicks',
    ),
    // Reverse DNS of crawler claims (CRAWLER_DNS_SERVERS: unset = the system's resolvers, off = no check).
    crawlerDnsServers: parseCrawlerDnsServers(env.CRAWLER_DNS_SERVERS),
    // Never delays a redirect: the check runs after it, and a late answer amends the click.
    crawlerDnsTimeoutMs: parseCrawlerDnsTimeout(env.CRAWLER_DNS_TIMEOUT_MS),
    connectionsKey,
    // The platforms' real endpoints unless pointed elsewhere (tests, corporate proxies).
    googleAdsApiUrl: trimSlash(
      parseUrl('GOOGLE_ADS_API_URL', env.GOOGLE_ADS_API_URL || 'https://googleads.googleapis.com/v26', HTTP),
    ),
    googleOauthTokenUrl: parseUrl(
      'GOOGLE_OAUTH_TOKEN_URL',
      env.GOOGLE_OAUTH_TOKEN_URL || 'https://oauth2.googleapis.com/token',
      HTTP,
    ),
    metaGraphApiUrl: trimSlash(
      parseUrl('META_GRAPH_API_URL', env.META_GRAPH_API_URL || 'https://graph.facebook.com', HTTP),
    ),
    metaGraphApiVersion: parseGraphVersion(env.META_GRAPH_API_VERSION),
    connectionsExclusionDays:
      parseWhole('CONNECTIONS_EXCLUSION_DAYS', env.CONNECTIONS_EXCLUSION_DAYS, 30, 365, 'days') || 30,
    connectionsSyncMinutes: parseWhole('CONNECTIONS_SYNC_MINUTES', env.CONNECTIONS_SYNC_MINUTES, 60, 10_080, 'minutes'),
    connectionsTimeoutSeconds:
      parseWhole('CONNECTIONS_TIMEOUT_SECONDS', env.CONNECTIONS_TIMEOUT_SECONDS, 15, 120, 'seconds') || 15,
  });
}

const HTTP = ['http:', 'https:'] as const;
const trimSlash = (url: string) => url.replace(/\/+$/, '');

/** META_GRAPH_API_VERSION: `v` and a version number such as v24.0 (default). */
function parseGraphVersion(value: string | undefined): string {
  if (value === undefined || value === '') return 'v24.0';
  if (!/^v\d{1,3}\.\d{1,2}$/.test(value))
    throw new ConfigError(`META_GRAPH_API_VERSION must look like v24.0, got "${value}"`);
  return value;
}
