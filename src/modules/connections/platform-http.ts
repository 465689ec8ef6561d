import { DELIVERY_ERRORS, describeConnectionError } from '../webhooks/outbox/delivery-error.ts';

/** What the log keeps of an answer. */
export const RESPONSE_EXCERPT_CHARS = 1_000;
/** A platform's answer larger than this is not read further (a mutate of 500 criteria is far smaller). */
const MAX_RESPONSE_CHARS = 1_000_000;

export interface PlatformAnswer {
  /** Null when no HTTP answer came (timeout, refused, DNS). */
  statusCode: number | null;
  /** The parsed JSON body, undefined when there was none or it was not JSON. */
  json: unknown;
  text: string;
  /** The network failure in the webhooks' fixed phrases (delivery-error.ts), null when an answer came. */
  networkError: string | null;
}

/**
 * One call to a platform's API. fetch rather than the webhooks' pinned sender: the base URLs are the
 * operator's configuration (GOOGLE_ADS_API_URL…), never an account's input, so there is no SSRF to
 * guard against, and the whole JSON answer is needed (partial failures), not an excerpt.
 */
export async function callPlatform(
  url: string,
  init: { method: 'POST' | 'GET'; headers: Record<string, string>; body?: string },
  timeoutMs: number,
): Promise<PlatformAnswer> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    const cause = error instanceof Error ? error.cause : undefined;
    return {
      statusCode: null,
      json: undefined,
      text: '',
      networkError: timedOut ? DELIVERY_ERRORS.timedOut : describeConnectionError(cause),
    };
  }
  let text = '';
  try {
    text = (await response.text()).slice(0, MAX_RESPONSE_CHARS);
  } catch {
    return { statusCode: null, json: undefined, text: '', networkError: DELIVERY_ERRORS.timedOut };
  }
  let json: unknown;
  try {
    json = text.length > 0 ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { statusCode: response.status, json, text, networkError: null };
}

/** A plain object's field, for reading platforms' JSON without `any`. */
export function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)[name]
    : undefined;
}

export const asString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
export const asNumber = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);
export const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
export const asBoolean = (value: unknown): boolean | undefined => (typeof value === 'boolean' ? value : undefined);
