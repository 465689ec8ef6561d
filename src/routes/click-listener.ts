import {
  createServer,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type Server,
  type ServerOptions,
  type ServerResponse,
} from 'node:http';
import type { TLSSocket } from 'node:tls';
import proxyAddr from '@fastify/proxy-addr';
import querystring from 'fast-querystring';
import type { FastifyBaseLogger, FastifyServerFactory } from 'fastify';
import { errorAnswerOf, errorBody } from '../http/error-handler.ts';
import type { ClickAnswer, ClickAnswerer, ClickRequest } from './click-answer.ts';

/**
 * What the lean path answers itself: GET or HEAD of /c/ and a plain uuid (one trailing slash allowed, as
 * Fastify's ignoreTrailingSlash does), then the query at the first `?` or `#`, as find-my-way splits it.
 * Anything else (an encoded or over-long uuid, another method, a body) goes to Fastify, which answers it
 * through the same route as before.
 */
const CLICK_URL = /^\/c\/([A-Za-z0-9]{1,32})\/?(?=[?#]|$)/;

type TrustProxy = boolean | readonly string[];
type Trust = (address: string, hop: number) => boolean;

/** Proxies' addresses remembered at most (the peers a click's X-Forwarded-For walk asks about). */
const TRUSTED_MEMO = 1024;

/**
 * The trust function Fastify builds from the same setting (its getTrustProxyFn), null when nothing is
 * trusted. proxy-addr's compiled function parses the address (ipaddr.js) on every call and ignores the hop
 * index, so its answer is remembered per address: the walk asks about the proxy's own address on every
 * click, and that is one address.
 */
function trustOf(trustProxy: TrustProxy): Trust | null {
  if (trustProxy === false) return null;
  if (trustProxy === true) return () => true;
  const trusts = proxyAddr.compile([...trustProxy]);
  const known = new Map<string, boolean>();
  return (address, hop) => {
    let trusted = known.get(address);
    if (trusted === undefined) {
      trusted = trusts(address, hop);
      if (known.size >= TRUSTED_MEMO) known.clear();
      known.set(address, trusted);
    }
    return trusted;
  };
}

/** Fastify's `request.protocol`: a trusted proxy's last X-Forwarded-Proto entry, else the socket's own. */
function protocolOf(request: IncomingMessage, trust: Trust | null): string {
  const socket = request.socket;
  const forwarded = request.headers['x-forwarded-proto'];
  // Node joins a repeated X-Forwarded-Proto into one string (only set-cookie comes as a list).
  if (
    trust !== null &&
    typeof forwarded === 'string' &&
    forwarded &&
    socket.remoteAddress !== undefined &&
    trust(socket.remoteAddress, 0)
  ) {
    const last = forwarded.lastIndexOf(',');
    return last === -1 ? forwarded.trim() : forwarded.slice(last + 1).trim();
  }
  return (socket as Partial<TLSSocket>).encrypted ? 'https' : 'http';
}

export interface ClickListenerDeps {
  answer: ClickAnswerer;
  /** The app's logger: an error the click lets out is logged as Fastify's error handler logs it. */
  log: FastifyBaseLogger;
  /** The dialect's "database unreachable" test (503 instead of 500), as given to the error handler. */
  isUnavailable: (error: unknown) => boolean;
}

/** Writes the headers Fastify's reply writes for the same answer (routes/tracking.ts `send`), in its order. */
function writeAnswer(response: ServerResponse, method: string, answer: ClickAnswer): void {
  if (answer.page === undefined) {
    // Fastify gives an empty body a zero length, except on HEAD, whose length is the GET's.
    response.writeHead(
      302,
      method === 'HEAD'
        ? { 'cache-control': 'no-store', location: answer.location }
        : { 'cache-control': 'no-store', location: answer.location, 'content-length': '0' },
    );
    response.end();
    return;
  }
  response.writeHead(answer.status, {
    'cache-control': 'no-store',
    'content-type': 'text/html; charset=utf-8',
    'content-length': answer.page.length,
  });
  response.end(answer.page.html);
}

/**
 * GET|HEAD /c/:uuid on a node:http listener of its own, ahead of Fastify's routing, hooks and reply
 * objects (which cost several times the bare server's work per click). Fastify still owns the server:
 * it listens, closes it, and answers every other request and whatever this path hands on.
 *
 * What runs for /c/ on Fastify's route and is kept here: the answer itself (click-answer.ts), the client
 * address and protocol as `request.ip` and `request.protocol` give them under TRUST_PROXY, the query as
 * Fastify's default parser reads it, errors as the error handler answers and logs them. What does not
 * apply to /c/ there either: security headers (the route opts out), API logging and the API guard
 * (/api only), the body deadline (a request with a body is handed on). While the app closes, requests
 * are handed on too, so Fastify answers them 503 as before.
 */
export function createClickListener(trustProxy: TrustProxy) {
  const trust = trustOf(trustProxy);
  let deps: ClickListenerDeps | undefined;

  const fail = (response: ServerResponse, error: unknown, current: ClickListenerDeps) => {
    const answer = errorAnswerOf(error, current.isUnavailable);
    if (answer.log) current.log[answer.log.level]({ err: error }, answer.log.message);
    if (response.headersSent) {
      response.destroy();
      return;
    }
    const body = errorBody(answer.code, answer.message, answer.details);
    const headers: OutgoingHttpHeaders = {};
    if (answer.header) headers[answer.header[0].toLowerCase()] = answer.header[1];
    headers['content-type'] = 'application/json; charset=utf-8';
    headers['content-length'] = String(Buffer.byteLength(body));
    response.writeHead(answer.status, headers);
    response.end(body);
  };

  /** Answers a click and says true, or says false for Fastify to answer the request. */
  const handle = (request: IncomingMessage, response: ServerResponse): boolean => {
    const current = deps;
    if (current === undefined) return false;
    const method = request.method;
    if (method !== 'GET' && method !== 'HEAD') return false;
    const url = request.url ?? '';
    const match = CLICK_URL.exec(url);
    if (match === null) return false;
    const headers = request.headers;
    if (headers['content-length'] !== undefined || headers['transfer-encoding'] !== undefined) return false;
    const pathLength = match[0].length;
    const click: ClickRequest = {
      method,
      headers,
      remoteAddress: request.socket.remoteAddress,
      clientIp: () => (trust === null ? request.socket.remoteAddress : proxyAddr(request, trust)),
      protocol: () => protocolOf(request, trust),
      query: () => (url.length > pathLength + 1 ? querystring.parse(url.slice(pathLength + 1)) : {}),
    };
    current.answer(match[1]!, click).then(
      (answer) => {
        try {
          writeAnswer(response, method, answer);
        } catch (error) {
          // A header Node refuses (a destination with a character it cannot send) is a server fault, as on Fastify.
          fail(response, error, current);
        }
      },
      (error: unknown) => fail(response, error, current),
    );
    return true;
  };

  /** Fastify's `serverFactory`: the server Fastify would build (http/1, its timeouts), with this path in front. */
  const serverFactory: FastifyServerFactory = (fastifyHandler, options) => {
    const server = createServer((options.http ?? {}) as ServerOptions, (request, response) => {
      if (!handle(request, response)) fastifyHandler(request, response);
    });
    const number = (name: string) => (typeof options[name] === 'number' ? (options[name] as number) : 0);
    // What Fastify sets on a server it builds itself (lib/server.js getServerInstance); it skips them for ours.
    server.keepAliveTimeout = number('keepAliveTimeout');
    server.requestTimeout = number('requestTimeout');
    server.setTimeout(number('connectionTimeout'));
    if (number('maxRequestsPerSocket') > 0) server.maxRequestsPerSocket = number('maxRequestsPerSocket');
    return server as Server;
  };

  return {
    serverFactory,
    /** Starts answering clicks (once the services exist). */
    attach(listenerDeps: ClickListenerDeps): void {
      deps = listenerDeps;
    },
    /** Hands every request to Fastify again: the app is closing, and Fastify answers them 503. */
    detach(): void {
      deps = undefined;
    },
  };
}

export type ClickListener = ReturnType<typeof createClickListener>;
