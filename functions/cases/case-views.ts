// What each reader sees of a case (contract.md, GET /api/cases/{reference}). Staff and the PCC's office
// see the whole case with its audit trail; the applicant sees their case's progress and the reasons
// for each decision, but not other people's data (staff names, linked applications), not agency
// responses and not internal notes (staff-only timeline events, the audit trail).
import { actionPlanView } from '#core/action-plan.ts';
import type { CaseReader } from '#core/case-access.ts';
import { type Actor, type CaseRecord, cycleOfAction } from '#core/case-record.ts';
import {
  applicantMeetingView,
  type CaseContact,
  requestStatuses,
  staffMeetingView,
} from '#core/case-review.ts';
import { meetingOf } from '#core/case-review-state.ts';
import { isOverdue } from '#core/deadlines.ts';
import { evidenceVisibleTo, isAwaitingFile } from '#core/evidence-access.ts';
import { isAbandonedUpload } from '#core/evidence-files.ts';
import type { EvidenceRecord } from '#data/case-evidence.ts';
import type { CaseView as StoredCase } from '#data/case-store.ts';

const asPublished = (actor: Actor) => ({ role: actor.role });
const asStaffSee = (actor: Actor) => ({
  role: actor.role,
  ...(actor.name !== undefined && { name: actor.name }),
  ...(actor.agency !== undefined && { agency: actor.agency }),
});

/** A file as the case view lists it; why it was rejected, for whoever may see it. */
const evidenceEntry = (file: EvidenceRecord, addedBy: { role: string }) => ({
  id: file.id,
  name: file.name,
  type: file.type ?? null,
  size: file.size,
  addedBy,
  addedAt: file.addedAt,
  verdict: file.verdict,
  ...(file.reason !== undefined && { reason: file.reason }),
});

/**
 * The plan of the current review cycle, else the latest one (replaced by a new review, still shown), as
 * `audience` sees it; null before any outcome.
 */
function currentPlan(view: StoredCase, audience: 'staff' | 'applicant', now: Date) {
  const { plans } = view.review.state;
  const plan = plans.find((each) => each.cycle === view.case.cycle) ?? plans.at(-1);
  return plan === undefined ? null : actionPlanView(plan, audience, now.toISOString());
}

/**
 * Fields every reader sees, with the victim's contact for the case review (the CSP's team until an
 * officer names a person), how the victim takes part (their own choice, so the applicant sees it) and
 * the action plan (the applicant reads its actions' notes, not who wrote them).
 */
function progress(view: StoredCase, contact: CaseContact, audience: 'staff' | 'applicant', now: Date) {
  const record = view.case;
  return {
    reference: record.reference,
    csp: record.csp,
    pccArea: record.pccArea,
    stage: record.stage,
    receivedAt: record.receivedAt,
    channel: record.channel,
    victimType: record.victimType,
    deadlines: record.deadlines,
    nextDeadline: record.nextDeadline,
    overdue: record.nextDeadline !== null && isOverdue(record.nextDeadline, now),
    closure: record.closure,
    contact,
    involvement: view.review.state.involvement,
    actionPlan: currentPlan(view, audience, now),
  };
}

export function applicantView(view: StoredCase, contact: CaseContact, now: Date) {
  const { thresholdAssessment, thresholdDecision, reviewOutcome, referral, pccDecision } = view.case;
  const meeting = meetingOf(view.review.state, view.case.cycle);
  return {
    ...progress(view, contact, 'applicant', now),
    meeting: meeting === null ? null : applicantMeetingView(meeting, view.review.state.involvement),
    thresholdAssessment:
      thresholdAssessment === null
        ? null
        : {
            met: thresholdAssessment.met,
            route: thresholdAssessment.route,
            reasons: thresholdAssessment.reasons,
          },
    thresholdDecision:
      thresholdDecision === null
        ? null
        : {
            met: thresholdDecision.met,
            route: thresholdDecision.route,
            reason: thresholdDecision.reason,
            at: thresholdDecision.at,
          },
    reviewOutcome:
      reviewOutcome === null
        ? null
        : {
            heldOn: reviewOutcome.heldOn,
            summary: reviewOutcome.summary,
            ...(reviewOutcome.findings !== undefined && { findings: reviewOutcome.findings }),
            recommendations: reviewOutcome.recommendations,
            at: reviewOutcome.at,
          },
    referral: referral === null ? null : { reason: referral.reason, at: referral.at },
    pccDecision:
      pccDecision === null
        ? null
        : { outcome: pccDecision.outcome, reason: pccDecision.reason, at: pccDecision.at },
    // What the applicant has asked for (withdrawal, referral) as recorded, applied by the workflow or not
    // yet: /track stops offering it at once, while the stage follows when the workflow applies it.
    asked: view.actions
      .filter(
        (action) =>
          (action.kind === 'withdraw' || action.kind === 'referral') &&
          action.cycle === cycleOfAction(action.kind, view.case.cycle),
      )
      .map((action) => action.kind),
    evidence: view.evidence
      .filter((file) => evidenceVisibleTo({ kind: 'applicant' }, file) && !isAbandonedUpload(file, now))
      .map((file) => evidenceEntry(file, asPublished(file.addedBy))),
    timeline: view.timeline
      .filter((event) => event.audience === 'all')
      .map((event) => ({
        at: event.at,
        type: event.type,
        summary: event.summary,
        actor: asPublished(event.actor),
      })),
  };
}

