// Why a request cannot be carried out, one class per failure, the same for both doors. Each says what
// went wrong for a person (`message`) and which of the contract's failures it is (`kind`); the API maps
// the kind to an HTTP status once (api/http/error-responses.ts), the pages to a page once
// (web/error-pages.ts). Any other error is a fault of ours (a 500 that shows nothing of it).
import type { Issue } from '#core/schemas/issues.ts';
import type { CaseStage } from '#core/stages.ts';

/** The contract's error kinds (contract.md "Errors"), each the `error` of the JSON body. */
export type FailureKind =
  | 'validation'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'gone'
  | 'payload-too-large'
  | 'unsupported-media-type'
  | 'too-many-requests';

export abstract class DomainError extends Error {
  abstract readonly kind: FailureKind;
}

/** The request's details are not valid; `issues` says which and why. */
export class InvalidInputError extends DomainError {
  readonly kind = 'validation';
  readonly issues: readonly Issue[];

  constructor(
    issues: readonly Issue[],
    message = 'Check the details you sent and try again.',
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'InvalidInputError';
    this.issues = issues;
  }
}

/** Only a signed-in staff member, or the applicant with the case's access code, may do this. */
export class NotSignedInError extends DomainError {
  readonly kind = 'unauthorized';

  constructor(message = 'Sign in to do this.', options?: ErrorOptions) {
    super(message, options);
    this.name = 'NotSignedInError';
  }
}

/** The caller is known, and may not do this. */
export class NotAllowedError extends DomainError {
  readonly kind = 'forbidden';

  constructor(message = 'You do not have access to this.', options?: ErrorOptions) {
    super(message, options);
    this.name = 'NotAllowedError';
  }
}

export class NotFoundError extends DomainError {
  readonly kind = 'not-found';

  constructor(message = 'There is nothing here.', options?: ErrorOptions) {
    super(message, options);
    this.name = 'NotFoundError';
  }
}

/** What was asked for existed and never will again (an evidence file rejected by its checks or scan). */
export class GoneError extends DomainError {
  readonly kind = 'gone';

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'GoneError';
  }
}

/** The request is valid but the case (or the service's state) does not allow it now. */
export class ConflictError extends DomainError {
  readonly kind = 'conflict';
  /** The case's current stage, when the conflict is about a case. */
  readonly stage: CaseStage | undefined;

  constructor(message: string, stage?: CaseStage, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConflictError';
    this.stage = stage;
  }
}

/** The case is not at a stage where this can happen. */
export class StageConflictError extends ConflictError {
  readonly action: string;

  constructor(action: string, stage: CaseStage, options?: ErrorOptions) {
    super(`The ${action} action is not possible while the case is ${stage}.`, stage, options);
    this.name = 'StageConflictError';
    this.action = action;
  }
}

/**
 * A submission's key was used before for an application with other answers: the first one was recorded,
 * as the case `reference` (not secret on its own; its access code is never given again).
 */
export class AlreadySubmittedError extends ConflictError {
  readonly reference: string;

  constructor(message: string, reference: string, options?: ErrorOptions) {
    super(message, undefined, options);
    this.name = 'AlreadySubmittedError';
    this.reference = reference;
  }
}

/** The same request is still being carried out (a double click, a second tab, a client's retry). */
export class StillProcessingError extends ConflictError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, undefined, options);
    this.name = 'StillProcessingError';
  }
}

export class TooLargeError extends DomainError {
  readonly kind = 'payload-too-large';
  readonly limitBytes: number;

  constructor(limitBytes: number, options?: ErrorOptions) {
    super(`The request is too large. Send at most ${limitBytes.toLocaleString('en-GB')} bytes.`, options);
    this.name = 'TooLargeError';
    this.limitBytes = limitBytes;
  }
}

export class UnsupportedMediaTypeError extends DomainError {
  readonly kind = 'unsupported-media-type';

  constructor(
    message = 'Send the body as JSON, with the header Content-Type: application/json.',
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'UnsupportedMediaTypeError';
  }
}

export class RateLimitedError extends DomainError {
  readonly kind = 'too-many-requests';
  readonly retryAfterSeconds: number;

  constructor(retryAfterSeconds: number, options?: ErrorOptions) {
    super(`Too many requests. Try again in ${retryAfterSeconds} seconds.`, options);
    this.name = 'RateLimitedError';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
