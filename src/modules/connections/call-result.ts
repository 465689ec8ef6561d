/**
 * How one call to a platform ended, as the job runner acts on it:
 * - ok: done (changes say what happened on the platform);
 * - retry: a quota, a 5xx, a timeout: the job is tried again later (`retryAfterMs` when the platform said when);
 * - auth: the platform refused the credentials: the connection needs attention and its jobs wait;
 * - fail: the platform refused this request for good (a bad campaign id, a click it does not know).
 */
export type CallVerdict = 'ok' | 'retry' | 'auth' | 'fail';

export interface CallResult {
  verdict: CallVerdict;
  /** The one clear line for the connection's log and its last_error. */
  message: string;
  statusCode: number | null;
  /** The start of the platform's answer, for the log. */
  response: string | null;
  retryAfterMs?: number;
}
