// One table of the reference's error codes and their HTTP status; every error response is built from it.
export const ERROR_STATUS = {
  VALIDATION_ERROR: 400,
  AUTHENTICATION_ERROR: 401,
  AUTHORIZATION_ERROR: 403,
  NOT_FOUND: 404,
  /** Deleting what something else still uses (an offer or lander in a campaign's flow). */
  CONFLICT: 409,
  RATE_LIMIT_EXCEEDED: 429,
  INTERNAL_ERROR: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
export type ErrorDetails = Record<string, string[]>;

export class AppError extends Error {
  readonly statusCode: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetails,
    statusCode?: number,
  ) {
    super(message);
    this.statusCode = statusCode ?? ERROR_STATUS[code];
  }
}

/** A 429 that says when to come back: the error handler sends it as Retry-After. */
export class RateLimitError extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('RATE_LIMIT_EXCEEDED', message);
  }
}

export function rateLimited(message: string, retryAfterSeconds: number): RateLimitError {
  return new RateLimitError(message, retryAfterSeconds);
}

export function validationError(field: string, message: string): AppError {
  return new AppError('VALIDATION_ERROR', message, { [field]: [message] });
}

export function conflict(message: string, details?: ErrorDetails): AppError {
  return new AppError('CONFLICT', message, details);
}

export function notFound(what: string): AppError {
  return new AppError('NOT_FOUND', `${what} not found`);
}

export function authenticationError(message = 'Invalid or expired token'): AppError {
  return new AppError('AUTHENTICATION_ERROR', message);
}

export function authorizationError(message = 'No permission for this action'): AppError {
  return new AppError('AUTHORIZATION_ERROR', message);
}
