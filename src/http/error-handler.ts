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
    .send(JSON.stringify({ success: false, error: { code, message, ...(details ? { details } : {}) } }));
}

/** Seconds a client is asked to wait when storage is away: long enough for a restart or a failover. */
const RETRY_AFTER_SECONDS = 5;

/** `isUnavailable`: the dialect's test for "the database cannot be reached right now" (503, not a bug's 500). */
/** `notFound` answers routes nobody registered outside /api (the dashboard's SPA fallback). */
export function installErrorHandlers(
  app: FastifyInstance,
  isUnavailable: (error: unknown) => boolean = () => false,
  notFound: (request: FastifyRequest, reply: FastifyReply) => unknown = sendRouteNotFound,
): void {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    if (error instanceof RateLimitError) reply.header('Retry-After', String(error.retryAfterSeconds));
    if (error instanceof AppError) return sendError(reply, error.statusCode, error.code, error.message, error.details);
    if (error.validation) {
      const details = detailsOf(error.validation as AjvIssue[], error.validationContext);
      const first = Object.values(details)[0]?.[0] ?? 'Request validation failed';
      return sendError(reply, 400, 'VALIDATION_ERROR', first, details);
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const message =
        CLIENT_MESSAGES[error.code] ??
        (error instanceof SyntaxError ? 'The request body is not valid JSON' : error.message);
      return sendError(reply, status, CODE_BY_STATUS[status] ?? 'VALIDATION_ERROR', message);
    }
    if (isUnavailable(error)) {
      request.log.warn({ err: error }, 'storage unavailable');
      reply.header('retry-after', String(RETRY_AFTER_SECONDS));
      return sendError(reply, 503, 'INTERNAL_ERROR', 'The database is unavailable at the moment; retry shortly');
    }
    // Server faults are logged whole and answered without their details (no stack, no SQL).
    request.log.error({ err: error }, 'request failed');
    return sendError(reply, 500, 'INTERNAL_ERROR', 'Internal server error');
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
