import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config.ts';

const dataDir = () => mkdtempSync(join(tmpdir(), 'cloakradar-config-'));

test('defaults: SQLite in the data folder, a generated and kept JWT secret', () => {
  const dir = dataDir();
  const config = loadConfig({ DATA_DIR: dir });
  assert.equal(config.port, 3000);
  assert.equal(config.host, '0.0.0.0');
  assert.equal(config.publicUrl, 'http://localhost:3000');
  assert.equal(config.databaseUrl, `sqlite:${join(dir, 'cloakradar.db')}`);
  assert.equal(config.trustProxy, false);
  assert.equal(config.signup, true);
  assert.equal(config.redisUrl, null);
  assert.equal(config.workers, 1);
  assert.equal(config.redisPrefix, 'cloakradar:');
  assert.equal(readFileSync(join(dir, 'jwt-secret'), 'utf8'), config.jwtSecret);
  assert.equal(loadConfig({ DATA_DIR: dir }).jwtSecret, config.jwtSecret, 'a restart keeps the secret');
  assert.ok(Object.isFrozen(config));
});

test('values from the environment', () => {
  const config = loadConfig({
    DATA_DIR: dataDir(),
    PORT: '8080',
    PUBLIC_URL: 'https://track.example.com/',
    DATABASE_URL: 'postgres://u@db:5432/cr',
    REDIS_URL: 'redis://cache:6379',
    TRUST_PROXY: '10.0.0.1, 192.168.0.0/16,::1',
    SIGNUP: 'false',
  });
  assert.equal(config.port, 8080);
  assert.equal(config.publicUrl, 'https://track.example.com');
  assert.equal(config.databaseUrl, 'postgres://u@db:5432/cr');
  assert.deepEqual(config.trustProxy, ['10.0.0.1', '192.168.0.0/16', '::1']);
  assert.equal(config.signup, false);
  assert.equal(loadConfig({ DATA_DIR: dataDir(), TRUST_PROXY: 'true' }).trustProxy, true);
});

test('WORKERS: every core on PostgreSQL with Redis, 1 on SQLite or without Redis', () => {
  const pg = { DATA_DIR: dataDir(), DATABASE_URL: 'postgres://u@db:5432/cr' };
  assert.equal(loadConfig({ ...pg, REDIS_URL: 'redis://cache:6379' }).workers, availableParallelism());
  assert.equal(loadConfig(pg).workers, 1);
  assert.equal(loadConfig({ DATA_DIR: dataDir(), REDIS_URL: 'redis://cache:6379' }).workers, 1);
  assert.equal(loadConfig({ DATA_DIR: dataDir(), REDIS_URL: 'redis://cache:6379', WORKERS: '3' }).workers, 3);
});

test("rollup shard: NODE_INDEX × 256 + the worker's index, 0 for a single process", () => {
  assert.equal(loadConfig({ DATA_DIR: dataDir() }).rollupShard, 0);
  assert.equal(loadConfig({ DATA_DIR: dataDir(), CLOAKRADAR_WORKER_INDEX: '1' }).rollupShard, 1);
  assert.equal(loadConfig({ DATA_DIR: dataDir(), NODE_INDEX: '2', CLOAKRADAR_WORKER_INDEX: '3' }).rollupShard, 515);
});

test('a bad value is one clear message naming the variable', () => {
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ PORT: 'eighty' }, /PORT/],
    [{ PORT: '70000' }, /PORT/],
    [{ PUBLIC_URL: 'not a url' }, /PUBLIC_URL/],
    [{ PUBLIC_URL: 'ftp://x' }, /PUBLIC_URL/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL/],
    [{ REDIS_URL: 'http://x' }, /REDIS_URL/],
    [{ WORKERS: '2' }, /WORKERS above 1 needs REDIS_URL/],
    [{ WORKERS: '0' }, /WORKERS/],
    [{ NODE_INDEX: '-1' }, /NODE_INDEX/],
    [{ NODE_INDEX: '1024' }, /NODE_INDEX/],
    [{ REDIS_PREFIX: 'a b' }, /REDIS_PREFIX/],
    [{ TRUST_PROXY: '10.0.0.300' }, /TRUST_PROXY/],
    [{ SIGNUP: 'maybe' }, /SIGNUP/],
    [{ JWT_SECRET: 'short' }, /JWT_SECRET/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [
      { DETECTION_WINDOW_MEMORY_MB: 'lots' },
      /DETECTION_WINDOW_MEMORY_MB must be a whole number of MiB from 8 to 65536, got "lots"/,
    ],
    [{ DETECTION_WINDOW_MEMORY_MB: '4' }, /DETECTION_WINDOW_MEMORY_MB/],
    [{ DETECTION_WINDOW_MEMORY_MB: '1.5' }, /DETECTION_WINDOW_MEMORY_MB/],
    [{ DETECTION_WINDOW_MEMORY_MB: '70000' }, /DETECTION_WINDOW_MEMORY_MB/],
  ];
  for (const [env, message] of cases) {
    assert.throws(
      () => loadConfig({ DATA_DIR: dataDir(), ...env }),
      (error: unknown) => error instanceof ConfigError && message.test(error.message),
      JSON.stringify(env),
    );
  }
});

