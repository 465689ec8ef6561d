import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, RateLimitError, type ErrorCode, type ErrorDetails } from '../errors.ts';

interface AjvIssue {
  keyword: string;
  instancePath: string;
  message?: string;
  params: Record<string, unknown>;
}

/**
 * `allowed_countries/0` → `allowed_countries.0` (the reference's form for a top-level list), and deeper
 * indexes in brackets, so a place in a nested structure reads as written: `flow.rules[2].paths[0].weight`.
 */
function dottedPath(instancePath: string): string {
  const segments = instancePath.replace(/^\//, '').split('/').filter(Boolean);
  return segments.reduce(
    (path, segment, i) =>
      i > 1 && /^\d+$/.test(segment) ? `${path}[${segment}]` : path ? `${path}.${segment}` : segment,
    '',
  );
}

function fieldOf(issue: AjvIssue, context: string | undefined): string {
  const path = dottedPath(issue.instancePath);
  const child = issue.params.missingProperty ?? issue.params.additionalProperty;
  if (typeof child === 'string') return path ? `${path}.${child}` : child;
  return path || (context === 'body' ? 'body' : (context ?? 'request'));
}

function messageOf(issue: AjvIssue, field: string): string {
  switch (issue.keyword) {
    case 'required':
      return `The ${field} field is required`;
    case 'additionalProperties':
      return `The ${field} field is not allowed`;
    case 'type':
      return `The ${field} field must be of type ${String(issue.params.type)}`;
    case 'enum':
      return `The ${field} field must be one of: ${(issue.params.allowedValues as unknown[]).join(', ')}`;
    default:
      return `The ${field} field ${issue.message ?? 'is invalid'}`;
  }
}

/** One entry per field, as in the reference's `details: { name: [...] }`. */
function detailsOf(issues: readonly AjvIssue[], context: string | undefined): ErrorDetails {
  const details: ErrorDetails = {};
  for (const issue of issues) {
    // anyOf/oneOf repeat their branches' failures; the branch messages say it better.
    if (issue.keyword === 'anyOf' || issue.keyword === 'oneOf') continue;
    const field = fieldOf(issue, context);
    const message = messageOf(issue, field);
    const list = (details[field] ??= []);
    if (!list.includes(message)) list.push(message);
  }
  return details;
}

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  401: 'AUTHENTICATION_ERROR',
  403: 'AUTHORIZATION_ERROR',
  404: 'NOT_FOUND',
  429: 'RATE_LIMIT_EXCEEDED',
};

const CLIENT_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Content-Type must be application/json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'The request body is empty; send a JSON object',
  FST_ERR_CTP_BODY_TOO_LARGE: 'The request body is too large',
  FST_ERR_CTP_INVALID_JSON_BODY: 'The request body is not valid JSON',
};

export function sendError(
  reply: FastifyReply,
  status: number,
  code: ErrorCode,
  message: string,
  details?: ErrorDetails,
) {
  return reply
    .status(status)
    .type('application/json; charset=utf-8')
    .send(errorBody(code, message, details));
}

/** Seconds a client is asked to wait when storage is away: long enough for a restart or a failover. */
const RETRY_AFTER_SECONDS = 5;

/** The error body of the API reference. */
export function errorBody(code: ErrorCode, message: string, details?: ErrorDetails): string {
  return JSON.stringify({ success: false, error: { code, message, ...(details ? { details } : {}) } });
}

/** How an error a handler let out is answered: status, extra headers, the reference's body, and what to log. */
export interface ErrorAnswer {
  readonly status: number;
  readonly code: ErrorCode;
  readonly message: string;
  readonly details?: ErrorDetails;
  /** Header name (as set) and value: Retry-After of a rate limit or of storage being away. */
  readonly header?: readonly [string, string];
  readonly log?: { readonly level: 'warn' | 'error'; readonly message: string };
}

/**
 * The one decision behind every error answer: Fastify's error handler and the tracker's lean listener
 * (routes/click-listener.ts) both answer from it. `isUnavailable`: the dialect's test for "the database
 * cannot be reached right now" (503, not a bug's 500).
 */
export function errorAnswerOf(error: unknown, isUnavailable: (error: unknown) => boolean): ErrorAnswer {
  if (error instanceof AppError) {
    const header = error instanceof RateLimitError ? (['Retry-After', String(error.retryAfterSeconds)] as const) : null;
    return {
      status: error.statusCode,
      code: error.code,
      message: error.message,
      ...(error.details ? { details: error.details } : {}),
      ...(header ? { header } : {}),
    };
  }
  const fastifyError = (error ?? {}) as Partial<FastifyError>;
  if (fastifyError.validation) {
    const details = detailsOf(fastifyError.validation as AjvIssue[], fastifyError.validationContext);
    const first = Object.values(details)[0]?.[0] ?? 'Request validation failed';
    return { status: 400, code: 'VALIDATION_ERROR', message: first, details };
  }
  const status = fastifyError.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const message =
      CLIENT_MESSAGES[fastifyError.code ?? ''] ??
      (error instanceof SyntaxError ? 'The request body is not valid JSON' : (fastifyError.message ?? ''));
    return { status, code: CODE_BY_STATUS[status] ?? 'VALIDATION_ERROR', message };
  }
  if (isUnavailable(error)) {
    return {
      status: 503,
      code: 'INTERNAL_ERROR',
      message: 'The database is unavailable at the moment; retry shortly',
      header: ['retry-after', String(RETRY_AFTER_SECONDS)],
      log: { level: 'warn', message: 'storage unavailable' },
    };
  }
  // Server faults are logged whole and answered without their details (no stack, no SQL).
  return {
    status: 500,
    code: 'INTERNAL_ERROR',
    message: 'Internal server error',
    log: { level: 'error', message: 'request failed' },
  };
}

/** `notFound` answers routes nobody registered outside /api (the dashboard's SPA fallback). */
export function installErrorHandlers(
  app: FastifyInstance,
  isUnavailable: (error: unknown) => boolean = () => false,
  notFound: (request: FastifyRequest, reply: FastifyReply) => unknown = sendRouteNotFound,
): void {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    const answer = errorAnswerOf(error, isUnavailable);
    if (answer.log) request.log[answer.log.level]({ err: error }, answer.log.message);
    if (answer.header) reply.header(answer.header[0], answer.header[1]);
    return sendError(reply, answer.status, answer.code, answer.message, answer.details);
  });

  app.setNotFoundHandler(notFound);
}

export function sendRouteNotFound(request: FastifyRequest, reply: FastifyReply) {
  return sendError(
    reply,
    404,
    'NOT_FOUND',
    `No route for ${request.method} ${(request.url.split('?')[0] ?? '').slice(0, 200)}`,
  );
}
