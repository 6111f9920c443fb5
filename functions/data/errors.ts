// What the case repository reports when a request cannot be carried out. The API maps them to HTTP
// (404, 409, 400); the workflow lets the unexpected ones fail the step so that its Retry applies.
import type { CaseStage } from '#core/stages.ts';

export class CaseDataError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CaseDataError';
  }
}

/** No case has this reference. */
export class CaseNotFoundError extends CaseDataError {
  readonly reference: string;

  constructor(reference: string, options?: ErrorOptions) {
    super(`No case ${reference}`, options);
    this.name = 'CaseNotFoundError';
    this.reference = reference;
  }
}

/** The case is not at a stage where this can happen (a 409 that names the current stage). */
export class StageConflictError extends CaseDataError {
  readonly stage: CaseStage;
  readonly action: string;

  constructor(action: string, stage: CaseStage, options?: ErrorOptions) {
    super(`The ${action} action is not possible while the case is ${stage}`, options);
    this.name = 'StageConflictError';
    this.stage = stage;
    this.action = action;
  }
}

/** The same action already took effect with a different body (a 409). */
export class ActionConflictError extends CaseDataError {
  readonly stage: CaseStage;
  readonly action: string;

  constructor(action: string, stage: CaseStage, options?: ErrorOptions) {
    super(`A different ${action} has already been recorded for this case; the case is ${stage}`, options);
    this.name = 'ActionConflictError';
    this.stage = stage;
    this.action = action;
  }
}

/** A worklist cursor this service did not issue, or issued for another query (a 400). */
export class InvalidCursorError extends CaseDataError {
  constructor(options?: ErrorOptions) {
    super('The page cursor is not valid: start again from the first page', options);
    this.name = 'InvalidCursorError';
  }
}

/** Other writers kept changing the case while this write was retried: the caller may try again. */
export class ConcurrentCaseUpdateError extends CaseDataError {
  readonly reference: string;

  constructor(reference: string, options?: ErrorOptions) {
    super(`Case ${reference} kept changing while it was being updated`, options);
    this.name = 'ConcurrentCaseUpdateError';
    this.reference = reference;
  }
}

/** The workflow asked for something the case's stored state does not support (a programming error). */
export class WorkflowStateError extends CaseDataError {
  readonly reference: string;

  constructor(reference: string, message: string, options?: ErrorOptions) {
    super(`Case ${reference}: ${message}`, options);
    this.name = 'WorkflowStateError';
    this.reference = reference;
  }
}
