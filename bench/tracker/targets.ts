// The servers under test: the bare ceiling, and CloakRadar on SQLite or on a throwaway PostgreSQL database.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import pg from 'pg';
import { freePort, onCleanup, startNode, stopChild, tailOf, type StartedChild } from './processes.ts';

export type TargetName = 'ceiling' | 'sqlite' | 'postgres';
export const TARGET_NAMES: readonly TargetName[] = ['ceiling', 'sqlite', 'postgres'];

export interface RunningTarget {
  readonly name: TargetName;
  readonly host: string;
  readonly port: number;
  readonly pid: number;
  readonly logPath: string;
  readonly campaignUuid: string;
  /** The click URL's query up to its last parameter's value (createTraffic appends a click id), per CampaignKind. */
  readonly clickQuery?: string;
  /** API token of the benchmark account; absent on the ceiling. */
  readonly token?: string;
  /** Raises the benchmark account's plan (through `cloakradar users set-plan`, as an operator would). */
  setPlan?(plan: 'starter' | 'professional' | 'enterprise'): void;
  readonly startupMs: number;
  /** Clicks stored, straight from the database (cross-checks the API's count). */
  countClicksInDatabase(): Promise<number | undefined>;
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const JWT_SECRET = 'bench-tracker-0123456789abcdefghijklmnop'; // 40 characters: the config wants 32 or more

/** Waits until `url` answers `status` (redirects are not followed); fails with the child's log otherwise. */
export async function waitForStatus(
  url: string,
  status: number,
  started: StartedChild,
  timeoutMs: number,
): Promise<number> {
  const begin = performance.now();
  while (performance.now() - begin < timeoutMs) {
    if (started.child.exitCode !== null || started.child.signalCode !== null) {
      throw new Error(
        `the server exited (${started.child.exitCode ?? started.child.signalCode}) before ${url} answered:\n${tailOf(started.logPath)}`,
      );
    }
    try {
      const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      if (response.status === status) return performance.now() - begin;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`${url} did not answer ${status} within ${timeoutMs / 1000} s:\n${tailOf(started.logPath)}`);
}

export async function startCeiling(cwd: string, logDir: string): Promise<RunningTarget> {
  const port = await freePort();
  const started = startNode(
    ['--import', 'tsx', 'bench/tracker/ceiling-server.ts'],
    { PATH: process.env.PATH, PORT: String(port), HOST },
    join(logDir, 'ceiling.log'),
    cwd,
  );
  const startupMs = await waitForStatus(`http://${HOST}:${port}/`, 302, started, 30_000);
  return {
    name: 'ceiling',
    host: HOST,
    port,
    pid: started.pid,
    logPath: started.logPath,
    campaignUuid: 'ceiling0000000000',
    startupMs,
    countClicksInDatabase: async () => undefined,
    stop: () => stopChild(started.child),
  };
}

interface ApiAnswer {
  readonly status: number;
  readonly body: unknown;
}

async function api(
  base: string,
  method: string,
  path: string,
  token: string | undefined,
  body?: unknown,
): Promise<ApiAnswer> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // keep the text
  }
  return { status: response.status, body: parsed };
}

