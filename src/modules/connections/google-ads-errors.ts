import type { CallResult } from './call-result.ts';
import { RESPONSE_EXCERPT_CHARS, asArray, asNumber, asString, field, type PlatformAnswer } from './platform-http.ts';

/**
 * Google Ads REST errors. The body is a google.rpc.Status, `{ error: { code, message, status, details } }`,
 * whose details carry a GoogleAdsFailure (`errors[]` with `errorCode`, `message`, `location`) and for
 * quota errors a RetryInfo (`retryDelay: "30s"`):
 * https://developers.google.com/google-ads/api/rest/auth (headers and auth),
 * https://developers.google.com/google-ads/api/docs/best-practices/partial-failures (partialFailureError),
 * https://developers.google.com/google-ads/api/reference/rpc/v22/ErrorLocation.FieldPathElement (index of the failed operation).
 */
export interface GoogleAdsError {
  /** `quotaError.RESOURCE_EXHAUSTED`, `conversionUploadError.CLICK_CONVERSION_ALREADY_EXISTS`… */
  code: string;
  message: string;
  /** The operation (or conversion) it belongs to, for partial failures. */
  index: number | null;
}

function errorCodeOf(error: unknown): string {
  const code = field(error, 'errorCode');
  if (typeof code !== 'object' || code === null) return 'unknown';
  const [name, value] = Object.entries(code)[0] ?? ['unknown', ''];
  return `${name}.${String(value)}`;
}

/** The GoogleAdsFailure errors inside a google.rpc.Status (its details). */
export function googleAdsErrors(status: unknown): GoogleAdsError[] {
  return asArray(field(status, 'details')).flatMap((detail) =>
    asArray(field(detail, 'errors')).map((error) => {
      const path = asArray(field(field(error, 'location'), 'fieldPathElements'));
      const index = asNumber(field(path[0], 'index'));
      return { code: errorCodeOf(error), message: asString(field(error, 'message')) ?? '', index: index ?? null };
    }),
  );
}

/** "30s" or "1.5s" (a google.protobuf.Duration in JSON) in ms. */
function retryDelayOf(status: unknown): number | undefined {
  for (const detail of asArray(field(status, 'details'))) {
    const delay = asString(field(detail, 'retryDelay'));
    const seconds = delay ? /^(\d+(?:\.\d+)?)s$/.exec(delay)?.[1] : undefined;
    if (seconds) return Math.round(Number(seconds) * 1000);
  }
  return undefined;
}

const excerpt = (answer: PlatformAnswer) => (answer.text ? answer.text.slice(0, RESPONSE_EXCERPT_CHARS) : null);

const AUTH_STATUSES = new Set(['UNAUTHENTICATED', 'PERMISSION_DENIED']);
const RETRY_STATUSES = new Set(['RESOURCE_EXHAUSTED', 'UNAVAILABLE', 'INTERNAL', 'DEADLINE_EXCEEDED', 'ABORTED']);
/** Without a quota hint, a RESOURCE_EXHAUSTED waits at least this long (the API's quotas are per minute and per day). */
const QUOTA_WAIT_MS = 60_000;

/** What a non-2xx answer (or none) of the Google Ads API means for the job. */
export function classifyGoogleAdsFailure(answer: PlatformAnswer, what: string): CallResult {
  if (answer.statusCode === null)
    return {
      verdict: 'retry',
      message: `${what}: ${answer.networkError ?? 'no answer'}`,
      statusCode: null,
      response: null,
    };
  const status = field(answer.json, 'error');
  const rpcStatus = asString(field(status, 'status')) ?? '';
  const first = googleAdsErrors(status)[0];
  const detail = first
    ? `${first.code}: ${first.message}`
    : (asString(field(status, 'message')) ?? `HTTP ${answer.statusCode}`);
  const message = `${what}: ${rpcStatus || `HTTP ${answer.statusCode}`} (${detail})`;
  const base = { message, statusCode: answer.statusCode, response: excerpt(answer) };
  if (answer.statusCode === 401 || answer.statusCode === 403 || AUTH_STATUSES.has(rpcStatus))
    return { ...base, verdict: 'auth' };
  if (answer.statusCode === 429 || rpcStatus === 'RESOURCE_EXHAUSTED')
    return { ...base, verdict: 'retry', retryAfterMs: retryDelayOf(status) ?? QUOTA_WAIT_MS };
  if (answer.statusCode >= 500 || RETRY_STATUSES.has(rpcStatus)) return { ...base, verdict: 'retry' };
  return { ...base, verdict: 'fail' };
}

/** The OAuth token endpoint's errors (RFC 6749 section 5.2): invalid_grant is a revoked or expired refresh token. */
export function classifyTokenFailure(answer: PlatformAnswer): CallResult {
  const what = 'OAuth token exchange';
  if (answer.statusCode === null)
    return {
      verdict: 'retry',
      message: `${what}: ${answer.networkError ?? 'no answer'}`,
      statusCode: null,
      response: null,
    };
  const code = asString(field(answer.json, 'error')) ?? `HTTP ${answer.statusCode}`;
  const description = asString(field(answer.json, 'error_description'));
  const message =
    code === 'invalid_grant'
      ? `${what}: invalid_grant — the refresh token was revoked or has expired; reconnect the Google Ads account`
      : `${what}: ${code}${description ? ` (${description})` : ''}`;
  const base = { message, statusCode: answer.statusCode, response: excerpt(answer) };
  if (answer.statusCode >= 500 || answer.statusCode === 429) return { ...base, verdict: 'retry' };
  return { ...base, verdict: 'auth' };
}
