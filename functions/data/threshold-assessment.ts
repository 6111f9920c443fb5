// The threshold assessment of a case with the cases linked to it (route B): the first one, made by the
// workflow's AssessThreshold step, and each new one when an officer changes the case's links. Each
// case is assessed as at its own receipt (core/threshold.ts), counting its group's households.
import { type AreaConfig, requireCsp } from '#core/area-config.ts';
import type { ApplicantRecord, CaseRecord } from '#core/case-record.ts';
import { assessThreshold, complainantKey, type ReportedIncident } from '#core/threshold.ts';
import { linkedReferences, linkStateUnchanged, readLinkState } from '#data/case-links.ts';
import {
  type AssessmentToStore,
  recordAssessment,
  type StoredAssessmentResult,
} from '#data/case-progress.ts';
import { getApplicant, getApplicants, pendingActions } from '#data/case-repository.ts';
import type { DataContext } from '#data/clients.ts';
import { CaseNotFoundError } from '#data/errors.ts';

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

/** Still waiting for its threshold decision: a decided case keeps the assessment its decision saw. */
async function awaitsThresholdDecision(ctx: DataContext, record: CaseRecord): Promise<boolean> {
  if (record.stage !== 'received' && record.stage !== 'awaiting-threshold-decision') return false;
  if (record.thresholdDecision !== null) return false;
  // A decision recorded and not yet applied by the workflow is a decision all the same.
  const pending = await pendingActions(ctx, record.reference);
  return !pending.some((action) => action.kind === 'threshold-decision');
}

/**
 * Assesses the case with its link group as it is now, and stores the assessment if it differs from
 * the one stored, conditional on the group not changing meanwhile (else it is made again). A case that
 * has its threshold decision keeps its assessment. Safe to run any number of times.
 */
export async function assessCase(
  ctx: DataContext,
  area: AreaConfig,
  reference: string,
  now: Date,
): Promise<StoredAssessmentResult> {
  return recordAssessment(ctx, reference, now, async (record): Promise<AssessmentToStore | undefined> => {
    if (!(await awaitsThresholdDecision(ctx, record))) return undefined;
    const [applicant, links] = await Promise.all([
      getApplicant(ctx, reference),
      readLinkState(ctx, reference),
    ]);
    if (applicant === undefined) throw new CaseNotFoundError(reference);
    const others = linkedReferences(links);
    const linked = await getApplicants(ctx, others);
    const assessment = assessThreshold({
      receivedAt: record.receivedAt,
      complainantKey: complainant(applicant),
      incidents: reported(applicant),
      linkedApplications: linked.map((other) => ({
        complainantKey: complainant(other),
        incidents: reported(other),
      })),
      rules: requireCsp(area, record.csp).threshold,
    });
    return {
      assessment: { ...assessment, linkedReferences: linked.map((other) => other.reference) },
      conditions: linkStateUnchanged(ctx, links),
    };
  });
}
