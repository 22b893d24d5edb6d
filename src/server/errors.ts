// The error vocabulary of the API (rule SEC-2): 404 for what the caller may not see, 403 with a
// reason for what is visible but not theirs, 409 naming the stage and what is allowed now, 400 with
// the failing fields. The error handler turns these into precise answers, never a 500.

export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export class NotFoundError extends AppError {
  constructor(what = 'record', details: Record<string, unknown> = {}) {
    super(404, 'not_found', `No such ${what}.`, details);
  }
}

/** A refusal by policy: audited in its own transaction after the command rolls back (SEC-3). */
export class ForbiddenError extends AppError {
  constructor(reason: string, details: Record<string, unknown> = {}) {
    super(403, 'forbidden', reason, details);
  }
}

export class ConflictError extends AppError {
  constructor(
    message: string,
    details: { stage?: string; allowedActions?: readonly string[] } & Record<string, unknown> = {},
  ) {
    super(409, 'conflict', message, details);
  }
}

export class BadRequestError extends AppError {
  constructor(message: string, fields: { path: string; message: string }[] = []) {
    super(400, 'bad_request', message, { fields });
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'Sign in first.') {
    super(401, 'unauthorized', message);
  }
}

export class TooManyRequestsError extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(429, 'too_many_requests', message, { retryAfterSeconds });
  }
}

/** The database is down, restarting or busy: nothing was saved; the client may try again (Retry-After). */
export class ServiceUnavailableError extends AppError {
  constructor(
    message = 'The database is not reachable right now. Nothing was saved. Try again in a moment.',
    readonly retryAfterSeconds = 5,
  ) {
    super(503, 'unavailable', message);
  }
}

/** The database's disk is full: nothing was saved, and trying again will not help until space is freed. */
export class InsufficientStorageError extends AppError {
  constructor(
    message = "The database's disk is full, so nothing was saved. Ask your administrator to free space, then try again.",
  ) {
    super(507, 'storage_full', message);
  }
}
