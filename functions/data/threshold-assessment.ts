// The threshold assessment of a case with the cases linked to it (route B): the first one, made by the
// workflow's AssessThreshold step, and each new one when an officer changes the case's links. Each
// case is assessed as at its own receipt (core/threshold.ts), counting its group's households, and the
// assessment is stored on the case item conditional on its version and on its link group as read.
import { type AreaConfig, requireCsp } from '#core/area-config.ts';
import type {
  ApplicantRecord,
  CaseRecord,
  RecordedAction,
  StoredAssessment,
  TimelineEvent,
} from '#core/case-record.ts';
import { FIRST_CYCLE } from '#core/case-transitions.ts';
import {
  assessThreshold,
  complainantKey,
  type ReportedIncident,
  type ThresholdAssessment,
} from '#core/threshold.ts';
import { thresholdChecked } from '#core/timeline-words.ts';
import { canonicalHash } from '#data/canonical-hash.ts';
import { pendingActions } from '#data/case-decisions.ts';
import { caseItem } from '#data/case-items.ts';
import { linkedReferences, linkStateFrom, linkStateUnchanged, readLinkState } from '#data/case-links.ts';
import { type FirstStepReads, getApplicant, getApplicants, readCase } from '#data/case-store.ts';
import { eventPut } from '#data/case-timeline.ts';
import type { DataContext } from '#data/data-context.ts';
import { CaseNotFoundError } from '#data/errors.ts';
import {
  caseKeptChanging,
  LOST_RACE,
  retryOnLostRace,
  type TransactItem,
  transact,
} from '#data/transactions.ts';

/** An assessment to store, and the conditions it rests on (e.g. its link group being unchanged). */
export interface AssessmentToStore {
  readonly assessment: ThresholdAssessment & { readonly linkedReferences: readonly string[] };
  readonly conditions: readonly TransactItem[];
}

export interface StoredAssessmentResult {
  readonly case: CaseRecord;
  /** False when the case kept the assessment it had (the same one, or none asked for). */
  readonly changed: boolean;
}

/**
 * Stores the threshold assessment `assess` makes of the case as read, with a timeline event: the first
 * one, and a new one whenever it differs from the one stored (the case's links changed). `assess`
 * returns undefined to keep what is stored. The write is conditional on the case's version and on
 * `conditions`, and is made again from a fresh read when either changed; the same assessment again
 * writes nothing, so every run may repeat. The case stays `received` until its threshold-decision wait
 * is registered.
 */
export async function recordAssessment(
  ctx: DataContext,
  reference: string,
  now: Date,
  assess: (record: CaseRecord, fromFirstRead: boolean) => Promise<AssessmentToStore | undefined>,
  firstRead?: Pick<FirstStepReads, 'record' | 'internals'>,
): Promise<StoredAssessmentResult> {
  let given = firstRead;
  return retryOnLostRace(async (): Promise<StoredAssessmentResult | typeof LOST_RACE> => {
    // The caller's read serves the first attempt (and `assess` is told so); one that lost a race reads again.
    const fromFirstRead = given !== undefined;
    const { record, internals } = given ?? (await readCase(ctx, reference));
    given = undefined;
    const made = await assess(record, fromFirstRead);
    if (made === undefined) return { case: record, changed: false };
    const { assessment } = made;
    const stored = record.thresholdAssessment;
    if (stored !== null && sameAssessment(stored, assessment)) return { case: record, changed: false };
    const at = now.toISOString();
    const after: CaseRecord = {
      ...record,
      thresholdAssessment: { ...assessment, assessedAt: at },
      version: record.version + 1,
    };
    const written = await transact(ctx, [
      {
        Put: {
          TableName: ctx.tables.cases,
          Item: caseItem(after, internals),
          ConditionExpression: '#version = :version',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':version': record.version },
        },
      },
      ...made.conditions,
      eventPut(ctx, reference, assessedEvent(at, assessment, stored === null), `v${after.version}`),
    ]);
    return written ? { case: after, changed: true } : LOST_RACE;
  }, caseKeptChanging(reference));
}

function sameAssessment(stored: StoredAssessment, assessment: AssessmentToStore['assessment']): boolean {
  const { assessedAt: _assessedAt, ...kept } = stored;
  return canonicalHash(kept) === canonicalHash(assessment);
}

function assessedEvent(at: string, assessment: ThresholdAssessment, first: boolean): TimelineEvent {
  return {
    at,
    type: first ? 'threshold-assessed' : 'threshold-reassessed',
    summary: thresholdChecked(assessment, first),
    actor: { role: 'system' },
    audience: 'all',
  };
}

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

/**
 * Still waiting for its threshold decision: a decided case keeps the assessment its decision saw.
 * `firstCycle` is the first cycle's threshold decision as read with `record` (readForFirstStep).
 */
async function awaitsThresholdDecision(
  ctx: DataContext,
  record: CaseRecord,
  firstCycle?: { readonly decision: RecordedAction | undefined },
): Promise<boolean> {
  if (record.stage !== 'received' && record.stage !== 'awaiting-threshold-decision') return false;
  if (record.thresholdDecision !== null) return false;
  // A decision recorded and not yet applied by the workflow is a decision all the same; in the
  // first cycle the only one there can be is the one read with the case.
  if (firstCycle !== undefined && record.cycle === FIRST_CYCLE) {
    return firstCycle.decision === undefined || firstCycle.decision.appliedAt !== undefined;
  }
  const pending = await pendingActions(ctx, record.reference);
  return !pending.some((action) => action.kind === 'threshold-decision');
}

/**
 * Assesses the case with its link group as it is now, and stores the assessment if it differs from
 * the one stored, conditional on the group not changing meanwhile (else it is made again). A case that
 * has its threshold decision keeps its assessment. Safe to run any number of times. `firstRead` is the
 * case as the caller read it (readForFirstStep): its case item, links pointer and first cycle's threshold
 * decision serve the first attempt, and its applicant, written once with the case and never changed, every attempt.
 */
export async function assessCase(
  ctx: DataContext,
  area: AreaConfig,
  reference: string,
  now: Date,
  firstRead?: Pick<
    FirstStepReads,
    'record' | 'internals' | 'applicant' | 'linksPointer' | 'firstCycleThresholdDecision'
  >,
): Promise<StoredAssessmentResult> {
  const assess = async (
    record: CaseRecord,
    fromFirstRead: boolean,
  ): Promise<AssessmentToStore | undefined> => {
    // Read with the case: a case alone has no links pointer and an undecided one no decision (undefined).
    const first = fromFirstRead ? firstRead : undefined;
    const firstCycle = first && { decision: first.firstCycleThresholdDecision };
    if (!(await awaitsThresholdDecision(ctx, record, firstCycle))) return undefined;
    const [applicant, links] = await Promise.all([
      firstRead?.applicant ?? getApplicant(ctx, reference),
      first ? linkStateFrom(ctx, reference, first.linksPointer) : readLinkState(ctx, reference),
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
  };
  return recordAssessment(ctx, reference, now, assess, firstRead);
}
