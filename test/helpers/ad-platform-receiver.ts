// Google Ads (OAuth token endpoint and REST) and Meta (Graph API) as their documentation describes
// them, on 127.0.0.1: a test points GOOGLE_OAUTH_TOKEN_URL, GOOGLE_ADS_API_URL and META_GRAPH_API_URL
// here, scripts failures, and reads back exactly what arrived. No outside service is ever reached.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ReceivedCall {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  json: unknown;
}

/** A scripted answer for the next calls to a route: `hang` never answers (the caller's timeout). */
export type Scripted =
  | { kind: 'status'; status: number; body: unknown }
  | { kind: 'hang' }
  /** Does what the call asks, then never answers: the caller cannot know it landed (a crash mid-call). */
  | { kind: 'apply-then-hang' };

export interface AdPlatformReceiver {
  readonly origin: string;
  readonly env: Record<string, string>;
  readonly calls: ReceivedCall[];
  /** Each Google campaign's IpBlock criteria (resource name → ip), as Google holds them. */
  readonly criteria: Map<string, Map<string, string>>;
  /** Click conversions Google accepted, by orderId. */
  readonly conversions: Map<string, Record<string, unknown>>;
  /** Meta events received, in order (every call, duplicates included). */
  readonly metaEvents: Array<Record<string, unknown>>;
  /** Answers for the next `count` calls whose path contains `route` (token, search, mutate, upload, events). */
  script(route: string, answer: Scripted, count?: number): void;
  /** IPs whose create the mutate refuses (a partial failure). */
  refuseIps: Set<string>;
  validRefreshToken: string;
  validAccessToken: string;
  waitFor(predicate: () => boolean, timeoutMs?: number, what?: string): Promise<void>;
  close(): Promise<void>;
}

const GOOGLE_VERSION = 'v26';
const META_VERSION = 'v24.0';

