// node:http(s) rather than fetch: its `lookup` option lets the connection use the address url-safety
// checked, while TLS still verifies the certificate against the host name (no rebinding window).
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { parseTargetUrl, resolveTarget, UnsafeTargetError, type Resolve } from '../url-safety.ts';
import { DELIVERY_ERRORS, describeConnectionError } from './delivery-error.ts';

/** Read at most this much of a receiver's answer; keep a shorter excerpt in the delivery record. */
export const MAX_RESPONSE_BYTES = 64 * 1024;
export const EXCERPT_CHARS = 500;

export interface SendResult {
  /** Null when no HTTP answer came (network error, timeout, refused target). */
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  responseExcerpt: string | null;
}

export interface SendOptions {
  url: string;
  /** POST (webhooks, with `body`) or GET (postbacks to traffic sources: everything is in the URL). */
  method?: 'POST' | 'GET';
  body?: string;
  headers: Record<string, string>;
  timeoutMs: number;
  allowPrivate: boolean;
  resolve?: Resolve;
}

/** Reads up to MAX_RESPONSE_BYTES, then stops listening: a receiver cannot make us buffer a large answer. */
function readCapped(response: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = () => resolve(Buffer.concat(chunks).toString('utf8'));
    response.on('data', (chunk: Buffer) => {
      if (size >= MAX_RESPONSE_BYTES) return;
      chunks.push(chunk.subarray(0, MAX_RESPONSE_BYTES - size));
      size += chunk.length;
      if (size >= MAX_RESPONSE_BYTES) {
        finish();
        response.destroy();
      }
    });
    response.on('end', finish);
    response.on('error', finish);
    response.on('close', finish);
  });
}

export async function sendWebhook(options: SendOptions, clock: () => number = Date.now): Promise<SendResult> {
  const started = clock();
  const elapsed = () => Math.max(0, Math.round(clock() - started));
  let target;
  try {
    target = await resolveTarget(parseTargetUrl(options.url), options.allowPrivate, options.resolve);
  } catch (error) {
    // The reason (which address a name resolved to) stays out of the record: see delivery-error.ts.
    // A lookup that failed, or found nothing, is a DNS failure whatever its code (an outage, a name gone).
    const unsafe = error instanceof UnsafeTargetError && !error.message.endsWith('does not resolve');
    const message = unsafe ? DELIVERY_ERRORS.unsafe : DELIVERY_ERRORS.dns;
    return { statusCode: null, latencyMs: elapsed(), error: message, responseExcerpt: null };
  }
  const pinned: LookupFunction = (_hostname, lookupOptions, callback) => {
    if (lookupOptions.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
  const send = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const done = (result: Omit<SendResult, 'latencyMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, latencyMs: elapsed() });
    };
    const req = send(
      target.url,
      {
        method: options.method ?? 'POST',
        // A fresh connection per attempt: a pooled socket could outlive the address check.
        agent: false,
        lookup: pinned,
        headers:
          options.body === undefined
            ? options.headers
            : { ...options.headers, 'content-length': String(Buffer.byteLength(options.body)) },
      },
      (response) => {
        void readCapped(response).then((text) => {
          done({
            statusCode: response.statusCode ?? null,
            error:
              response.statusCode && response.statusCode >= 200 && response.statusCode < 300
                ? null
                : `HTTP ${response.statusCode}`,
            responseExcerpt: text.length > 0 ? text.slice(0, EXCERPT_CHARS) : null,
          });
        });
      },
    );
    // One deadline for connect, send and the whole answer.
    const timer = setTimeout(() => {
      done({ statusCode: null, error: DELIVERY_ERRORS.timedOut, responseExcerpt: null });
      req.destroy();
    }, options.timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) =>
      done({ statusCode: null, error: describeConnectionError(error), responseExcerpt: null }),
    );
    req.end(options.body);
  });
}
