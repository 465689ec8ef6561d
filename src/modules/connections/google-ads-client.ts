import { createHash } from 'node:crypto';
import type { CallResult } from './call-result.ts';
import {
  classifyGoogleAdsFailure,
  classifyTokenFailure,
  googleAdsErrors,
  type GoogleAdsError,
} from './google-ads-errors.ts';
import { RESPONSE_EXCERPT_CHARS, asArray, asNumber, asString, callPlatform, field } from './platform-http.ts';

export interface GoogleCredentials {
  client_id: string;
  client_secret: string;
  refresh_token: string;
  developer_token: string;
}

/** Digits only: `123-456-7890` as the UI writes it is normalised on input. */
export interface GoogleAccount {
  customerId: string;
  loginCustomerId: string | null;
}

export interface GoogleAdsClientOptions {
  apiUrl: string;
  tokenUrl: string;
  timeoutMs: number;
  now: () => number;
}

/** A call that went through: the JSON answer, and the excerpt the log keeps. */
export interface GoogleOk {
  verdict: 'ok';
  json: unknown;
  statusCode: number;
  response: string;
}

export type GoogleCall = GoogleOk | CallResult;

/** Access tokens live about an hour; one is reused until a minute before it runs out. */
const EXPIRY_MARGIN_MS = 60_000;

/**
 * The Google Ads API over REST (https://developers.google.com/google-ads/api/rest/overview): an access
 * token from the OAuth 2.0 refresh-token grant at GOOGLE_OAUTH_TOKEN_URL, then each call with
 * `Authorization: Bearer`, `developer-token` and, through a manager account, `login-customer-id`
 * (https://developers.google.com/google-ads/api/rest/auth).
 */
export function createGoogleAdsClient(options: GoogleAdsClientOptions) {
  // Keyed by a hash of the refresh token, so new credentials never reuse an old token; kept in memory only.
  const tokens = new Map<string, { token: string; expiresAt: number }>();

  const accessToken = async (credentials: GoogleCredentials): Promise<{ token: string } | CallResult> => {
    const key = createHash('sha256').update(`${credentials.client_id}\n${credentials.refresh_token}`).digest('hex');
    const cached = tokens.get(key);
    if (cached && cached.expiresAt > options.now()) return { token: cached.token };
    const answer = await callPlatform(
      options.tokenUrl,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          client_id: credentials.client_id,
          client_secret: credentials.client_secret,
          refresh_token: credentials.refresh_token,
        }).toString(),
      },
      options.timeoutMs,
    );
    const token = asString(field(answer.json, 'access_token'));
    if (answer.statusCode !== 200 || !token) return classifyTokenFailure(answer);
    const expiresIn = asNumber(field(answer.json, 'expires_in')) ?? 3600;
    tokens.set(key, { token, expiresAt: options.now() + expiresIn * 1000 - EXPIRY_MARGIN_MS });
    return { token };
  };

  const post = async (
    credentials: GoogleCredentials,
    account: GoogleAccount,
    path: string,
    body: unknown,
    what: string,
  ): Promise<GoogleCall> => {
    const auth = await accessToken(credentials);
    if (!('token' in auth)) return auth;
    const answer = await callPlatform(
      `${options.apiUrl}/customers/${account.customerId}${path}`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          authorization: `Bearer ${auth.token}`,
          'developer-token': credentials.developer_token,
          ...(account.loginCustomerId ? { 'login-customer-id': account.loginCustomerId } : {}),
        },
        body: JSON.stringify(body),
      },
      options.timeoutMs,
    );
    if (answer.statusCode === 401) tokens.clear();
    if (answer.statusCode !== 200) return classifyGoogleAdsFailure(answer, what);
    return {
      verdict: 'ok',
      json: answer.json,
      statusCode: 200,
      response: answer.text.slice(0, RESPONSE_EXCERPT_CHARS),
    };
  };

  return {
    /** The account's name: proves the token exchange, the developer token and access to the customer. */
    testAccess: (credentials: GoogleCredentials, account: GoogleAccount) =>
      post(
        credentials,
        account,
        '/googleAds:search',
        { query: 'SELECT customer.id, customer.descriptive_name FROM customer LIMIT 1' },
        'Google Ads search',
      ),

    /**
     * The campaign's negative IpBlock criteria, ours and others'
     * (https://developers.google.com/google-ads/api/rest/reference/rest/v22/customers.googleAds/search).
     */
    async ipBlocks(
      credentials: GoogleCredentials,
      account: GoogleAccount,
      campaignId: string,
    ): Promise<{ verdict: 'ok'; criteria: Array<{ resourceName: string; ipAddress: string }> } | CallResult> {
      const query =
        'SELECT campaign_criterion.resource_name, campaign_criterion.ip_block.ip_address FROM campaign_criterion ' +
        `WHERE campaign.id = ${campaignId} AND campaign_criterion.type = 'IP_BLOCK' AND campaign_criterion.negative = TRUE`;
      const call = await post(credentials, account, '/googleAds:search', { query }, 'Google Ads search');
      if (call.verdict !== 'ok' || !('json' in call)) return call;
      const criteria = asArray(field(call.json, 'results')).flatMap((row) => {
        const criterion = field(row, 'campaignCriterion');
        const resourceName = asString(field(criterion, 'resourceName'));
        const ipAddress = asString(field(field(criterion, 'ipBlock'), 'ipAddress'));
        return resourceName && ipAddress ? [{ resourceName, ipAddress }] : [];
      });
      return { verdict: 'ok', criteria };
    },

    /**
     * customers/{cid}/campaignCriteria:mutate with partialFailure
     * (https://developers.google.com/google-ads/api/rest/reference/rest/v22/customers.campaignCriteria/mutate):
     * `results[i].resourceName` for each operation that went through, `partialFailureError` for the others.
     */
    async mutateCriteria(
      credentials: GoogleCredentials,
      account: GoogleAccount,
      operations: unknown[],
    ): Promise<(GoogleOk & { results: Array<string | null>; errors: GoogleAdsError[] }) | CallResult> {
      const call = await post(
        credentials,
        account,
        '/campaignCriteria:mutate',
        { operations, partialFailure: true },
        'Google Ads campaign criteria mutate',
      );
      if (call.verdict !== 'ok' || !('json' in call)) return call;
      const errors = googleAdsErrors(field(call.json, 'partialFailureError'));
      const failed = new Set(errors.map((error) => error.index));
      const results = operations.map((_, index) =>
        failed.has(index) ? null : (asString(field(asArray(field(call.json, 'results'))[index], 'resourceName')) ?? ''),
      );
      return { ...call, results, errors };
    },

    /**
     * customers/{cid}:uploadClickConversions, partialFailure true as the API requires
     * (https://developers.google.com/google-ads/api/rest/reference/rest/v22/customers/uploadClickConversions).
     */
    async uploadClickConversions(
      credentials: GoogleCredentials,
      account: GoogleAccount,
      conversions: unknown[],
    ): Promise<(GoogleOk & { errors: GoogleAdsError[] }) | CallResult> {
      const call = await post(
        credentials,
        account,
        ':uploadClickConversions',
        { conversions, partialFailure: true },
        'Google Ads click conversion upload',
      );
      if (call.verdict !== 'ok' || !('json' in call)) return call;
      return { ...call, errors: googleAdsErrors(field(call.json, 'partialFailureError')) };
    },
  };
}

export type GoogleAdsClient = ReturnType<typeof createGoogleAdsClient>;
