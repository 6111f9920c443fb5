// The failures a request can meet, one class each. The error middleware (error-responses.ts) turns
// them into the contract's JSON errors: {"error": kind, "message": ..., ...details}.
import type { Issue } from '#core/schemas/issues.ts';

export abstract class HttpError extends Error {
  abstract readonly status: number;
  abstract readonly kind: string;

  /** Fields added to the error's JSON beside `error` and `message`. */
  details(): Record<string, unknown> {
    return {};
  }

  /** Headers the response needs beside the usual ones (e.g. WWW-Authenticate). */
  headers(): Record<string, string> {
    return {};
  }
}

/**
 * A validation error lists at most this many issues: a large body can hold tens of thousands of them,
 * and every issue listed would make the response past Lambda's 6 MB limit (a 500 in AWS).
 */
export const MAX_LISTED_ISSUES = 100;

export class ValidationError extends HttpError {
  readonly status = 400;
  readonly kind = 'validation';
  readonly issues: readonly Issue[];

  constructor(
    issues: readonly Issue[],
    message = 'Check the details you sent and try again.',
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'ValidationError';
    this.issues = issues;
  }

  /** The first issues, and when there are more, their number (`issueCount`) and `moreIssues: true`. */
  override details() {
    if (this.issues.length <= MAX_LISTED_ISSUES) return { issues: this.issues };
    return {
      issues: this.issues.slice(0, MAX_LISTED_ISSUES),
      moreIssues: true,
      issueCount: this.issues.length,
    };
  }
}

export class UnauthorizedError extends HttpError {
  readonly status = 401;
  readonly kind = 'unauthorized';

  constructor(message = 'Sign in to do this.', options?: ErrorOptions) {
    super(message, options);
    this.name = 'UnauthorizedError';
  }

  override headers() {
    return { 'www-authenticate': 'Bearer' };
  }
}

export class ForbiddenError extends HttpError {
  readonly status = 403;
  readonly kind = 'forbidden';

  constructor(message = 'You do not have access to this.', options?: ErrorOptions) {
    super(message, options);
    this.name = 'ForbiddenError';
  }
}

export class NotFoundError extends HttpError {
  readonly status = 404;
  readonly kind = 'not-found';

  constructor(message = 'There is nothing here.', options?: ErrorOptions) {
    super(message, options);
    this.name = 'NotFoundError';
  }
}

export class ConflictError extends HttpError {
  readonly status = 409;
  readonly kind = 'conflict';
  /** The case's current stage, when the conflict is about a case. */
  readonly stage: string | undefined;

  constructor(message: string, stage?: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConflictError';
    this.stage = stage;
  }

  override details() {
    return this.stage === undefined ? {} : { stage: this.stage };
  }
}

export class PayloadTooLargeError extends HttpError {
  readonly status = 413;
  readonly kind = 'payload-too-large';
  readonly limitBytes: number;

  constructor(limitBytes: number, options?: ErrorOptions) {
    super(`The request is too large. Send at most ${limitBytes.toLocaleString('en-GB')} bytes.`, options);
    this.name = 'PayloadTooLargeError';
    this.limitBytes = limitBytes;
  }
}

export class UnsupportedMediaTypeError extends HttpError {
  readonly status = 415;
  readonly kind = 'unsupported-media-type';

  constructor(
    message = 'Send the body as JSON, with the header Content-Type: application/json.',
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'UnsupportedMediaTypeError';
  }
}

export class TooManyRequestsError extends HttpError {
  readonly status = 429;
  readonly kind = 'too-many-requests';
  readonly retryAfterSeconds: number;

  constructor(retryAfterSeconds: number, options?: ErrorOptions) {
    super(`Too many requests. Try again in ${retryAfterSeconds} seconds.`, options);
    this.name = 'TooManyRequestsError';
    this.retryAfterSeconds = retryAfterSeconds;
  }

  override headers() {
    return { 'retry-after': String(this.retryAfterSeconds) };
  }
}
