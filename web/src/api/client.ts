import createClient, { type Middleware } from 'openapi-fetch';
import type { paths, components } from './schema';
import { session } from './session';

export type { paths, components };

/** Typed by the server's own OpenAPI document: a path or field the API lacks does not compile. */
export const api = createClient<paths>({ baseUrl: window.location.origin });

export interface RateLimit {
  limit: number;
  remaining: number;
  reset: number;
}

let rateLimit: RateLimit | null = null;
const rateListeners = new Set<() => void>();
export const rateLimitStore = {
  get: () => rateLimit,
  subscribe(listener: () => void) {
    rateListeners.add(listener);
    return () => rateListeners.delete(listener);
  },
};

/** Remembers the X-RateLimit-* headers of the latest /api answer (Settings shows them). */
export function noteRateLimit(response: Response) {
  const limit = response.headers.get('x-ratelimit-limit');
  const remaining = response.headers.get('x-ratelimit-remaining');
  const reset = response.headers.get('x-ratelimit-reset');
  if (limit === null || remaining === null || reset === null) return;
  rateLimit = { limit: Number(limit), remaining: Number(remaining), reset: Number(reset) };
  for (const listener of rateListeners) listener();
}

const auth: Middleware = {
  onRequest({ request }) {
    const token = session.token();
    if (token && !request.headers.has('authorization')) request.headers.set('authorization', `Bearer ${token}`);
    return request;
  },
  onResponse({ request, response }) {
    noteRateLimit(response);
    // An expired or revoked token: back to sign-in (a failed sign-in carries no token and stays put).
    if (response.status === 401 && request.headers.has('authorization'))
      session.signOut('Your session ended. Please sign in again.');
    return response;
  },
};
api.use(auth);

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: Record<string, string[]>,
  ) {
    super(message);
  }
}

interface ErrorBody {
  error?: { message?: string; details?: Record<string, string[]> };
}

/** The envelope's data, or an ApiError with the server's own message. */
export async function call<T>(request: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result;
  try {
    result = await request;
  } catch {
    throw new ApiError(0, 'The server cannot be reached. Check your connection and try again.');
  }
  if (result.error !== undefined || !result.response.ok) {
    const body = result.error as ErrorBody | undefined;
    throw new ApiError(
      result.response.status,
      body?.error?.message ?? `Request failed (${result.response.status})`,
      body?.error?.details,
    );
  }
  return result.data as T;
}

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    const details = error.details ? Object.values(error.details).flat() : [];
    return details.length > 1 ? `${error.message} (${details.slice(1).join('; ')})` : error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/** A GET outside the typed client (non-JSON answers), with the session's header; an ApiError unless 2xx. */
async function fetchAuthenticated(path: string): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(path, { headers: { authorization: `Bearer ${session.token() ?? ''}` } });
  } catch {
    throw new ApiError(0, 'The server cannot be reached. Check your connection and try again.');
  }
  noteRateLimit(response);
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as ErrorBody;
    throw new ApiError(
      response.status,
      body.error?.message ?? `Request failed (${response.status})`,
      body.error?.details,
    );
  }
  return response;
}

/** A JSON answer read outside the typed client: a query whose keys are data (a report's dimension filters). */
export async function fetchJson<T>(path: string): Promise<T> {
  return (await (await fetchAuthenticated(path)).json()) as T;
}

/** A text/plain answer (an exclusion list), as the server wrote it. */
export async function fetchText(path: string): Promise<string> {
  return (await fetchAuthenticated(path)).text();
}

/** Downloads an authenticated file: fetch with the header, then save through a Blob URL. */
export async function downloadFile(path: string, filename: string) {
  saveBlob(await (await fetchAuthenticated(path)).blob(), filename);
}

/** Saves data the page already holds as a file, through a Blob URL. */
export function saveBlob(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The `data` of an operation's 200 answer, straight from the generated paths. */
type Ok<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  responses: { 200: { content: { 'application/json': { data: infer D } } } };
}
  ? D
  : never;
export type Campaign = Ok<'/api/v1/campaigns/{id}', 'get'>;
export type TrafficSource = Ok<'/api/v1/traffic-sources/{id}', 'get'>;
export type ClickDetail = Ok<'/api/v1/clicks/{clickid}', 'get'>;
export type ClickSummary = Ok<'/api/v1/clicks', 'get'>[number];
export type Offer = Ok<'/api/v1/offers/{id}', 'get'>;
export type Lander = Ok<'/api/v1/landers/{id}', 'get'>;
export type FraudReport = Ok<'/api/v2/fraud/report/{id}', 'get'>;
/** What the live feed sends: a click in the list shape with its verdict and reasons. */
export type LiveClick = ClickSummary & Pick<ClickDetail, 'primary_fraud_type' | 'reasons'>;
export type PostbackLogEntry = Ok<'/api/v1/traffic-sources/{id}/postbacks', 'get'>[number];
export type PostbackTestResult = Ok<'/api/v1/traffic-sources/{id}/postbacks/test', 'post'>;
export type Placement = Ok<'/api/v1/traffic-sources/{id}/placements', 'get'>[number];
export type CostRange = Ok<'/api/v1/campaigns/{id}/costs', 'get'>[number];
/** A page of a report with its meta (totals, the page's place), as `GET /api/v2/reports` answers. */
export type ReportPage = paths['/api/v2/reports']['get']['responses'][200]['content']['application/json'];