/** The cases linked to this one as being about the same behaviour (route B), as staff see them. */
function linkEntries(links: readonly CaseRecord[]) {
  return links.map((linked) => ({
    reference: linked.reference,
    stage: linked.stage,
    receivedAt: linked.receivedAt,
  }));
}

export function staffView(view: StoredCase, contact: CaseContact, links: readonly CaseRecord[], now: Date) {
  const record = view.case;
  const { thresholdDecision, reviewOutcome, referral, pccDecision } = record;
  const by = <T extends { by: Actor }>(decision: T | null) =>
    decision === null ? null : { ...decision, by: asStaffSee(decision.by) };
  const meeting = meetingOf(view.review.state, record.cycle);
  return {
    ...progress(view, contact, 'staff', now),
    meeting: meeting === null ? null : staffMeetingView(meeting),
    recordedAt: record.recordedAt,
    onBehalf: record.onBehalf,
    cycle: record.cycle,
    sharedWith: record.sharedWith,
    waitingFor: record.waitingFor,
    // This cycle's decisions as recorded, applied by the workflow or not yet: the pages say what was
    // recorded at once, while the stage and the decision's own field follow when the workflow applies it.
    recordedDecisions: view.actions
      .filter((action) => action.cycle === cycleOfAction(action.kind, record.cycle))
      .map(({ bodyHash: _hash, ...action }) => ({ ...action, actor: asStaffSee(action.actor) })),
    needsAttention: record.needsAttention,
    assignedTo: view.assignee,
    caseNotes: view.notes.map((note) => ({ at: note.at, text: note.text, by: asStaffSee(note.by) })),
    thresholdAssessment: record.thresholdAssessment,
    links: linkEntries(links),
    thresholdDecision: by(thresholdDecision),
    reviewOutcome: by(reviewOutcome),
    referral: by(referral),
    pccDecision: by(pccDecision),
    withdrawal: by(record.withdrawal),
    application: {
      applicant: view.applicant.applicant,
      onBehalfOf: view.applicant.onBehalfOf,
      description: view.applicant.description,
      impact: view.applicant.impact,
      incidents: view.applicant.incidents,
      involved: view.applicant.involved ?? [],
      witnesses: view.applicant.witnesses ?? [],
    },
    informationRequests: requestStatuses(
      view.review.state.informationRequests,
      view.responses.filter((response) => response.cycle === record.cycle).map((response) => response.agency),
      record.cycle,
      now,
    ),
    agencyResponses: view.responses.map((response) => ({
      agency: response.agency,
      summary: response.summary,
      ...(response.actionsTaken !== undefined && { actionsTaken: response.actionsTaken }),
      ...(response.currentPosition !== undefined && { currentPosition: response.currentPosition }),
      at: response.at,
      cycle: response.cycle,
      by: asStaffSee(response.by),
    })),
    evidence: view.evidence
      .filter((file) => !isAwaitingFile(file) && !isAbandonedUpload(file, now))
      .map((file) => ({
        ...evidenceEntry(file, asStaffSee(file.addedBy)),
        sharedWithApplicant: file.addedBy.role === 'applicant' || file.sharedWithApplicant === true,
      })),
    timeline: view.timeline.map((event) => ({ ...event, actor: asStaffSee(event.actor) })),
    audit: view.audit.map((entry) => ({ at: entry.at, what: entry.what, actor: asStaffSee(entry.actor) })),
  };
}

export function caseViewFor(
  reader: CaseReader,
  view: StoredCase,
  contact: CaseContact,
  links: readonly CaseRecord[],
  now: Date,
): CaseView {
  return reader.kind === 'applicant'
    ? applicantView(view, contact, now)
    : staffView(view, contact, links, now);
}

/** A case as its applicant sees it. */
export type ApplicantCaseView = ReturnType<typeof applicantView>;
/** A case as staff who may see it see it, with its application, audit trail and links. */
export type StaffCaseView = ReturnType<typeof staffView>;
export type CaseView = ApplicantCaseView | StaffCaseView;
