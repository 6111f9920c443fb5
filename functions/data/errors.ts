// What the data layer reports when a request cannot be carried out. The client-facing ones are domain
// errors (core/errors.ts), so that both doors map them as they map any other; WorkflowStateError is a
// fault of ours, which fails the workflow step so that its Retry applies.
import { ConflictError, InvalidInputError, NotFoundError } from '#core/errors.ts';

/** No case has this reference (never created, or deleted at the end of its retention). */
export class CaseNotFoundError extends NotFoundError {
  readonly reference: string;

  constructor(reference: string, options?: ErrorOptions) {
    super('There is no case with this reference.', options);
    this.name = 'CaseNotFoundError';
    this.reference = reference;
  }
}

/** A worklist cursor this service did not issue, or issued for another query. */
export class InvalidCursorError extends InvalidInputError {
  constructor(options?: ErrorOptions) {
    const message = 'The page cursor is not valid: start again from the first page';
    super([{ path: 'cursor', message }], undefined, options);
    this.name = 'InvalidCursorError';
  }
}

/** Other writers kept changing the case while this write was retried: the caller may try again. */
export class ConcurrentCaseUpdateError extends ConflictError {
  readonly reference: string;

  constructor(reference: string, options?: ErrorOptions) {
    super('The case was changing while this was being saved, so it was not. Try again.', undefined, options);
    this.name = 'ConcurrentCaseUpdateError';
    this.reference = reference;
  }
}

/** The workflow asked for something the case's stored state does not support (a programming error). */
export class WorkflowStateError extends Error {
  readonly reference: string;

  constructor(reference: string, message: string, options?: ErrorOptions) {
    super(`Case ${reference}: ${message}`, options);
    this.name = 'WorkflowStateError';
    this.reference = reference;
  }
}
