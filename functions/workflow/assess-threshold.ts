// AssessThreshold: the first step of a case. Runs the CSP's threshold rules as at the day the
// application was received (with the cases an officer has linked to it, for route B), stores the
// assessment, and tells the officer and (unless the submission did, with the access code) the
// applicant. Returns the threshold decision's deadline only: the applicant's data is read here but never
// leaves the function.
import { requireCsp } from '#core/area-config.ts';
import { firstReminderAt } from '#core/deadlines.ts';
import { readForFirstStep } from '#data/case-store.ts';
import { CaseNotFoundError, WorkflowStateError } from '#data/errors.ts';
import { assessCase } from '#data/threshold-assessment.ts';
import { ACKNOWLEDGEMENT_KEY, acknowledgementFacts } from '#shared/acknowledgement.ts';
import { applicantRecipient, staffRecipient } from '#shared/recipients.ts';
import type { WorkflowDependencies } from '#workflow/dependencies.ts';
import { stringFields, waitUntil, workflowHandler, workflowStep } from '#workflow/workflow-step.ts';

export function createAssessThresholdHandler(deps: WorkflowDependencies) {
  return workflowStep(
    (event) => stringFields(event, { reference: 'any' }),
    async ({ reference }) => {
      const reads = await readForFirstStep(deps.data, reference);
      if (reads === undefined) throw new CaseNotFoundError(reference);
      const { case: assessed } = await assessCase(deps.data, deps.area, reference, deps.clock(), reads);
      const csp = requireCsp(deps.area, assessed.csp);
      const due = assessed.deadlines.thresholdDecision;
      if (due === undefined) throw new WorkflowStateError(reference, 'no threshold decision deadline');
      const stored = assessed.thresholdAssessment;
      if (stored === null) throw new WorkflowStateError(reference, 'the case was not assessed');
      // The deadline runs from receipt; a case entered after it passed is promised a date from entry.
      const facts = acknowledgementFacts(csp, assessed, due, reads.review.state.contact);
      await deps.notifier.notify({
        to: staffRecipient('officer', assessed),
        template: 'new-case',
        key: '1',
        facts: {
          cspName: csp.name,
          thresholdDecisionDue: due,
          assessedMet: stored.met,
          route: stored.route,
          ...(facts.late && { late: facts.late }),
        },
      });
      // Sent with the access code at submission unless that failed: then here, without the code.
      if (!reads.acknowledgedWithCode) {
        await deps.notifier.notify({
          to: applicantRecipient(assessed, reads.applicant),
          template: 'application-acknowledged',
          key: ACKNOWLEDGEMENT_KEY,
          facts,
        });
      }
      return waitUntil(due, deps.clock(), firstReminderAt(due, assessed.recordedAt));
    },
  );
}

export const handler = workflowHandler(createAssessThresholdHandler);
