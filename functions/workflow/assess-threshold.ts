// AssessThreshold: the first step of a case. Runs the CSP's threshold rules as at the day the
// application was received (with the open applications it links to, for route B), stores the
// assessment, and tells the officer and the applicant. Returns the threshold decision's deadline only:
// the applicant's data is read here but never leaves the function.
import { requireCsp } from '#core/area-config.ts';
import { firstReminderAt, promisedDeadline } from '#core/deadlines.ts';
import { assessThreshold, complainantKey, type ReportedIncident } from '#core/threshold.ts';
import { recordAssessment } from '#data/case-progress.ts';
import type { ApplicantRecord } from '#data/case-records.ts';
import { findLinkedCases, getApplicant, getApplicants, getCase } from '#data/case-repository.ts';
import { CaseNotFoundError, WorkflowStateError } from '#data/errors.ts';
import { defaultDependencies, type WorkflowDependencies } from '#workflow/dependencies.ts';
import { applicantRecipient, staffRecipient } from '#workflow/recipients.ts';
import { stringFields, waitUntil, workflowStep } from '#workflow/workflow-step.ts';

const reported = (applicant: ApplicantRecord): ReportedIncident[] =>
  applicant.incidents.map(
    ({ occurredOn, reportedOn, reportedTo, hateMotivated, alsoReportedTo, description }) => ({
      occurredOn,
      reportedOn,
      reportedTo,
      hateMotivated,
      alsoReportedTo: alsoReportedTo?.map((other) => ({
        reportedOn: other.reportedOn,
        reportedTo: other.reportedTo,
      })),
      description,
    }),
  );

const complainant = (applicant: ApplicantRecord) =>
  complainantKey({
    applicant: applicant.applicant,
    ...(applicant.onBehalfOf && { onBehalfOf: applicant.onBehalfOf }),
  });

export function createAssessThresholdHandler(deps: WorkflowDependencies) {
  return workflowStep(
    (event) => stringFields(event, { reference: 'any' }),
    async ({ reference }) => {
      const [record, applicant] = await Promise.all([
        getCase(deps.data, reference),
        getApplicant(deps.data, reference),
      ]);
      if (record === undefined || applicant === undefined) throw new CaseNotFoundError(reference);
      const csp = requireCsp(deps.area, record.csp);
      const linkedCases = await findLinkedCases(deps.data, record);
      const linked = await getApplicants(
        deps.data,
        linkedCases.map((other) => other.reference),
      );
      const assessment = assessThreshold({
        receivedAt: record.receivedAt,
        complainantKey: complainant(applicant),
        incidents: reported(applicant),
        linkedApplications: linked.map((other) => ({
          complainantKey: complainant(other),
          incidents: reported(other),
        })),
        rules: csp.threshold,
      });
      const assessed = await recordAssessment(
        deps.data,
        reference,
        { ...assessment, linkedReferences: linkedCases.map((other) => other.reference) },
        deps.clock.now(),
      );
      const due = assessed.deadlines.thresholdDecision;
      if (due === undefined) throw new WorkflowStateError(reference, 'no threshold decision deadline');
      const stored = assessed.thresholdAssessment ?? { ...assessment, linkedReferences: [] };
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
      return waitUntil(due, deps.clock.now(), firstReminderAt(due, assessed.recordedAt));
    },
  );
}

export const handler = (event: unknown) => createAssessThresholdHandler(defaultDependencies())(event);
