// NeedsAttention: the state machine's catch-all. A step failed after its retries (or a wait was failed
// by anything but a withdrawal), so the case is marked as needing attention, when and why ('step-failed':
// never case details), for its officer to see on the case and the worklist, and counted once in the
// CasesNeedingAttention metric that the operators' alarm watches. The execution then fails, and the
// reconciler (run at once on a failed execution, and daily) resumes the case: at its wait, or, when the
// failed step (`step`, the state's name) is one that sends letters (LETTER_STEPS), at that step again,
// so that the applicant still hears of the decision or the closure.
//
// A case that closed before the failure (the PCC's decision closes it, then CloseDecided failed) is
// given its retention date here, as CloseCase would have done; it is marked only when a letter step
// failed, since nothing else of it is left to resume.

import { isLetterStep } from '#core/case-record.ts';
import { markNeedsAttention } from '#data/case-attention.ts';
import { closeCase } from '#data/case-closure.ts';
import { getCase } from '#data/case-store.ts';
import { CaseNotFoundError } from '#data/errors.ts';
import { countCaseNeedingAttention } from '#shared/metrics.ts';
import type { WorkflowDependencies } from '#workflow/dependencies.ts';
import {
  InvalidStepInputError,
  stringFields,
  workflowHandler,
  workflowStep,
} from '#workflow/workflow-step.ts';

/** The failed state's name; the definition of a release before this one does not send it. */
function failedStepOf(event: unknown): string | undefined {
  const value = (event as Record<string, unknown>).step;
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') {
    throw new InvalidStepInputError("The event's step must be a non-empty string");
  }
  return value;
}

export function createNeedsAttentionHandler(deps: WorkflowDependencies) {
  return workflowStep(
    (event) => ({ ...stringFields(event, { reference: 'any' }), failedStep: failedStepOf(event) }),
    async ({ reference, failedStep }) => {
      const now = deps.clock();
      const record = await getCase(deps.data, reference, { consistent: true });
      if (record === undefined) throw new CaseNotFoundError(reference);
      const redo = isLetterStep(failedStep) ? failedStep : undefined;
      if (record.stage === 'closed') {
        await closeCase(deps.data, deps.area, reference, 'decided', {
          now,
          retentionYears: deps.retentionYears,
        });
        if (redo === undefined) return { marked: false };
      }
      // A mark the reconciler has not acted on yet is this same stop's (the step retried after writing it).
      if (record.needsAttention !== null && record.needsAttention.resumedBy === undefined) {
        return { marked: false };
      }
      const marked = await markNeedsAttention(deps.data, reference, {
        since: now.toISOString(),
        reason: 'step-failed',
        ...(redo && { redo }),
      });
      if (marked) {
        countCaseNeedingAttention(deps.metrics);
        deps.logger.warn('The case needs attention: a step failed after its retries', {
          reference,
          ...(failedStep && { step: failedStep }),
        });
      }
      return { marked };
    },
  );
}

export const handler = workflowHandler(createNeedsAttentionHandler);
