// Storing a new application and starting its case review: the domain operation behind
// POST /api/applications, apart from HTTP.

import { hashAccessCode, newAccessCode, newCaseReference } from '#api/case-identifiers.ts';
import { ensureCaseReviewStarted } from '#api/case-review-starter.ts';
import type { WorkflowContext } from '#api/dependencies.ts';
import type { AreaConfig } from '#core/area-config.ts';
import type { Actor } from '#core/case-record.ts';
import type { Application } from '#core/schemas.ts';
import { createCase, ReferenceTakenError } from '#data/case-store.ts';
import type { DataContext } from '#data/clients.ts';

export interface Submission {
  readonly reference: string;
  /** Shown once: only its hash is stored. */
  readonly accessCode: string;
  readonly stage: 'received';
}

export class NoFreeReferenceError extends Error {
  constructor(attempts: number, options?: ErrorOptions) {
    super(`No free case reference after ${attempts} attempts`, options);
    this.name = 'NoFreeReferenceError';
  }
}

// 40 random bits per reference: a clash is rare, three in a row would mean something else is wrong.
const REFERENCE_ATTEMPTS = 3;

/**
 * Stores the application (counted as received in the same transaction) and starts its execution. The
 * case is stored first, so a failure to start leaves a stored, counted case that the next request
 * about it starts (ensureCaseReviewStarted); it never loses the application.
 */
export async function submitApplication(
  data: DataContext,
  workflow: WorkflowContext,
  area: AreaConfig,
  input: { readonly application: Application; readonly enteredBy: Actor; readonly now: Date },
): Promise<Submission> {
  let lastClash: ReferenceTakenError | undefined;
  for (let attempt = 0; attempt < REFERENCE_ATTEMPTS; attempt += 1) {
    const reference = newCaseReference(input.application.csp);
    const accessCode = newAccessCode();
    try {
      await createCase(data, area, { ...input, reference, accessCodeHash: hashAccessCode(accessCode) });
    } catch (error) {
      if (!(error instanceof ReferenceTakenError)) throw error;
      lastClash = error;
      continue;
    }
    await ensureCaseReviewStarted(workflow, reference);
    return { reference, accessCode, stage: 'received' };
  }
  throw new NoFreeReferenceError(REFERENCE_ATTEMPTS, { cause: lastClash });
}
