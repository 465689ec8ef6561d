// One app with two tenants and one of every resource owned by the first, for the suites that are
// generated from the route table (isolation matrix, fuzzing): a new route is covered by them, or
// fails them until its path parameters are known here.
import assert from 'node:assert/strict';
import type { FastifyInstance, InjectOptions } from 'fastify';
import type { LightMyRequestResponse } from 'fastify';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';
import { DIALECTS } from '../helpers/dialects.ts';

export interface Operation {
  readonly method: string;
  /** OpenAPI form: /api/v1/campaigns/{id}. */
  readonly path: string;
  readonly hasBody: boolean;
  readonly queryParams: readonly string[];
}

export interface Tenant {
  readonly email: string;
  readonly token: string;
  readonly readToken: string;
}

export interface SecurityWorld {
  readonly t: TestApp;
  readonly app: FastifyInstance;
  readonly owner: Tenant;
  readonly intruder: Tenant;
  /** Path parameter values of the owner's resources, by the path's resource segment and parameter. */
  readonly ids: Record<string, string>;
  readonly operations: readonly Operation[];
  request(options: InjectOptions & { token?: string }): Promise<LightMyRequestResponse>;
  /** Everything stored for the owner, as one string: equal before and after means nothing changed. */
  ownerDigest(): Promise<string>;
}

/** Routes no token may reach anyway, or that stream forever: judged by their own suites. */
export const PUBLIC_OPERATIONS = new Set([
  'POST /api/v1/auth/register',
  'POST /api/v1/auth/token',
  'POST /api/v1/members/accept',
  'GET /api/v1/postback',
  'POST /api/v1/beacon',
  'GET /px',
  'GET /t.js',
  'GET /api/openapi.json',
]);
export const STREAMING_PATHS = new Set(['/api/v1/clicks/stream']);

async function tenant(t: TestApp, email: string): Promise<Tenant> {
  await t.request({ method: 'POST', url: '/api/v1/auth/register', payload: { email, password: 'a long password' } });
  // Enterprise limits, so a generated run of requests is judged on its answers, not throttled.
  await t.app.services.accounts.setPlan(email, 'enterprise');
  const token = (
    await t.request({ method: 'POST', url: '/api/v1/auth/token', payload: { email, password: 'a long password' } })
  ).json().token as string;
  const key = (
    await t.request({ method: 'POST', url: '/api/v1/api-keys', token, payload: { name: 'read only', scope: 'read' } })
  ).json().data;
  const readToken = (
    await t.request({
      method: 'POST',
      url: '/api/v1/auth/token',
      payload: { api_key: key.api_key, api_secret: key.api_secret },
    })
  ).json().token as string;
  return { email, token, readToken };
}

function operationsOf(document: {
  paths: Record<string, Record<string, { requestBody?: unknown; parameters?: Array<{ in: string; name: string }> }>>;
}): Operation[] {
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      operations.push({
        method: method.toUpperCase(),
        path,
        hasBody: operation.requestBody !== undefined,
        queryParams: (operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
      });
    }
  }
  return operations;
}