function field(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** `meta.total` of GET /api/v1/clicks, or why there is none. */
export async function countClicksViaApi(target: RunningTarget): Promise<{ total?: number; problem?: string }> {
  const answer = await api(`http://${target.host}:${target.port}`, 'GET', '/api/v1/clicks?per_page=1', target.token);
  const total = field(answer.body, 'meta', 'total');
  if (answer.status === 200 && typeof total === 'number') return { total };
  return { problem: `GET /api/v1/clicks answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 200)}` };
}

export interface PostgresDatabase {
  readonly url: string;
  readonly name: string;
  readonly version: string;
  drop(): Promise<void>;
}

/** A fresh `bench_<random>` database next to the one `adminUrl` names, dropped by `drop()` or at exit. */
export async function createPostgresDatabase(adminUrl: string): Promise<PostgresDatabase> {
  const name = `bench_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  let version: string;
  try {
    version = String((await admin.query<{ server_version: string }>('show server_version')).rows[0]?.server_version);
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  const drop = async (): Promise<void> => {
    if (dropped) return;
    dropped = true;
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(`drop database if exists "${name}" with (force)`);
    } finally {
      await client.end();
    }
  };
  onCleanup(drop);
  return { url: url.toString(), name, version, drop };
}

export interface TrackerOptions {
  readonly cwd: string;
  readonly logDir: string;
  /** Unset: SQLite in the data folder. */
  readonly database?: PostgresDatabase;
  /** More settings for the server (REDIS_URL, WORKERS…), and the name its log file takes. */
  readonly env?: Readonly<Record<string, string>>;
  readonly label?: string;
  /** What the benchmark campaign uses (default full). */
  readonly campaign?: CampaignKind;
}

/**
 * The benchmark campaign: `plain` (one destination_url, the reference's campaign), `source` (a
 * PropellerAds-style traffic source: the network's click id, a per-click cost and a placement on every
 * click), `flow` (20 rules that the traffic never matches, so every click tries all of them, then a
 * default of 10 weighted paths to 10 offers: SPEC section 8's worst case for rule evaluation) or `full`
 * (source and flow together: every feature a click can use, the headline row; issue 24).
 */
export const CAMPAIGN_KINDS = ['full', 'plain', 'source', 'flow'] as const;
export type CampaignKind = (typeof CAMPAIGN_KINDS)[number];

const PLAIN_QUERY = 'sub1=bench&gclid=';
/** `{zone}` is replaced per click (one of 200 zones). */
const SOURCE_QUERY = 'sub1=bench&cost=0.0042&zoneid={zone}&visitor_id=';

async function campaignFields(
  base: string,
  token: string,
  kind: CampaignKind,
): Promise<{ fields: Record<string, unknown>; clickQuery: string }> {
  const destination = { destination_url: 'https://shop.example/landing?cid={clickid}&s1={sub1}' };
  if (kind === 'plain') return { fields: destination, clickQuery: PLAIN_QUERY };
  if (kind === 'full') {
    const source = await campaignFields(base, token, 'source');
    const flow = await campaignFields(base, token, 'flow');
    return { fields: { ...flow.fields, traffic_source_id: source.fields.traffic_source_id }, clickQuery: SOURCE_QUERY };
  }
  if (kind === 'source') {
    const source = await api(base, 'POST', '/api/v1/traffic-sources', token, {
      name: 'Bench push network',
      platform: 'other',
      click_id_param: 'visitor_id',
      cost_param: 'cost',
      placement_param: 'zoneid',
    });
    const id = field(source.body, 'data', 'id');
    if (source.status !== 201 || typeof id !== 'number')
      throw new Error(
        `POST /api/v1/traffic-sources answered ${source.status}: ${JSON.stringify(source.body).slice(0, 300)}`,
      );
    return { fields: { ...destination, traffic_source_id: id }, clickQuery: SOURCE_QUERY };
  }
  const offers: number[] = [];
  for (let n = 0; n < 10; n++) {
    const offer = await api(base, 'POST', '/api/v1/offers', token, {
      name: `Offer ${n}`,
      url: `https://offer${n}.example/?cid={clickid}`,
      payout: 2 + n,
    });
    const id = field(offer.body, 'data', 'id');
    if (offer.status !== 201 || typeof id !== 'number')
      throw new Error(`POST /api/v1/offers answered ${offer.status}: ${JSON.stringify(offer.body).slice(0, 300)}`);
    offers.push(id);
  }
  const path = (offer: number, weight: number) => ({ weight, offers: [{ offer_id: offer, weight: 1 }] });
  const rules = Array.from({ length: 20 }, (_, n) => ({
    name: `rule ${n}`,
    // Tablets and a `src` parameter the traffic never carries: no rule matches, each is tried.
    when:
      n % 2 === 0
        ? { country: ['DE', 'AT', 'CH', 'FR', 'NL'], device: ['tablet'] }
        : { params: { src: [`r${n}`] }, language: ['de', 'fr'] },
    paths: [path(offers[n % 10]!, 1)],
  }));
  return {
    fields: { flow: { rules, paths: offers.map((offer, n) => path(offer, n + 1)), rotation: 'weights' } },
    clickQuery: PLAIN_QUERY,
  };
}

