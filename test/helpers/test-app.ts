import { after, before, describe, test } from 'node:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp, type AppOptions } from '../../src/app.ts';
import { openIpIntel, type IpIntel } from '../../src/intel/ip-intel.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { DIALECTS, POSTGRES_SKIP_REASON, openTestStorage, type TestDialect, type TestStorage } from './dialects.ts';

/** The account a campaign belongs to (its user id), as stored. */
export async function campaignOwnerId(t: Pick<TestApp, 'storage'>, campaignId: number): Promise<number> {
  const row = await t.storage.db
    .selectFrom('campaigns')
    .select('user_id')
    .where('id', '=', campaignId)
    .executeTakeFirstOrThrow();
  return Number(row.user_id);
}

export interface TestApp {
  readonly app: FastifyInstance;
  readonly config: Config;
  readonly storage: TestStorage;
  request(options: InjectOptions & { token?: string }): Promise<LightMyRequestResponse>;
  /** A fresh account and its write token. */
  signUp(email?: string): Promise<{ token: string; email: string; password: string }>;
}

let counter = 0;
let sharedIntel: Promise<IpIntel> | undefined;

/** The geo and ASN data are read-only and large: one copy per test process serves every app. */
export function testIntel(): Promise<IpIntel> {
  sharedIntel ??= openIpIntel({ dataDir: join(tmpdir(), 'cloakradar-test-intel') });
  return sharedIntel;
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    DATA_DIR: mkdtempSync(join(tmpdir(), 'cloakradar-data-')),
    JWT_SECRET: 'test-secret-test-secret-test-secret-0123',
    PUBLIC_URL: 'http://track.test',
    LOG_LEVEL: 'silent',
    // No test looks up the outside world: a suite that checks crawlers' reverse DNS runs its own server.
    CRAWLER_DNS_SERVERS: 'off',
    // Suites write clicks of 2024 straight into the tables, behind a copy's back: the suites of the copy turn it on.
    REPORT_COLUMNS: 'off',
    ...overrides,
  });
}

/** What a suite may add to buildApp's options (fast webhook retries, small report chunks). */
export type ExtraAppOptions = Pick<
  AppOptions,
  | 'webhooks'
  | 'postbacks'
  | 'now'
  | 'fraudReports'
  | 'retention'
  | 'postbackLimits'
  | 'beaconLimits'
  | 'beaconSweepMs'
  | 'connections'
  | 'reportCubeFolder'
  | 'statsFolder'
  | 'recorder'
>;

export async function createTestApp(
  dialect: TestDialect,
  env: Record<string, string> = {},
  extra: ExtraAppOptions = {},
): Promise<TestApp> {
  const config = testConfig(env);
  const storage = openTestStorage(dialect);
  // No retention schedule unless a suite asks: suites write clicks from 2024 and read them back.
  const app = await buildApp({
    config,
    storage,
    logger: false,
    intel: await testIntel(),
    retention: { intervalMs: 0 },
    ...extra,
  });
  await app.ready();
  const request: TestApp['request'] = ({ token, headers, ...options }) =>
    app.inject({ ...options, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });
  return {
    app,
    config,
    storage,
    request,
    async signUp(email = `user${++counter}-${Date.now()}@example.com`) {
      const password = 'correct horse battery';
      const response = await request({ method: 'POST', url: '/api/v1/auth/register', payload: { email, password } });
      if (response.statusCode !== 201) throw new Error(`sign-up failed: ${response.body}`);
      return { token: response.json<{ token: string }>().token, email, password };
    },
  };
}

/** Runs `suite` once per dialect with a fresh app, and says plainly when PostgreSQL is skipped. */
export function forEachDialect(
  name: string,
  suite: (context: () => TestApp) => void,
  env: Record<string, string> = {},
  extra: ExtraAppOptions = {},
): void {
  for (const dialect of DIALECTS) {
    describeDialect(`${name} [${dialect.name}]`, dialect, suite, env, extra);
  }
  if (POSTGRES_SKIP_REASON) void test(`${name} [postgres]`, { skip: POSTGRES_SKIP_REASON }, () => undefined);
}

function describeDialect(
  title: string,
  dialect: TestDialect,
  suite: (context: () => TestApp) => void,
  env: Record<string, string>,
  extra: ExtraAppOptions,
) {
  void describe(title, () => {
    let current: TestApp | undefined;
    before(async () => {
      current = await createTestApp(dialect, env, extra);
    });
    after(async () => {
      await current?.app.close();
      await current?.storage.dispose();
    });
    suite(() => {
      if (!current) throw new Error('test app not ready');
      return current;
    });
  });
}
