// AssessThreshold: the first step of a case. Runs the CSP's threshold rules as at the day the
// application was received (with the cases an officer has linked to it, for route B), stores the
// assessment, and tells the officer and the applicant. Returns the threshold decision's deadline only:
// the applicant's data is read here but never leaves the function.
import { requireCsp } from '#core/area-config.ts';
import { firstReminderAt, promisedDeadline } from '#core/deadlines.ts';
import { getApplicant } from '#data/case-store.ts';
import { CaseNotFoundError, WorkflowStateError } from '#data/errors.ts';
import { assessCase } from '#data/threshold-assessment.ts';
import type { WorkflowDependencies } from '#workflow/dependencies.ts';
import { applicantRecipient, staffRecipient } from '#workflow/recipients.ts';
import { stringFields, waitUntil, workflowHandler, workflowStep } from '#workflow/workflow-step.ts';

export function createAssessThresholdHandler(deps: WorkflowDependencies) {
  return workflowStep(
    (event) => stringFields(event, { reference: 'any' }),
    async ({ reference }) => {
      const { case: assessed } = await assessCase(deps.data, deps.area, reference, deps.clock());
      const applicant = await getApplicant(deps.data, reference);
      if (applicant === undefined) throw new CaseNotFoundError(reference);
      const csp = requireCsp(deps.area, assessed.csp);
      const due = assessed.deadlines.thresholdDecision;
      if (due === undefined) throw new WorkflowStateError(reference, 'no threshold decision deadline');
      const stored = assessed.thresholdAssessment;
      if (stored === null) throw new WorkflowStateError(reference, 'the case was not assessed');
      // The deadline runs from receipt; a case entered after it passed is promised a date from entry.
      const promise = promisedDeadline('thresholdDecision', csp, due, assessed.recordedAt);
      const late = promise.late ? { late: { receivedAt: assessed.receivedAt, promisedBy: promise.by } } : {};
      await deps.notifier.notify({
        to: staffRecipient('officer', assessed),
        template: 'new-case',
        key: '1',
        facts: {
          cspName: csp.name,
          thresholdDecisionDue: due,
          assessedMet: stored.met,
          route: stored.route,
          ...late,
        },
      });
      await deps.notifier.notify({
        to: applicantRecipient(assessed, applicant),
        template: 'application-acknowledged',
        key: '1',
        facts: { cspName: csp.name, thresholdDecisionDue: due, ...late },
      });
      return waitUntil(due, deps.clock(), firstReminderAt(due, assessed.recordedAt));
    },
  );
}

export const handler = workflowHandler(createAssessThresholdHandler);