/** Starts `node bin/cloakradar.js serve`, waits for /readyz, registers an account and creates a campaign. */
export async function startTracker(options: TrackerOptions): Promise<RunningTarget> {
  const name: TargetName = options.database ? 'postgres' : 'sqlite';
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), `cloakradar-bench-${name}-`));
  onCleanup(async () => rmSync(dataDir, { recursive: true, force: true }));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    JWT_SECRET,
    TRUST_PROXY: HOST,
  };
  delete env.DATABASE_URL;
  delete env.PUBLIC_URL;
  delete env.REDIS_URL;
  if (options.database) env.DATABASE_URL = options.database.url;
  Object.assign(env, options.env);
  // BENCH_PROFILE_DIR: the server writes a V8 CPU profile there when it exits (node --cpu-prof), for hot-path work.
  const profile = process.env.BENCH_PROFILE_DIR
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`]
    : [];
  // BENCH_SERVER_NODE_FLAGS: node flags for the server only (a V8 flag's A/B without touching the load generator).
  const serverFlags = process.env.BENCH_SERVER_NODE_FLAGS?.split(' ').filter((flag) => flag !== '') ?? [];
  const started = startNode(
    [...profile, ...serverFlags, 'bin/cloakradar.js', 'serve'],
    env,
    join(options.logDir, `${options.label ?? name}.log`),
    options.cwd,
  );
  const base = `http://${HOST}:${port}`;
  const startupMs = await waitForStatus(`${base}/readyz`, 200, started, 180_000);

  const email = `bench-${randomBytes(4).toString('hex')}@example.com`;
  const registered = await api(base, 'POST', '/api/v1/auth/register', undefined, {
    email,
    password: randomBytes(12).toString('base64url'),
  });
  const token = field(registered.body, 'token');
  if (registered.status !== 201 || typeof token !== 'string') {
    throw new Error(
      `POST /api/v1/auth/register answered ${registered.status}: ${JSON.stringify(registered.body).slice(0, 300)}`,
    );
  }
  const kind = options.campaign ?? 'full';
  const { fields, clickQuery } = await campaignFields(base, token, kind);
  const campaign = await api(base, 'POST', '/api/v1/campaigns', token, {
    name: `Tracker benchmark (${kind})`,
    ...fields,
  });
  const uuid = field(campaign.body, 'data', 'uuid');
  if (campaign.status !== 201 || typeof uuid !== 'string') {
    throw new Error(
      `POST /api/v1/campaigns answered ${campaign.status}: ${JSON.stringify(campaign.body).slice(0, 300)}`,
    );
  }

  const countClicksInDatabase = async (): Promise<number | undefined> => {
    try {
      if (options.database) {
        const client = new pg.Client({ connectionString: options.database.url });
        await client.connect();
        try {
          return Number((await client.query<{ n: string }>('select count(*) as n from clicks')).rows[0]?.n);
        } finally {
          await client.end();
        }
      }
      const db = new Database(join(dataDir, 'cloakradar.db'), { readonly: true, fileMustExist: true });
      try {
        return (db.prepare('select count(*) as n from clicks').get() as { n: number }).n;
      } finally {
        db.close();
      }
    } catch {
      return undefined;
    }
  };

  return {
    name,
    host: HOST,
    port,
    pid: started.pid,
    logPath: started.logPath,
    campaignUuid: uuid,
    clickQuery,
    token,
    setPlan: (plan) => {
      execFileSync(process.execPath, ['bin/cloakradar.js', 'users', 'set-plan', '--email', email, '--plan', plan], {
        cwd: options.cwd,
        env,
        stdio: 'pipe',
      });
    },
    startupMs,
    countClicksInDatabase,
    stop: async () => {
      await stopChild(started.child, 15_000);
      rmSync(dataDir, { recursive: true, force: true });
      if (options.database) await options.database.drop();
    },
  };
}