test('DETECTION_WINDOW_MEMORY_MB: 128 by default, whole MiB from 8', () => {
  assert.equal(loadConfig({ DATA_DIR: dataDir() }).detectionWindowMemoryMb, 128);
  assert.equal(loadConfig({ DATA_DIR: dataDir(), DETECTION_WINDOW_MEMORY_MB: '8' }).detectionWindowMemoryMb, 8);
  assert.equal(loadConfig({ DATA_DIR: dataDir(), DETECTION_WINDOW_MEMORY_MB: '512' }).detectionWindowMemoryMb, 512);
});

test('SQLITE_CACHE_MB: 16 by default, whole MiB from 1 to 65536, else a clear error', () => {
  assert.equal(loadConfig({ DATA_DIR: dataDir() }).sqliteCacheMb, 16);
  assert.equal(loadConfig({ DATA_DIR: dataDir(), SQLITE_CACHE_MB: '' }).sqliteCacheMb, 16);
  assert.equal(loadConfig({ DATA_DIR: dataDir(), SQLITE_CACHE_MB: '1' }).sqliteCacheMb, 1);
  assert.equal(loadConfig({ DATA_DIR: dataDir(), SQLITE_CACHE_MB: '64' }).sqliteCacheMb, 64);
  for (const value of ['0', '1.5', '-4', 'lots', '70000']) {
    assert.throws(
      () => loadConfig({ DATA_DIR: dataDir(), SQLITE_CACHE_MB: value }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.message === `SQLITE_CACHE_MB must be a whole number of MiB from 1 to 65536, got "${value}"`,
      value,
    );
  }
});

test('REPORT_COLUMNS: off by default, with its lag, sync interval and memory in range, else a clear error', () => {
  const defaults = loadConfig({ DATA_DIR: dataDir() });
  assert.equal(defaults.reportColumns, false);
  assert.equal(defaults.reportColumnsLagSeconds, 300);
  assert.equal(defaults.reportColumnsSyncSeconds, 30);
  assert.equal(defaults.reportColumnsMemoryMb, 256);
  assert.equal(loadConfig({ DATA_DIR: dataDir(), REPORT_COLUMNS: 'on' }).reportColumns, true);
  assert.equal(loadConfig({ DATA_DIR: dataDir(), REPORT_COLUMNS_LAG_SECONDS: '1' }).reportColumnsLagSeconds, 1);
  assert.equal(loadConfig({ DATA_DIR: dataDir(), REPORT_COLUMNS_MEMORY_MB: '64' }).reportColumnsMemoryMb, 64);
  for (const [name, value, message] of [
    ['REPORT_COLUMNS', 'maybe', 'REPORT_COLUMNS must be true or false, got "maybe"'],
    [
      'REPORT_COLUMNS_LAG_SECONDS',
      '0',
      'REPORT_COLUMNS_LAG_SECONDS must be a whole number of seconds from 1 to 3600, got "0"',
    ],
    [
      'REPORT_COLUMNS_LAG_SECONDS',
      '3601',
      'REPORT_COLUMNS_LAG_SECONDS must be a whole number of seconds from 1 to 3600, got "3601"',
    ],
    [
      'REPORT_COLUMNS_SYNC_SECONDS',
      '1.5',
      'REPORT_COLUMNS_SYNC_SECONDS must be a whole number of seconds from 1 to 3600, got "1.5"',
    ],
    [
      'REPORT_COLUMNS_MEMORY_MB',
      '32',
      'REPORT_COLUMNS_MEMORY_MB must be a whole number of MiB from 64 to 65536, got "32"',
    ],
  ] as const) {
    assert.throws(
      () => loadConfig({ DATA_DIR: dataDir(), [name]: value }),
      (error: unknown) => error instanceof ConfigError && error.message === message,
      `${name}=${value}`,
    );
  }
});

test('CLICK_RETENTION_DAYS: 90 by default, whole days from 1 to 3650', () => {
  assert.equal(loadConfig({ DATA_DIR: dataDir() }).clickRetentionDays, 90);
  assert.equal(loadConfig({ DATA_DIR: dataDir(), CLICK_RETENTION_DAYS: '30' }).clickRetentionDays, 30);
  for (const bad of ['0', '-1', '1.5', 'ninety', '3651']) {
    assert.throws(
      () => loadConfig({ DATA_DIR: dataDir(), CLICK_RETENTION_DAYS: bad }),
      (error: unknown) => error instanceof ConfigError && /CLICK_RETENTION_DAYS/.test(error.message),
    );
  }
});

test('IP_ANONYMIZE_DAYS: off by default, whole days below CLICK_RETENTION_DAYS', () => {
  assert.equal(loadConfig({ DATA_DIR: dataDir() }).ipAnonymizeDays, null);
  assert.equal(loadConfig({ DATA_DIR: dataDir(), IP_ANONYMIZE_DAYS: 'off' }).ipAnonymizeDays, null);
  assert.equal(loadConfig({ DATA_DIR: dataDir(), IP_ANONYMIZE_DAYS: '0' }).ipAnonymizeDays, null);
  assert.equal(loadConfig({ DATA_DIR: dataDir(), IP_ANONYMIZE_DAYS: '30' }).ipAnonymizeDays, 30);
  assert.equal(
    loadConfig({ DATA_DIR: dataDir(), IP_ANONYMIZE_DAYS: '7', CLICK_RETENTION_DAYS: '8' }).ipAnonymizeDays,
    7,
  );
  for (const [value, retention] of [
    ['-1', '90'],
    ['1.5', '90'],
    ['soon', '90'],
    ['90', '90'],
    ['31', '30'],
  ]) {
    assert.throws(
      () => loadConfig({ DATA_DIR: dataDir(), IP_ANONYMIZE_DAYS: value, CLICK_RETENTION_DAYS: retention }),
      (error: unknown) => error instanceof ConfigError && /IP_ANONYMIZE_DAYS/.test(error.message),
      value,
    );
  }
});

test('CRAWLER_DNS_SERVERS: the system resolvers by default, off, or addresses with optional ports', () => {
  const env = { DATA_DIR: mkdtempSync(join(tmpdir(), 'cloakradar-config-')), JWT_SECRET: 'x'.repeat(32) };
  assert.deepEqual(loadConfig(env).crawlerDnsServers, []);
  assert.equal(loadConfig(env).crawlerDnsTimeoutMs, 2000);
  assert.equal(loadConfig({ ...env, CRAWLER_DNS_SERVERS: 'off' }).crawlerDnsServers, null);
  assert.deepEqual(
    loadConfig({ ...env, CRAWLER_DNS_SERVERS: '1.1.1.1, 127.0.0.1:5353,[::1]:53,2001:4860:4860::8888' })
      .crawlerDnsServers,
    ['1.1.1.1', '127.0.0.1:5353', '[::1]:53', '2001:4860:4860::8888'],
  );
  assert.equal(loadConfig({ ...env, CRAWLER_DNS_TIMEOUT_MS: '500' }).crawlerDnsTimeoutMs, 500);
  for (const [name, value] of [
    ['CRAWLER_DNS_SERVERS', 'dns.google'],
    ['CRAWLER_DNS_SERVERS', '127.0.0.1:0'],
    ['CRAWLER_DNS_SERVERS', '127.0.0.1:99999'],
    ['CRAWLER_DNS_TIMEOUT_MS', '10'],
    ['CRAWLER_DNS_TIMEOUT_MS', '2s'],
  ] as const)
    assert.throws(
      () => loadConfig({ ...env, [name]: value }),
      (error: unknown) => error instanceof ConfigError && error.message.startsWith(name),
    );
});