export async function buildSecurityWorld(dialect = DIALECTS[0]!): Promise<SecurityWorld> {
  const t = await createTestApp(
    dialect,
    {
      WEBHOOKS_ALLOW_PRIVATE_TARGETS: 'true',
      // Never the real platforms: a closed loopback port (a connection's test then answers "connection refused").
      GOOGLE_OAUTH_TOKEN_URL: 'http://127.0.0.1:9/token',
      GOOGLE_ADS_API_URL: 'http://127.0.0.1:9/google',
      META_GRAPH_API_URL: 'http://127.0.0.1:9/meta',
      CONNECTIONS_SYNC_MINUTES: '0',
    },
    { webhooks: { runWorker: false }, connections: { runWorker: false } },
  );
  const owner = await tenant(t, 'owner@example.com');
  const intruder = await tenant(t, 'intruder@example.com');
  const as = (token: string) => (options: InjectOptions) => t.request({ ...options, token });
  const ownerRequest = as(owner.token);

  const source = (
    await ownerRequest({
      method: 'POST',
      url: '/api/v1/traffic-sources',
      payload: { name: 'Google Ads', platform: 'google' },
    })
  ).json().data;
  const offer = (
    await ownerRequest({
      method: 'POST',
      url: '/api/v1/offers',
      payload: { name: 'Owned offer', url: 'https://o.example/' },
    })
  ).json().data;
  const lander = (
    await ownerRequest({
      method: 'POST',
      url: '/api/v1/landers',
      payload: { name: 'Owned lander', url: 'https://l.example/' },
    })
  ).json().data;
  const campaign = (
    await ownerRequest({
      method: 'POST',
      url: '/api/v1/campaigns',
      payload: { name: 'Owned', destination_url: 'https://example.com/?cid={clickid}', traffic_source_id: source?.id },
    })
  ).json().data;
  assert.ok(campaign?.id, 'fixture campaign');
  const redirect = await t.app.inject({
    method: 'GET',
    url: `/c/${campaign.uuid}`,
    headers: { 'user-agent': 'curl/8.4.0' },
  });
  const clickId = new URL(String(redirect.headers.location)).searchParams.get('cid')!;
  const conversion = (
    await t.request({ method: 'GET', url: `/api/v1/postback?clickid=${clickId}&payout=12&txid=fixture` })
  ).json().data;
  const key = (
    await ownerRequest({ method: 'POST', url: '/api/v1/api-keys', payload: { name: 'owned key', scope: 'write' } })
  ).json().data;
  const webhook = (
    await ownerRequest({
      method: 'POST',
      url: '/api/v1/webhooks',
      payload: { url: 'http://127.0.0.1:9/hook', events: ['conversion.created'] },
    })
  ).json().data;
  const ping = (await ownerRequest({ method: 'POST', url: `/api/v1/webhooks/${webhook.id}/test` })).json().data;
  const adConnection = (
    await ownerRequest({
      method: 'POST',
      url: '/api/v1/connections',
      payload: { platform: 'meta', name: 'owned pixel', pixel_id: '123', credentials: { access_token: 'owner-token' } },
    })
  ).json().data;
  const today = new Date().toISOString().slice(0, 10);
  const report = (
    await ownerRequest({
      method: 'POST',
      url: '/api/v2/fraud/report',
      payload: { campaign_id: campaign.id, from: today, to: today, platform: 'google' },
    })
  ).json().data;

  const invited = (
    await ownerRequest({
      method: 'POST',
      url: '/api/v1/members',
      payload: { email: 'owned-member@example.com', role: 'viewer' },
    })
  ).json().data;
  assert.ok(invited?.member?.id, 'fixture member');

  const ids: Record<string, string> = {
    'members/id': String(invited.member.id),
    'campaigns/id': String(campaign.id),
    'traffic-sources/id': String(source.id),
    'offers/id': String(offer.id),
    'landers/id': String(lander.id),
    'clicks/clickid': clickId,
    'conversions/id': String(conversion.id),
    'api-keys/id': String(key.id),
    'webhooks/id': String(webhook.id),
    'connections/id': String(adConnection.id),
    'deliveries/deliveryId': String(ping.id),
    'report/id': String(report.id),
  };

  const document = (await t.request({ method: 'GET', url: '/api/openapi.json' })).json();
  const tables = [
    'campaigns',
    'traffic_sources',
    'offers',
    'landers',
    'clicks',
    'conversions',
    'api_keys',
    'members',
    'webhooks',
    'webhook_events',
    'webhook_deliveries',
    'connections',
    'connection_jobs',
    'campaign_cost_days',
    'fraud_reports',
    'detection_settings',
    'click_stats_periods',
  ] as const;
  const ownerDigest = async () => {
    // Rollups move from the journal to the periods in the background: compared once all are folded.
    await t.app.services.statsFolder.foldAll();
    const db = t.storage.db;
    const userId = Number(
      (await db.selectFrom('users').select('id').where('email', '=', owner.email).executeTakeFirstOrThrow()).id,
    );
    const parts: unknown[] = [
      await db.selectFrom('users').select(['email', 'password_hash', 'plan']).where('id', '=', userId).execute(),
    ];
    for (const table of tables) {
      // Lease and bookkeeping columns move by themselves (a report job finishing); what a request may change is the rest.
      const rows = await db.selectFrom(table).selectAll().where('user_id', '=', userId).execute();
      parts.push(
        rows.map((row) => {
          const {
            claimed_until: _lease,
            last_used_at: _used,
            attempts: _attempts,
            status: _status,
            completed_at: _completed,
            summary: _summary,
            ip_exclusions: _exclusions,
            ...rest
          } = row as Record<string, unknown>;
          return rest;
        }),
      );
    }
    return JSON.stringify(parts);
  };

  return {
    t,
    app: t.app,
    owner,
    intruder,
    ids,
    operations: operationsOf(document),
    request: (options) => t.request(options),
    ownerDigest,
  };
}

/** Path parameters that name no one's resource: any tenant may use them. */
export const OPEN_PARAMS: Readonly<Record<string, string>> = { 'analytics/dimension': 'os' };

export function hasOwnedParams(path: string): boolean {
  return [...path.matchAll(/([^/]+)\/\{([^}]+)\}/g)].some(
    ([, segment, name]) => OPEN_PARAMS[`${segment}/${name}`] === undefined,
  );
}

/** The owner's value for each `{param}` of a path, or the names nobody knows (a route this suite must learn). */
export function fillPath(path: string, ids: Record<string, string>): { url: string; unknown: string[] } {
  const segments = path.split('/');
  const unknown: string[] = [];
  const url = segments
    .map((segment, index) => {
      const match = /^\{(.+)\}$/.exec(segment);
      if (!match) return segment;
      const key = `${segments[index - 1]}/${match[1]}`;
      const value = ids[key] ?? OPEN_PARAMS[key];
      if (value === undefined) unknown.push(key);
      return value ?? 'unknown';
    })
    .join('/');
  return { url, unknown };
}
