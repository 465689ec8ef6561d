import type { CallResult } from './call-result.ts';
import {
  RESPONSE_EXCERPT_CHARS,
  asBoolean,
  asNumber,
  asString,
  callPlatform,
  field,
  type PlatformAnswer,
} from './platform-http.ts';

export interface MetaClientOptions {
  graphUrl: string;
  version: string;
  timeoutMs: number;
}

/**
 * Graph API error codes (https://developers.facebook.com/docs/graph-api/guides/error-handling):
 * 190 an expired or revoked access token, 102 a session gone, 10 and 200–299 a missing permission:
 * the connection needs attention. 4, 17, 32, 613 and 80004 are rate limits; 1 and 2 (and any error
 * flagged is_transient) pass: try again later.
 */
const AUTH_CODES = new Set([102, 190, 10]);
const RETRY_CODES = new Set([1, 2, 4, 17, 32, 341, 613, 80004]);

function classifyMetaFailure(answer: PlatformAnswer, what: string): CallResult {
  if (answer.statusCode === null)
    return {
      verdict: 'retry',
      message: `${what}: ${answer.networkError ?? 'no answer'}`,
      statusCode: null,
      response: null,
    };
  const error = field(answer.json, 'error');
  const code = asNumber(field(error, 'code'));
  const text = asString(field(error, 'message')) ?? `HTTP ${answer.statusCode}`;
  const base = {
    message: `${what}: ${code !== undefined ? `error ${code}` : `HTTP ${answer.statusCode}`} (${text})`,
    statusCode: answer.statusCode,
    response: answer.text.slice(0, RESPONSE_EXCERPT_CHARS) || null,
  };
  if (code !== undefined && (AUTH_CODES.has(code) || (code >= 200 && code <= 299))) {
    const hint = code === 190 ? ' — the access token expired or was revoked; paste a new one' : '';
    return { ...base, message: base.message + hint, verdict: 'auth' };
  }
  if (answer.statusCode >= 500 || answer.statusCode === 429) return { ...base, verdict: 'retry' };
  if (code !== undefined && (RETRY_CODES.has(code) || asBoolean(field(error, 'is_transient')) === true))
    return { ...base, verdict: 'retry' };
  return { ...base, verdict: 'fail' };
}

/**
 * The Conversions API: POST {graph}/{version}/{pixel id}/events with `data[]` and the access token
 * (https://developers.facebook.com/docs/marketing-api/conversions-api/using-the-api). The token goes
 * in the body, not the URL, so no proxy log keeps it.
 */
export function createMetaClient(options: MetaClientOptions) {
  const base = (pixelId: string) => `${options.graphUrl}/${options.version}/${encodeURIComponent(pixelId)}`;
  return {
    async sendEvents(
      accessToken: string,
      pixelId: string,
      events: unknown[],
      testEventCode: string | null,
    ): Promise<CallResult & { eventsReceived?: number }> {
      const what = 'Meta Conversions API';
      const answer = await callPlatform(
        `${base(pixelId)}/events`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({
            data: events,
            access_token: accessToken,
            ...(testEventCode ? { test_event_code: testEventCode } : {}),
          }),
        },
        options.timeoutMs,
      );
      if (answer.statusCode !== 200) return classifyMetaFailure(answer, what);
      const received = asNumber(field(answer.json, 'events_received')) ?? 0;
      return {
        verdict: 'ok',
        message: `${what}: ${received} event(s) received`,
        statusCode: 200,
        response: answer.text.slice(0, RESPONSE_EXCERPT_CHARS),
        eventsReceived: received,
      };
    },

    /** Reads the pixel (dataset): proves the token and its access to it. */
    async testAccess(accessToken: string, pixelId: string): Promise<CallResult> {
      const what = 'Meta pixel lookup';
      const answer = await callPlatform(
        `${base(pixelId)}?fields=id,name`,
        { method: 'GET', headers: { accept: 'application/json', authorization: `Bearer ${accessToken}` } },
        options.timeoutMs,
      );
      if (answer.statusCode !== 200) return classifyMetaFailure(answer, what);
      const name = asString(field(answer.json, 'name'));
      return {
        verdict: 'ok',
        message: `${what}: pixel ${pixelId}${name ? ` (${name})` : ''} is reachable`,
        statusCode: 200,
        response: answer.text.slice(0, RESPONSE_EXCERPT_CHARS),
      };
    },
  };
}

export type MetaClient = ReturnType<typeof createMetaClient>;