function send(res: ServerResponse | null, status: number, body: unknown) {
  if (res === null) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** A google.rpc.Status with a GoogleAdsFailure, as the REST interface answers errors. */
export function googleError(
  httpStatus: number,
  status: string,
  code: Record<string, string>,
  message: string,
  extra: unknown[] = [],
) {
  return {
    error: {
      code: httpStatus,
      message: 'Request contains an invalid argument.',
      status,
      details: [
        {
          '@type': `type.googleapis.com/google.ads.googleads.${GOOGLE_VERSION}.errors.GoogleAdsFailure`,
          errors: [{ errorCode: code, message }],
          requestId: 'req-1',
        },
        ...extra,
      ],
    },
  };
}

const partialFailure = (
  errors: Array<{ index: number; field: string; code: Record<string, string>; message: string }>,
) => ({
  code: 3,
  message: `${errors.length} operation(s) failed`,
  details: [
    {
      '@type': `type.googleapis.com/google.ads.googleads.${GOOGLE_VERSION}.errors.GoogleAdsFailure`,
      errors: errors.map((error) => ({
        errorCode: error.code,
        message: error.message,
        location: { fieldPathElements: [{ fieldName: error.field, index: error.index }] },
      })),
    },
  ],
});

export async function startAdPlatformReceiver(listenPort = 0): Promise<AdPlatformReceiver> {
  const calls: ReceivedCall[] = [];
  const criteria = new Map<string, Map<string, string>>();
  const conversions = new Map<string, Record<string, unknown>>();
  const metaEvents: Array<Record<string, unknown>> = [];
  const scripts: Array<{ route: string; answer: Scripted; left: number }> = [];
  const refuseIps = new Set<string>();
  const sockets = new Set<Socket>();
  let nextCriterion = 1000;
  const receiver = {
    validRefreshToken: 'refresh-ok',
    validAccessToken: `ya29.${Math.random().toString(36).slice(2)}`,
  };

  const scripted = (path: string): Scripted | undefined => {
    const entry = scripts.find((s) => path.includes(s.route) && s.left > 0);
    if (!entry) return undefined;
    entry.left -= 1;
    return entry.answer;
  };

  const handle = (given: ServerResponse, call: ReceivedCall) => {
    const path = call.path.split('?')[0]!;
    const answer = scripted(path);
    if (answer?.kind === 'hang') return;
    if (answer?.kind === 'status') return send(given, answer.status, answer.body);
    const res = answer?.kind === 'apply-then-hang' ? null : given;

    // RFC 6749 section 6: the refresh-token grant, form-encoded.
    if (path === '/token') {
      const form = new URLSearchParams(call.body);
      if (form.get('grant_type') !== 'refresh_token' || form.get('refresh_token') !== receiver.validRefreshToken)
        return send(res, 400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
      return send(res, 200, { access_token: receiver.validAccessToken, expires_in: 3599, token_type: 'Bearer' });
    }

    const google = new RegExp(
      `^/google/${GOOGLE_VERSION}/customers/(\\d+)(/googleAds:search|/campaignCriteria:mutate|:uploadClickConversions)$`,
    ).exec(path);
    if (google) {
      if (call.headers.authorization !== `Bearer ${receiver.validAccessToken}`)
        return send(
          res,
          401,
          googleError(
            401,
            'UNAUTHENTICATED',
            { authenticationError: 'OAUTH_TOKEN_INVALID' },
            'Oauth token is invalid.',
          ),
        );
      if (!call.headers['developer-token'])
        return send(
          res,
          401,
          googleError(
            401,
            'UNAUTHENTICATED',
            { authenticationError: 'DEVELOPER_TOKEN_PARAMETER_MISSING' },
            'Developer token is missing.',
          ),
        );
      const customer = google[1]!;
      const body = call.json as Record<string, unknown>;
      if (google[2] === '/googleAds:search') {
        const query = String(body.query);
        const campaign = /campaign\.id = (\d+)/.exec(query)?.[1];
        if (!campaign)
          return send(res, 200, { results: [{ customer: { id: customer, descriptiveName: 'Test account' } }] });
        const held = criteria.get(campaign) ?? new Map<string, string>();
        return send(res, 200, {
          results: [...held].map(([resourceName, ipAddress]) => ({
            campaignCriterion: { resourceName, ipBlock: { ipAddress } },
          })),
        });
      }
      if (google[2] === '/campaignCriteria:mutate') {
        const operations = body.operations as Array<Record<string, unknown>>;
        const results: Array<Record<string, unknown>> = [];
        const errors: Parameters<typeof partialFailure>[0] = [];
        for (const [index, op] of operations.entries()) {
          if (typeof op.remove === 'string') {
            const campaign = /campaignCriteria\/(\d+)~/.exec(op.remove)?.[1] ?? '';
            if (criteria.get(campaign)?.delete(op.remove)) results.push({ resourceName: op.remove });
            else {
              results.push({});
              errors.push({
                index,
                field: 'operations',
                code: { mutateError: 'RESOURCE_NOT_FOUND' },
                message: 'Resource was not found.',
              });
            }
            continue;
          }
          const create = op.create as { campaign: string; negative: boolean; ipBlock: { ipAddress: string } };
          const campaign = /campaigns\/(\d+)$/.exec(create.campaign)?.[1] ?? '';
          const held = criteria.get(campaign) ?? new Map<string, string>();
          criteria.set(campaign, held);
          const ip = create.ipBlock.ipAddress;
          if (refuseIps.has(ip) || held.size >= 500 || [...held.values()].includes(ip) || create.negative !== true) {
            results.push({});
            errors.push({
              index,
              field: 'operations',
              code: { criterionError: held.size >= 500 ? 'TOO_MANY_CRITERIA' : 'INVALID_IP_ADDRESS' },
              message: 'The criterion is not valid.',
            });
            continue;
          }
          const resourceName = `customers/${customer}/campaignCriteria/${campaign}~${nextCriterion++}`;
          held.set(resourceName, ip);
          results.push({ resourceName });
        }
        return send(res, 200, {
          results,
          ...(errors.length > 0 ? { partialFailureError: partialFailure(errors) } : {}),
        });
      }
      // uploadClickConversions: orderId deduplicates, as the docs say; partialFailure must be true.
      if (body.partialFailure !== true)
        return send(
          res,
          400,
          googleError(
            400,
            'INVALID_ARGUMENT',
            { partialFailureError: 'PARTIAL_FAILURE_MODE_REQUIRED' },
            'partial failure required',
          ),
        );
      const list = body.conversions as Array<Record<string, unknown>>;
      const results: Array<Record<string, unknown>> = [];
      const errors: Parameters<typeof partialFailure>[0] = [];
      for (const [index, conversion] of list.entries()) {
        const orderId = String(conversion.orderId);
        if (conversions.has(orderId)) {
          results.push({});
          errors.push({
            index,
            field: 'conversions',
            code: { conversionUploadError: 'CLICK_CONVERSION_ALREADY_EXISTS' },
            message: 'duplicate',
          });
          continue;
        }
        if (String(conversion.gclid ?? '').startsWith('unknown')) {
          results.push({});
          errors.push({
            index,
            field: 'conversions',
            code: { conversionUploadError: 'UNPARSEABLE_GCLID' },
            message: 'The gclid could not be decoded.',
          });
          continue;
        }
        conversions.set(orderId, conversion);
        results.push({
          gclid: conversion.gclid,
          conversionAction: conversion.conversionAction,
          conversionDateTime: conversion.conversionDateTime,
        });
      }
      return send(res, 200, {
        results,
        ...(errors.length > 0 ? { partialFailureError: partialFailure(errors) } : {}),
        jobId: '77',
      });
    }

    const meta = new RegExp(`^/meta/${META_VERSION.replace('.', '\\.')}/(\\d+)(/events)?$`).exec(path);
    if (meta) {
      const token = meta[2]
        ? String((call.json as Record<string, unknown>).access_token ?? '')
        : String(call.headers.authorization ?? '').replace(/^Bearer /, '');
      if (token !== 'meta-ok')
        return send(res, 400, {
          error: {
            message: 'Error validating access token: Session has expired.',
            type: 'OAuthException',
            code: 190,
            error_subcode: 463,
            fbtrace_id: 'A1',
          },
        });
      if (!meta[2]) return send(res, 200, { id: meta[1], name: 'Shop pixel' });
      const data = (call.json as { data: Array<Record<string, unknown>> }).data;
      metaEvents.push(...data);
      return send(res, 200, { events_received: data.length, messages: [], fbtrace_id: 'A2' });
    }
    send(res, 404, { error: 'not found' });
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = body ? JSON.parse(body) : undefined;
      } catch {
        json = undefined;
      }
      const call = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, json };
      calls.push(call);
      handle(res, call);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(listenPort, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    env: {
      GOOGLE_OAUTH_TOKEN_URL: `${origin}/token`,
      GOOGLE_ADS_API_URL: `${origin}/google/${GOOGLE_VERSION}`,
      META_GRAPH_API_URL: `${origin}/meta`,
      META_GRAPH_API_VERSION: META_VERSION,
    },
    calls,
    criteria,
    conversions,
    metaEvents,
    refuseIps,
    get validRefreshToken() {
      return receiver.validRefreshToken;
    },
    set validRefreshToken(value: string) {
      receiver.validRefreshToken = value;
    },
    get validAccessToken() {
      return receiver.validAccessToken;
    },
    set validAccessToken(value: string) {
      receiver.validAccessToken = value;
    },
    script(route, answer, count = 1) {
      scripts.push({ route, answer, left: count });
    },
    async waitFor(predicate, timeoutMs = 10_000, what = 'condition') {
      const deadline = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
