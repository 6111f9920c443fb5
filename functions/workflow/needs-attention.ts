// NeedsAttention: the state machine's catch-all. A step failed after its retries (or a wait was failed
// by anything but a withdrawal), so the case is marked as needing attention, when and why ('step-failed':
// never case details), for its officer to see on the case and the worklist, and counted once in the
// CasesNeedingAttention metric that the operators' alarm watches. The execution then fails, and the
// reconciler (run at once on a failed execution, and daily) resumes the case at its wait.
//
// A case that closed before the failure (the PCC's decision closes it, then CloseDecided failed) has
// nothing to resume: it is not marked, but its data is given its retention date here, as CloseCase
// would have done.

import { markNeedsAttention } from '#data/case-attention.ts';
import { closeCase } from '#data/case-closure.ts';
import { getCase } from '#data/case-store.ts';
import { CaseNotFoundError } from '#data/errors.ts';
import { countCaseNeedingAttention } from '#shared/metrics.ts';
import type { WorkflowDependencies } from '#workflow/dependencies.ts';
import { stringFields, workflowHandler, workflowStep } from '#workflow/workflow-step.ts';

export function createNeedsAttentionHandler(deps: WorkflowDependencies) {
  return workflowStep(
    (event) => stringFields(event, { reference: 'any' }),
    async ({ reference }) => {
      const now = deps.clock();
      const record = await getCase(deps.data, reference, { consistent: true });
      if (record === undefined) throw new CaseNotFoundError(reference);
      if (record.stage === 'closed') {
        await closeCase(deps.data, deps.area, reference, 'decided', {
          now,
          retentionYears: deps.retentionYears,
        });
        return { marked: false };
      }
      // A mark the reconciler has not acted on yet is this same stop's (the step retried after writing it).
      if (record.needsAttention !== null && record.needsAttention.resumedBy === undefined) {
        return { marked: false };
      }
      const marked = await markNeedsAttention(deps.data, reference, {
        since: now.toISOString(),
        reason: 'step-failed',
      });
      if (marked) {
        countCaseNeedingAttention(deps.metrics);
        deps.logger.warn('The case needs attention: a step failed after its retries', { reference });
      }
      return { marked };
    },
  );
}

export const handler = workflowHandler(createNeedsAttentionHandler);
