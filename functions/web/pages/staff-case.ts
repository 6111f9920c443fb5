// A case for staff (/staff/cases/{reference}; the PCC office's view at /pcc/referrals/{reference}): the
// assessment's reasons, the application and its incidents, agency responses, decisions, the timeline and
// audit trail, the linked cases (route B, staff-links.ts), and the form for whatever the stage needs
// from this person. Each form posts to /staff/cases/{reference}/{action}, which runs the case operation
// of that action (or, for `links`, the links operation).

import { REVIEW_STEPS, type ReviewStep } from '#cases/case-review-steps.ts';
import type { StaffCaseView } from '#cases/case-views.ts';
import { AGENCY_LABELS, AGENCY_NAMES } from '#core/agency-names.ts';
import { cspById } from '#core/area-config.ts';
import type { DecisionBody } from '#core/case-record.ts';
import { REVIEW_ACTION_STAGES, whenMayTake, whoMayTake } from '#core/case-review-rules.ts';
import { meetingTime } from '#core/case-review-wording.ts';
import { isOverdue, nextDeadline } from '#core/deadlines.ts';
import { ConflictError, InvalidInputError, NotFoundError } from '#core/errors.ts';
import { addDays, ukDateOf, ukInstantAt } from '#core/local-date.ts';
import { CASE_ACTIONS, type CaseAction, isActionAllowed } from '#core/stages.ts';
import type { StaffIdentity } from '#shared/staff-token.ts';
import { oneLine } from '../apply/check-answers.ts';
import {
  boxesOf,
  type DatePart,
  dateBoxes,
  readDateInput,
  readTimeInput,
  timeBoxOf,
} from '../apply/date-input.ts';
import { redirect } from '../http/response.ts';
import type { StaffPage, StaffPageContext } from '../page-context.ts';
import { contactRows } from '../render/contact-rows.ts';
import {
  answersOfInvolvement,
  howItems,
  involvementAnswersOf,
  involvementBody,
  involvementField,
  involvementRows,
} from '../render/involvement.ts';
import { type FieldError, pageErrors } from '../render/page-errors.ts';
import {
  actionCards,
  actionStatusText,
  inviteeName,
  MEETING_FORMAT,
  staffMeetingRows,
} from '../render/review-views.ts';
import {
  AUDIT_WHAT,
  CHANNEL_NAME,
  CLOCK_NAME,
  CLOSURE_REASON,
  CONTACT_NAME,
  formatDate,
  formatDateTime,
  HATE_MOTIVATION_NAME,
  nameOf,
  PCC_OUTCOME_NAME,
  REPORTED_TO_NAME,
  ROUTE_NAME,
  STAFF_ROLE_NAME,
  STAGE_NAME,
  STAGE_TAG_CLASS,
  VICTIM_TYPE_NAME,
} from '../render/words.ts';
import { setFlash, takeFlash } from '../session/flash.ts';
import {
  caseWithUploadSection,
  downloadFile,
  fileList,
  grantUploads,
  withUploadTargets,
} from './evidence.ts';
import { awaitingResponses, reviewTasks } from './review-tasks.ts';
import { requireStaff, type StaffCaller } from './staff-access.ts';
import { type LinksFormState, linksModel, submitLinks } from './staff-links.ts';

const MAX_RECOMMENDATION_ROWS = 50;

/**
 * Whether this cycle's decision of `action` is recorded: the workflow moves the stage a moment later, and
 * until then the page shows what was recorded, never the form again.
 */
function recorded(action: CaseAction, view: StaffCaseView): boolean {
  return view.recordedDecisions.some((decision) => decision.kind === action);
}

const WORKFLOW_MOVES_IT = 'The case moves on as soon as the workflow has applied it.';

type RecordedBodies = { readonly [D in DecisionBody as D['kind']]?: D['body'] };

/** The bodies of this cycle's recorded decisions, by kind, whether or not the workflow has applied them. */
function recordedBodies(view: StaffCaseView): RecordedBodies {
  const bodies: Record<string, unknown> = {};
  for (const decision of view.recordedDecisions) bodies[decision.kind] = decision.body;
  return bodies;
}

/**
 * The notification banner after a form: what is now recorded, read from the case as it is now (a
 * decision from what was recorded, which the workflow may not have applied yet).
 */
function banner(done: string, view: StaffCaseView): { success: boolean; text: string } | undefined {
  if (done.startsWith(PROGRESS_FLASH)) return progressBanner(done.slice(PROGRESS_FLASH.length), view);
  if (done === 'file-unchanged') {
    return { success: false, text: 'Nothing was changed: whom that file is shared with cannot change now.' };
  }
  if (done.startsWith(FILE_FLASH)) return fileBanner(done.slice(FILE_FLASH.length), view);
  const recorded = recordedBodies(view);
  const success = (text: string) => ({ success: true, text });
  const waiting = (stage: StaffCaseView['stage']) => (view.stage === stage ? ` ${WORKFLOW_MOVES_IT}` : '');
  switch (done) {
    case 'threshold-decision': {
      const decision = recorded['threshold-decision'];
      if (decision === undefined) return undefined;
      const what = decision.met ? `met (${nameOf(ROUTE_NAME, decision.route)})` : 'not met';
      return success(`Threshold decision recorded: ${what}.${waiting('awaiting-threshold-decision')}`);
    }
    case 'agency-responses': {
      const latest = view.agencyResponses.reduce<StaffCaseView['agencyResponses'][number] | undefined>(
        (found, response) => (found === undefined || response.at > found.at ? response : found),
        undefined,
      );
      return (
        latest &&
        success(
          `Recorded: the response from ${nameOf(AGENCY_NAMES, latest.agency)} was received, and the case review officer can see it.`,
        )
      );
    }
    case 'review-outcome': {
      const outcome = recorded['review-outcome'];
      if (outcome === undefined) return undefined;
      const actions = outcome.recommendations.length;
      return success(
        `Review outcome recorded: held on ${formatDate(outcome.heldOn)}, ${actions === 0 ? 'no actions' : actions === 1 ? '1 action' : `${actions} actions`}.${waiting('awaiting-review')}`,
      );
    }
    case 'action-plan': {
      const plan = recorded['action-plan'];
      if (plan === undefined) return undefined;
      const actions = plan.recommendations.length;
      return success(
        `The action plan is final, with ${actions === 1 ? '1 action' : `${actions} actions`}. The applicant and each action’s owner are told.${waiting('action-plan-consultation')}`,
      );
    }
    case 'referral':
      return success(`The request for a PCC referral is recorded.${waiting('review-complete')}`);
    case 'pcc-decision': {
      const decision = recorded['pcc-decision'];
      return decision === undefined
        ? undefined
        : success(
            `Decision recorded: ${nameOf(PCC_OUTCOME_NAME, decision.outcome).toLowerCase()}.${waiting('awaiting-pcc-decision')}`,
          );
    }
    case 'withdraw':
      return success(
        view.stage === 'closed'
          ? 'The application is withdrawn and the case is closed.'
          : `The withdrawal is recorded. ${WORKFLOW_MOVES_IT}`,
      );
    case 'information-requests': {
      const asked = view.informationRequests.map(
        (request) => `${nameOf(AGENCY_LABELS, request.agency)} (reply by ${formatDate(request.dueBy)})`,
      );
      return asked.length === 0 ? undefined : success(`Agencies asked: ${asked.join(', ')}.`);
    }
    case 'review-meeting':
      return view.meeting === null
        ? undefined
        : success(
            `Meeting saved: ${meetingTime(view.meeting.at)}, ${MEETING_FORMAT[view.meeting.format].toLowerCase()}. Everyone invited has been told (the applicant only if they chose to attend).`,
          );
    case 'contact':
      return success(
        `Contact saved: ${view.contact.name}, ${view.contact.phone}. The applicant has been told who their contact is.`,
      );
    case 'involvement': {
      const how =
        view.involvement === null
          ? undefined
          : involvementRows(answersOfInvolvement(view.involvement), 'staff')[0];
      return how && success(`Saved how the victim takes part: ${how.value.text}.`);
    }
    case 'links':
      return success(
        'The links were saved. Each linked case still waiting for its threshold decision has been checked against the threshold again.',
      );
    case 'moved-on':
      return {
        success: false,
        text: 'Nothing was recorded, because the case had already moved on. Check its stage below.',
      };
    default:
      return undefined;
  }
}

/** The flash of a progress note names the action: `progress-1-2`. */
const PROGRESS_FLASH = 'progress-';

/** After a progress note: the action's status as it is now, and what became of the case. */
function progressBanner(actionId: string, view: StaffCaseView) {
  const plan = view.actionPlan;
  const index = plan?.actions.findIndex((action) => action.id === actionId) ?? -1;
  const action = plan?.actions[index];
  if (plan === null || action === undefined) return undefined;
  const open = plan.actions.filter((each) => each.status === 'open' || each.status === 'in-progress').length;
  const after =
    view.stage === 'closed'
      ? ' Every action is finished, and the case is closed.'
      : open === 0
        ? ' Every action is finished: the case closes once nothing else keeps it open.'
        : ` ${open === 1 ? '1 action is' : `${open} actions are`} still open.`;
  return {
    success: true,
    text: `Progress recorded on action ${index + 1}: ${actionStatusText(action)}. The applicant can read your note.${after}`,
  };
}

/** Which of this person's forms the case shows at its stage. */
function formsFor(staff: StaffIdentity, view: StaffCaseView): CaseAction[] {
  const byRole: Readonly<Record<StaffIdentity['role'], readonly CaseAction[]>> = {
    officer: [
      'threshold-decision',
      'agency-responses',
      'review-outcome',
      'action-plan',
      'referral',
      'withdraw',
    ],
    agency: ['agency-responses'],
    pcc: ['pcc-decision'],
  };
  return byRole[staff.role].filter(
    (action) => isActionAllowed(action, view.stage) && !recorded(action, view),
  );
}

/** A form of the case page: one of the contract's actions, or one of the review's information steps. */
type PageAction = CaseAction | ReviewStep;

const isReviewStep = (action: string): action is ReviewStep =>
  (REVIEW_STEPS as readonly string[]).includes(action);
const isPageAction = (action: string): action is PageAction =>
  (CASE_ACTIONS as readonly string[]).includes(action) || isReviewStep(action);

/**
 * The review's information steps this person may take now, by the operations' own rules (an outcome
 * recorded and not yet applied by the workflow ends those before it: their forms would be the old state
 * still on screen under the banner that says the review is recorded).
 */
function reviewStepsFor(staff: StaffIdentity, view: StaffCaseView, now: Date): ReviewStep[] {
  const referralWindow = view.deadlines?.referralWindow;
  const facts = {
    stage: view.stage,
    reviewRecorded:
      (view.reviewOutcome !== null && view.reviewOutcome.cycle === view.cycle) ||
      recorded('review-outcome', view),
    referralWindowEnded: referralWindow !== undefined && isOverdue(referralWindow, now.toISOString()),
  };
  return REVIEW_STEPS.filter(
    (step) =>
      whoMayTake(step, { role: staff.role }, { askedAgencies: [] }).allowed &&
      whenMayTake(step, facts).allowed,
  );
}

interface FormState {
  readonly action: PageAction | 'action-progress';
  readonly values: Record<string, unknown>;
  readonly errors: readonly FieldError[];
  readonly dateErrorParts: Record<string, readonly DatePart[]>;
  readonly rows?: number;
}

/**
 * Why the officer may need to confirm the route: the check found these routes (or none), and any
 * other choice, or discretion where a route was found, is recorded only when confirmed.
 */
function confirmHint(view: StaffCaseView): string {
  const found = view.thresholdAssessment?.routesMet ?? [];
  const finding =
    found.length === 0
      ? 'The check did not find any route met.'
      : `The check found the threshold met by route ${found.join(' and ')}.`;
  return `${finding} To record another route, or a decision at the partners’ discretion where the check found a route, tick to confirm that you have checked the application and mean it.`;
}

/** Who works on the case, as the officer reads it. */
function assignedToText(staff: StaffIdentity, view: StaffCaseView): string {
  if (view.assignedTo === null) return 'Nobody yet';
  return view.assignedTo.sub === staff.sub ? `You (${view.assignedTo.name})` : view.assignedTo.name;
}

const REQUEST_STATUS: Readonly<Record<StaffCaseView['informationRequests'][number]['status'], string>> = {
  answered: 'Answered',
  waiting: 'Waiting',
  overdue: 'Overdue',
};

/** An agency's response as its form's answers, for the agency to change it. */
function responseValues(response: StaffCaseView['agencyResponses'][number]) {
  return {
    summary: response.summary,
    actionsTaken: response.actionsTaken ?? '',
    currentPosition: response.currentPosition ?? '',
  };
}

/** The meeting as arranged, as its form's answers, so that moving it changes only what moved. */
function meetingValues(meeting: StaffCaseView['meeting']): Record<string, unknown> {
  if (meeting === null) return {};
  return {
    date: boxesOf(ukDateOf(meeting.at)),
    time: timeBoxOf(meeting.at),
    format: meeting.format,
    location: meeting.location,
    'chair-name': meeting.chair.name,
    'chair-organisation': meeting.chair.organisation,
    'chair-independent': meeting.chair.independent ? 'yes' : 'no',
    invitees: meeting.invitees,
  };
}

/** The draft plan's actions as the final plan's form rows, so the officer changes only what changed. */
function draftPlanValues(view: StaffCaseView) {
  const actions = view.actionPlan?.status === 'draft' ? view.actionPlan.actions : [];
  const values: Record<string, unknown> = {};
  actions.forEach((action, index) => {
    const n = index + 1;
    const [year, month, day] = action.dueBy.split('-');
    values[`action-${n}`] = action.action;
    values[`owner-${n}`] = action.owner;
    values[`dueBy-${n}`] = { day: String(Number(day)), month: String(Number(month)), year };
  });
  return { values, rows: Math.max(actions.length, 1) };
}

const PROGRESS_STAGES: readonly string[] = REVIEW_ACTION_STAGES['action-progress'];

/**
 * The "Update progress" form under an action of the final plan, for the officer and the action's owner
 * agency while the plan is followed; with the answers and problems of the last try at it.
 */
function progressForm(staff: StaffIdentity, view: StaffCaseView, index: number, form?: FormState) {
  const plan = view.actionPlan;
  const action = plan?.actions[index];
  if (plan === null || action === undefined || plan.status !== 'final' || plan.replaced) return undefined;
  if (!PROGRESS_STAGES.includes(view.stage)) return undefined;
  if (staff.role !== 'officer' && !(staff.role === 'agency' && staff.agency === action.owner))
    return undefined;
  const mine = form?.action === 'action-progress' && form.values.actionId === action.id;
  const errors = mine ? pageErrors(form.errors).byField : {};
  const prefix = `progress-${action.id}`;
  return {
    actionId: action.id,
    number: index + 1,
    prefix,
    status: mine ? String(form.values.status ?? '') : '',
    note: mine ? String(form.values.note ?? '') : '',
    errors,
  };
}

function caseModel(
  context: StaffPageContext,
  staff: StaffIdentity,
  view: StaffCaseView,
  done: string | undefined,
  form?: FormState,
) {
  const area = context.deps.area;
  const due = view.deadlines ? nextDeadline(view.stage, view.deadlines) : null;
  const text = (value: string | undefined | null) => ({ text: value || 'Not given' });
  const row = (key: string, value: { text: string }) => ({ key: { text: key }, value });
  const base = staff.role === 'pcc' ? '/pcc/referrals' : '/staff/cases';
  const planForm = view.stage === 'action-plan-consultation' ? draftPlanValues(view) : undefined;
  const ownResponse =
    staff.role === 'agency'
      ? view.agencyResponses.find(
          (response) => response.agency === staff.agency && response.cycle === view.cycle,
        )
      : undefined;
  const ownRequest =
    staff.role === 'agency'
      ? view.informationRequests.find((request) => request.agency === staff.agency)
      : undefined;
  const recommendationRows =
    form?.action === 'review-outcome' || form?.action === 'action-plan'
      ? (form.rows ?? 1)
      : (planForm?.rows ?? 1);
  const involvementValues =
    form?.action === 'involvement' ? form.values : answersOfInvolvement(view.involvement);
  const { application } = view;
  const { applicant, onBehalfOf } = application;
  const forms = formsFor(staff, view);
  return {
    title: `Case ${view.reference}`,
    backLink: base,
    view,
    staffRole: staff.role,
    agencyName: nameOf(AGENCY_LABELS, staff.agency),
    stageName: STAGE_NAME[view.stage],
    stageClass: STAGE_TAG_CLASS[view.stage],
    summaryRows: [
      row('Council area', text(cspById(area, view.csp)?.name ?? view.csp)),
      row('Received', text(formatDateTime(view.receivedAt))),
      row('How it was received', text(nameOf(CHANNEL_NAME, view.channel))),
      row('Who it is affecting', text(nameOf(VICTIM_TYPE_NAME, view.victimType))),
      row(
        'Next deadline',
        text(
          due
            ? `${nameOf(CLOCK_NAME, due.clock)}: ${formatDate(due.due)}${view.overdue ? ' (overdue)' : ''}`
            : 'None',
        ),
      ),
      ...(view.sharedWith && view.sharedWith.length > 0
        ? [
            row(
              'Shared with',
              text(view.sharedWith.map((agency) => nameOf(AGENCY_LABELS, agency)).join(', ')),
            ),
          ]
        : []),
      ...(view.closure
        ? [row('Closed', text(`${formatDate(view.closure.at)}: ${CLOSURE_REASON[view.closure.reason]}`))]
        : []),
      ...(view.withdrawal
        ? [
            row('Reason for withdrawing', text(view.withdrawal.reason)),
            row('Fear of reprisal', text(view.withdrawal.fearOfReprisal ? 'Yes' : 'No')),
          ]
        : []),
      row('Assigned to', text(assignedToText(staff, view))),
    ],
    assignment:
      staff.role === 'officer' && view.stage !== 'closed'
        ? {
            mine: view.assignedTo?.sub === staff.sub,
            action: `/staff/cases/${encodeURIComponent(view.reference)}/assignment`,
          }
        : undefined,
    caseNotes: view.caseNotes.map((note) => ({
      at: formatDateTime(note.at),
      by: [note.by.name, nameOf(STAFF_ROLE_NAME, note.by.role)].filter(Boolean).join(', '),
      text: note.text,
    })),
    notesAction: `/staff/cases/${encodeURIComponent(view.reference)}/notes`,
    summaryHref: `${base}/${encodeURIComponent(view.reference)}/summary`,
    applicantRows: [
      row('Name', text(applicant.name)),
      row('Address', text(oneLine(applicant.address, applicant.postcode))),
      row('Email address', text(applicant.email)),
      row('Telephone number', text(applicant.phone)),
      row('How to contact', text(nameOf(CONTACT_NAME, applicant.contactPreference))),
      row('Accessibility needs', text(applicant.accessibilityNeeds || 'None')),
      row('Vulnerability', text(applicant.vulnerabilityNeeds || 'None')),
    ],
    behalfRows: onBehalfOf && [
      row('Applying for', text(onBehalfOf.name)),
      row('Relationship', text(onBehalfOf.relationship)),
      row('Their address', text(oneLine(onBehalfOf.address ?? '', onBehalfOf.postcode ?? '') || 'Not given')),
      row('Their email address', text(onBehalfOf.email || 'Not given')),
      row('Their telephone number', text(onBehalfOf.phone || 'Not given')),
      row('Their agreement recorded', text(onBehalfOf.consentGiven ? 'Yes' : 'No')),
    ],
    incidents: application.incidents.map((incident, index) => ({
      // A card sits under the page's h2 "Incidents".
      card: { title: { text: `Incident ${index + 1}`, headingLevel: 3 } },
      rows: [
        row(
          'Happened',
          text([formatDate(incident.occurredOn), incident.occurredAt].filter(Boolean).join(' at ')),
        ),
        row(
          'Reported',
          text(
            `${formatDate(incident.reportedOn)} to ${nameOf(REPORTED_TO_NAME, incident.reportedTo).toLowerCase()}`,
          ),
        ),
        row('Reference number', text(incident.reference)),
        ...(incident.alsoReportedTo ?? []).map((other) =>
          row(
            'Also reported',
            text(
              [
                `${formatDate(other.reportedOn)} to ${nameOf(REPORTED_TO_NAME, other.reportedTo).toLowerCase()}`,
                other.reference && `reference ${other.reference}`,
              ]
                .filter(Boolean)
                .join(', '),
            ),
          ),
        ),
        row('Where', text(incident.location)),
        row('What happened', text(incident.description)),
        row(
          'Hate incident',
          text(
            incident.hateMotivated
              ? [
                  'Yes',
                  (incident.hateMotivation ?? [])
                    .map((code) => nameOf(HATE_MOTIVATION_NAME, code))
                    .join(', '),
                ]
                  .filter(Boolean)
                  .join(': ')
              : 'No',
          ),
        ),
      ],
    })),
    contactRows: contactRows(view.contact),
    involvementRows: view.involvement && involvementRows(answersOfInvolvement(view.involvement), 'staff'),
    reviewSteps: reviewStepsFor(staff, view, context.now),
    involvementValues,
    howItems: howItems('staff', String(involvementValues.involvement ?? '')),
    witnessRows: (application.witnesses ?? []).map((witness) =>
      row(witness.name, text(witness.contact || 'No contact details given')),
    ),
    confirmHint: confirmHint(view),
    assessment: view.thresholdAssessment && {
      result: view.thresholdAssessment.met
        ? `Met: ${nameOf(ROUTE_NAME, view.thresholdAssessment.route)}`
        : 'Not met by the rules',
      reasons: view.thresholdAssessment.reasons,
      notes: view.thresholdAssessment.notes ?? [],
    },
    decisionRows: view.thresholdDecision && [
      row('Decision', text(view.thresholdDecision.met ? 'Threshold met' : 'Threshold not met')),
      ...(view.thresholdDecision.met
        ? [row('Route', text(nameOf(ROUTE_NAME, view.thresholdDecision.route)))]
        : []),
      ...(view.thresholdDecision.confirmed
        ? [row('Against the check', text('The officer confirmed a route the check did not find'))]
        : []),
      row('Reason', text(view.thresholdDecision.reason)),
    ],
    ownResponse: ownResponse !== undefined,
    ownRequest: ownRequest && {
      dueBy: formatDate(ownRequest.dueBy),
      overdue: ownRequest.status === 'overdue',
    },
    meetingRows: view.meeting && staffMeetingRows(view.meeting),
    meetingValues: form?.action === 'review-meeting' ? form.values : meetingValues(view.meeting),
    meetingDateHint: (() => {
      const { day, month, year } = boxesOf(addDays(ukDateOf(context.now), 14));
      return `For example, ${day} ${month} ${year}`;
    })(),
    inviteeChoices: (selected: readonly string[] | undefined) => [
      ...view.informationRequests.map((request) => ({
        value: request.agency,
        text: inviteeName(request.agency),
        checked: (selected ?? []).includes(request.agency),
      })),
      {
        value: 'applicant',
        text: inviteeName('applicant'),
        hint: {
          text:
            view.involvement?.level === 'attend'
              ? 'They chose to attend, so they are sent the invitation.'
              : 'They have not chosen to attend, so they are not sent an invitation. Change how they take part first if they want to attend.',
        },
        checked: (selected ?? []).includes('applicant'),
      },
    ],
    // Who sees the case before any agency is asked: nobody, or after a PCC refer-back the earlier review's.
    sharedWithNames: (view.sharedWith ?? []).map((agency) => nameOf(AGENCY_LABELS, agency)).join(', '),
    requestRows: view.informationRequests.map((request) => [
      { text: nameOf(AGENCY_LABELS, request.agency) },
      { text: formatDate(request.dueBy) },
      {
        text:
          request.status === 'answered' || awaitingResponses(view)
            ? REQUEST_STATUS[request.status]
            : 'No response',
      },
    ]),
    responses: view.agencyResponses.map((response) => ({
      agency: nameOf(AGENCY_LABELS, response.agency),
      summary: response.summary,
      actionsTaken: response.actionsTaken,
      currentPosition: response.currentPosition,
      at: response.at && formatDateTime(response.at),
      // Given to a review a PCC refer-back replaced: the new review has not heard from the agency yet.
      earlier: response.cycle !== view.cycle,
    })),
    // After a PCC refer-back the last outcome is an earlier cycle's, which the new review replaces.
    outcomeReplaced: view.reviewOutcome !== null && view.reviewOutcome.cycle !== view.cycle,
    outcomeRows: view.reviewOutcome && [
      row('Review held on', text(formatDate(view.reviewOutcome.heldOn))),
      row('Outcome', text(view.reviewOutcome.summary)),
      ...(view.reviewOutcome.findings === undefined
        ? []
        : [
            row('How persistent the behaviour has been', text(view.reviewOutcome.findings.persistence)),
            row('The harm, or potential harm', text(view.reviewOutcome.findings.harm)),
            row('Whether the response was adequate', text(view.reviewOutcome.findings.adequacy)),
          ]),
    ],
    actionPlan: (view.reviewOutcome?.recommendations ?? []).map((item) => [
      { text: item.action },
      { text: nameOf(AGENCY_LABELS, item.owner) },
      { text: formatDate(item.dueBy) },
    ]),
    pccRows: view.pccDecision && [
      row('Decision', text(nameOf(PCC_OUTCOME_NAME, view.pccDecision.outcome))),
      row('Reason', text(view.pccDecision.reason)),
    ],
    audit: (view.audit ?? []).map((entry) => [
      { text: formatDateTime(entry.at) },
      { text: entry.actor ? `${entry.actor.name ?? ''} (${entry.actor.role})`.trim() : '' },
      { text: nameOf(AUDIT_WHAT, entry.what) },
    ]),
    forms,
    reviewTasks: staff.role === 'officer' ? reviewTasks(view, forms) : undefined,
    formAction: (action: string) => `/staff/cases/${encodeURIComponent(view.reference)}/${action}`,
    form: form ?? {
      action: planForm ? 'action-plan' : ownResponse && 'agency-responses',
      values: planForm?.values ?? (ownResponse && responseValues(ownResponse)) ?? {},
      errors: [],
      dateErrorParts: {},
    },
    plan: view.actionPlan && {
      status: view.actionPlan.status,
      replaced: view.actionPlan.replaced,
      respondBy: view.actionPlan.respondBy && formatDate(view.actionPlan.respondBy),
      response: view.actionPlan.response,
      changes: view.actionPlan.changes,
      cards: actionCards(view.actionPlan).map((card, index) => ({
        ...card,
        progress: progressForm(staff, view, index, form),
      })),
    },
    formErrors: form && form.errors.length > 0 ? pageErrors(form.errors).byField : {},
    errors: form && form.errors.length > 0 ? pageErrors(form.errors) : undefined,
    recommendationRows: Array.from({ length: recommendationRows }, (_, index) => index + 1),
    agencyChoices: (selected: readonly string[] | undefined) =>
      Object.entries(AGENCY_LABELS).map(([value, name]) => ({
        value,
        text: name,
        checked: (selected ?? []).includes(value),
      })),
    agencyOptions: (selected: string | undefined) => [
      { value: '', text: 'Choose an agency' },
      ...Object.entries(AGENCY_LABELS).map(([value, name]) => ({
        value,
        text: name,
        selected: value === selected,
      })),
    ],
    banner: done === undefined ? undefined : banner(done, view),
  };
}

async function staffCase(context: StaffPageContext, caller: StaffCaller, reference: string) {
  return context.deps.operations.getCase(reference, caller);
}

/** The case page's model: the case, its forms, and its linked cases (route B) with the links forms. */
async function pageModel(
  context: StaffPageContext,
  caller: StaffCaller,
  view: StaffCaseView,
  form?: FormState,
  linksForm?: LinksFormState,
) {
  // A form shown again with its errors is not done: its flash, if any, is an earlier form's.
  const done = form === undefined && linksForm === undefined ? takeFlash(context, view.reference) : undefined;
  const model = caseModel(context, caller.staff, view, done, form);
  return {
    ...model,
    // The plan's actions take progress here, not on the printable summary.
    editable: true,
    links: await linksModel(context, caller, view, linksForm),
    ...(linksForm && linksForm.errors.length > 0 && { errors: pageErrors(linksForm.errors) }),
  };
}

// GET /staff/cases/{reference} and /pcc/referrals/{reference} (storage sends the browser back here
// after an upload, with the file's id)
export const staffCasePage: StaffPage = async (context) => {
  const caller = requireStaff(context, ['officer', 'agency', 'pcc']);
  const reference = context.request.params.reference ?? '';
  const adds = caller.staff.role !== 'pcc';
  const casePath = `/staff/cases/${encodeURIComponent(reference)}`;
  const { view, ...section } = adds
    ? await caseWithUploadSection(context, reference, caller, casePath, `${casePath}/files`)
    : { view: await staffCase(context, caller, reference), upload: undefined, uploaded: false };
  const response = context.view('staff/case.njk', {
    ...(await pageModel(context, caller, view)),
    files: fileList(
      view.evidence,
      'staff',
      (id) => `/staff/cases/${encodeURIComponent(view.reference)}/files/${encodeURIComponent(id)}`,
    ).map((file, index) => ({ ...file, canShare: mayShare(view, index, caller.staff) })),
    shareAction: `/staff/cases/${encodeURIComponent(view.reference)}/share-file`,
    addsFiles: adds && view.stage !== 'closed',
    ...section,
  });
  return withUploadTargets(response, section.upload);
};

/**
 * Whether this member of staff may show file `index` to the applicant, or stop showing it (as the
 * operation allows): a file staff added, on an open case; an agency only its own agency's.
 */
function mayShare(view: StaffCaseView, index: number, staff: StaffIdentity): boolean {
  const file = view.evidence[index];
  if (file === undefined || view.stage === 'closed' || file.addedBy.role === 'applicant') return false;
  if (staff.role === 'officer') return true;
  return staff.role === 'agency' && 'agency' in file.addedBy && file.addedBy.agency === staff.agency;
}

/** The flash after a file was shared or no longer is names it: `file-<id>`. */
const FILE_FLASH = 'file-';

/**
 * "Share with the applicant", or "Stop sharing", on a file of the case's list: the case page again, its
 * banner saying whether the applicant now sees the file. A file that cannot change (the case closed,
 * the file gone, a form not from the page) changes nothing and the banner says so.
 */
async function staffSharePage(
  context: StaffPageContext,
  caller: StaffCaller,
  reference: string,
  caseHref: string,
) {
  const form = context.request.form;
  const id = text(form, 'file');
  const share = text(form, 'share');
  const body = { shareWithApplicant: share === 'yes' ? true : share === 'no' ? false : undefined };
  try {
    await context.deps.operations.shareEvidence(reference, id, () => body, caller);
    setFlash(context, reference, `${FILE_FLASH}${id}`);
  } catch (error) {
    if (
      !(
        error instanceof ConflictError ||
        error instanceof NotFoundError ||
        error instanceof InvalidInputError
      )
    ) {
      throw error;
    }
    setFlash(context, reference, 'file-unchanged');
  }
  return redirect(caseHref);
}

/** After a file's sharing changed: whether the applicant now sees it. */
function fileBanner(id: string, view: StaffCaseView) {
  const file = view.evidence.find((each) => each.id === id);
  if (file === undefined) return undefined;
  return {
    success: true,
    text: file.sharedWithApplicant
      ? `“${file.name}” is shared with the applicant: they see it when they track their application.`
      : `“${file.name}” is no longer shared with the applicant.`,
  };
}

// GET /staff/cases/{reference}/files/{id}
export const staffFilePage: StaffPage = async (context) => {
  const caller = requireStaff(context, ['officer', 'agency', 'pcc']);
  return downloadFile(context, context.request.params.reference ?? '', caller);
};

// GET /staff/cases/{reference}/summary and /pcc/referrals/{reference}/summary: the case on one printed
// page (app.css's print styles), read and audited as the case page is.
export const staffCaseSummaryPage: StaffPage = async (context) => {
  const caller = requireStaff(context, ['officer', 'agency', 'pcc']);
  const view = await staffCase(context, caller, context.request.params.reference ?? '');
  const model = caseModel(context, caller.staff, view, undefined);
  return context.view('staff/summary.njk', {
    ...model,
    title: `Case ${view.reference}`,
    backLink: undefined,
    printedOn: formatDate(context.now),
    caseHref: model.summaryHref.replace(/\/summary$/, ''),
  });
};

const text = (form: URLSearchParams, name: string) => (form.get(name) ?? '').trim();

/** A form's answers as the operation's body, with the problems of its date boxes. */
function readAction(action: PageAction, form: URLSearchParams, staff: StaffIdentity) {
  const boxErrors: FieldError[] = [];
  const dateErrorParts: Record<string, readonly DatePart[]> = {};
  const values: Record<string, unknown> = {};
  const date = (name: string, label: string) => {
    const boxes = dateBoxes(form, name);
    values[name] = boxes;
    const read = readDateInput(boxes, label);
    if (read.ok) return read.date ?? '';
    dateErrorParts[name] = read.parts;
    boxErrors.push({ field: name, href: `#${action}-${name}-${read.parts[0] ?? 'day'}`, text: read.message });
    return '';
  };
  /** The plan's rows as the operation's recommendations; rows left blank are not sent. */
  const readRecommendations = (count: number) => {
    const recommendations: Record<string, unknown>[] = [];
    for (let n = 1; n <= count; n += 1) {
      const item = { action: text(form, `action-${n}`), owner: text(form, `owner-${n}`) };
      Object.assign(values, { [`action-${n}`]: item.action, [`owner-${n}`]: item.owner });
      const dueBy = date(`dueBy-${n}`, `Date action ${n} is due by`);
      const blank =
        !item.action && !item.owner && Object.values(dateBoxes(form, `dueBy-${n}`)).every((box) => !box);
      if (!blank) recommendations.push({ ...item, owner: item.owner || undefined, dueBy });
    }
    return recommendations;
  };
  let body: Record<string, unknown>;
  let rows: number | undefined;
  switch (action) {
    case 'threshold-decision': {
      const decision = text(form, 'decision');
      const confirmed = text(form, 'confirmed');
      body = {
        met: decision === '' ? undefined : decision !== 'not-met',
        ...(decision !== '' && decision !== 'not-met' && { route: decision }),
        reason: text(form, 'reason'),
        ...(confirmed === 'yes' && { confirmed: true }),
      };
      Object.assign(values, { decision, reason: text(form, 'reason'), confirmed });
      break;
    }
    case 'agency-responses': {
      const agency = staff.role === 'agency' ? staff.agency : text(form, 'agency');
      const optional = (name: string) => text(form, name) || undefined;
      body = {
        agency: agency || undefined,
        summary: text(form, 'summary'),
        actionsTaken: optional('actionsTaken'),
        currentPosition: optional('currentPosition'),
      };
      Object.assign(values, {
        agency,
        summary: text(form, 'summary'),
        actionsTaken: text(form, 'actionsTaken'),
        currentPosition: text(form, 'currentPosition'),
      });
      break;
    }
    case 'review-outcome': {
      rows = Math.min(Math.max(Number(form.get('rows')) || 1, 1), MAX_RECOMMENDATION_ROWS);
      const recommendations = readRecommendations(rows);
      const findings = Object.fromEntries(
        FINDINGS.map((finding) => [finding, text(form, `findings-${finding}`)]),
      );
      body = {
        heldOn: date('heldOn', 'Date the review was held'),
        summary: text(form, 'summary'),
        findings,
        recommendations,
      };
      values.summary = text(form, 'summary');
      for (const finding of FINDINGS) values[`findings-${finding}`] = findings[finding];
      break;
    }
    case 'action-plan':
      rows = Math.min(Math.max(Number(form.get('rows')) || 1, 1), MAX_RECOMMENDATION_ROWS);
      body = { recommendations: readRecommendations(rows), changes: text(form, 'changes') };
      values.changes = text(form, 'changes');
      break;
    case 'information-requests': {
      const boxes = dateBoxes(form, 'dueBy');
      const dueBy = Object.values(boxes).every((box) => !box) ? undefined : date('dueBy', 'Date to reply by');
      const agencies = form.getAll('agencies');
      body = { agencies, ...(dueBy !== undefined && { dueBy }), message: text(form, 'message') };
      Object.assign(values, { agencies, message: text(form, 'message') });
      break;
    }
    case 'review-meeting': {
      const day = date('date', 'Date of the meeting');
      const time = readTimeInput(text(form, 'time'), 'the time of the meeting');
      if (day === '' && !dateErrorParts.date) {
        boxErrors.push({
          field: 'date',
          href: '#review-meeting-date-day',
          text: 'Enter the date of the meeting',
        });
      }
      if (!time.ok) boxErrors.push({ field: 'time', href: '#review-meeting-time', text: time.message });
      const independent = text(form, 'chair-independent');
      body = {
        at: day !== '' && time.ok ? ukInstantAt(day, time.hour, time.minute).toISOString() : undefined,
        format: text(form, 'format') || undefined,
        location: text(form, 'location'),
        chair: {
          name: text(form, 'chair-name'),
          organisation: text(form, 'chair-organisation'),
          independent: independent === '' ? undefined : independent === 'yes',
        },
        invitees: form.getAll('invitees'),
      };
      Object.assign(values, {
        time: text(form, 'time'),
        format: text(form, 'format'),
        location: text(form, 'location'),
        'chair-name': text(form, 'chair-name'),
        'chair-organisation': text(form, 'chair-organisation'),
        'chair-independent': independent,
        invitees: form.getAll('invitees'),
      });
      break;
    }
    case 'contact':
      body = { name: text(form, 'name'), phone: text(form, 'phone'), email: text(form, 'email') };
      Object.assign(values, body);
      break;
    case 'involvement': {
      const answers = involvementAnswersOf(form);
      body = involvementBody(answers) ?? {};
      Object.assign(values, answers);
      break;
    }
    case 'pcc-decision':
      body = { outcome: text(form, 'outcome') || undefined, reason: text(form, 'reason') };
      Object.assign(values, { outcome: text(form, 'outcome'), reason: text(form, 'reason') });
      break;
    case 'withdraw': {
      const fearOfReprisal = text(form, 'fearOfReprisal');
      body = { reason: text(form, 'reason'), ...(fearOfReprisal === 'yes' && { fearOfReprisal: true }) };
      Object.assign(values, { reason: text(form, 'reason'), fearOfReprisal });
      break;
    }
    default:
      body = { reason: text(form, 'reason') };
      values.reason = text(form, 'reason');
  }
  return { body, values, boxErrors, dateErrorParts, rows };
}

/** The questions of s.104(5) the review records a finding on, each a box of the outcome's form. */
const FINDINGS = ['persistence', 'harm', 'adequacy'] as const;

/**
 * The form field an operation's issue belongs on: `recommendations.1.dueBy` is the second row's due date,
 * `findings.harm` the box of the finding on harm.
 */
function fieldOfIssue(action: PageAction, path: string, recommendationIndexes: readonly number[]): string {
  if (action === 'involvement') return involvementField(path);
  if (action === 'information-requests') return path.split('.')[0] || 'agencies';
  if (action === 'review-meeting') {
    if (path === 'at') return 'date';
    if (path.startsWith('invitees')) return 'invitees';
    if (path === 'chair') return 'chair-name';
    return path.replace('.', '-') || 'date';
  }
  if (path === 'findings') return 'findings-persistence';
  if (path.startsWith('findings.')) return `findings-${path.slice('findings.'.length)}`;
  const recommendation = /^recommendations\.(\d+)\.(\w+)$/.exec(path);
  if (recommendation) {
    const row = recommendationIndexes[Number(recommendation[1])] ?? Number(recommendation[1]) + 1;
    return `${recommendation[2]}-${row}`;
  }
  if (action === 'threshold-decision' && (path === '' || path === 'met' || path === 'route'))
    return 'decision';
  return path || 'reason';
}

const DATE_FIELDS = /^(heldOn|dueBy(-\d+)?|date)$/;

/** The agencies as the forms' choices name them: "police, council, housing provider or health services". */
const AGENCY_CHOICES = (() => {
  const names = Object.values(AGENCY_LABELS).map((label) => label.toLowerCase());
  return `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
})();

/**
 * A missing choice in the words of the form: the API's message names the codes it takes (`police`,
 * `refer-back`), which mean nothing on the page.
 */
function inWords(field: string, message: string): string {
  if (!message.startsWith('Select')) return message;
  if (/^owner-\d+$/.test(field)) return `Select who will do it: ${AGENCY_CHOICES}`;
  if (field === 'agency') return `Select the agency: ${AGENCY_CHOICES}`;
  if (field === 'outcome') {
    return 'Select whether the review stands or the case goes back to the partnership for a fresh review';
  }
  return message;
}

// POST /staff/cases/{reference}/{action}
export const staffActionPage: StaffPage = async (context) => {
  const caller = requireStaff(context, ['officer', 'agency', 'pcc']);
  const { staff } = caller;
  const reference = context.request.params.reference ?? '';
  const action = context.request.params.action ?? '';
  const caseHref = `${staff.role === 'pcc' ? '/pcc/referrals' : '/staff/cases'}/${encodeURIComponent(reference)}`;
  if (context.request.params.action === 'links') {
    const outcome = await submitLinks(context, caller, reference);
    if ('next' in outcome) return redirect(outcome.next);
    const view = await staffCase(context, caller, reference);
    return context.view(
      'staff/case.njk',
      await pageModel(context, caller, view, undefined, outcome.form),
      400,
    );
  }
  if (action === 'assignment' || action === 'notes') {
    return staffWorkPage(context, caller, reference, action, caseHref);
  }
  if (action === 'action-progress') return staffProgressPage(context, caller, reference, caseHref);
  if (action === 'share-file') return staffSharePage(context, caller, reference, caseHref);
  if (action === 'files') return grantUploads(context, reference, caller);
  // No form of the pages posts here: a redirect to the case would look as if something were done.
  if (!isPageAction(action)) throw new NotFoundError('There is no such form on a case.');
  const form = context.request.form;
  const read = readAction(action, form, staff);

  // "Add another action" redraws the form with one more row and sends nothing.
  if ((action === 'review-outcome' || action === 'action-plan') && form.get('addRow') === 'yes') {
    const rows = Math.min((read.rows ?? 1) + 1, MAX_RECOMMENDATION_ROWS);
    const view = await staffCase(context, caller, reference);
    const state = { action, values: read.values, errors: [], dateErrorParts: {}, rows };
    return context.view('staff/case.njk', await pageModel(context, caller, view, state));
  }

  let errors: FieldError[] = read.boxErrors;
  if (errors.length === 0) {
    try {
      if (isReviewStep(action)) {
        await context.deps.operations.reviewStep(reference, action, () => read.body, caller);
      } else {
        await context.deps.operations.act(reference, action, () => read.body, caller);
      }
      setFlash(context, reference, action);
      return redirect(caseHref);
    } catch (error) {
      if (error instanceof ConflictError) {
        setFlash(context, reference, 'moved-on');
        return redirect(caseHref);
      }
      if (!(error instanceof InvalidInputError)) throw error;
      const rowsSent = recommendationRowsSent(form, read.rows ?? 0);
      errors = error.issues.map((issue) => {
        const field = fieldOfIssue(action, issue.path, rowsSent);
        const anchor = DATE_FIELDS.test(field) ? `${field}-day` : field;
        return { field, href: `#${action}-${anchor}`, text: inWords(field, issue.message) };
      });
    }
  }
  const view = await staffCase(context, caller, reference);
  const state = {
    action,
    values: read.values,
    errors,
    dateErrorParts: read.dateErrorParts,
    ...(read.rows && { rows: read.rows }),
  };
  return context.view('staff/case.njk', await pageModel(context, caller, view, state), 400);
};

/** The row numbers of the recommendation rows that were filled in, in order (blank rows are not sent). */
function recommendationRowsSent(form: URLSearchParams, rows: number): number[] {
  const sent: number[] = [];
  for (let n = 1; n <= rows; n += 1) {
    const filled = [
      `action-${n}`,
      `owner-${n}`,
      `dueBy-${n}-day`,
      `dueBy-${n}-month`,
      `dueBy-${n}-year`,
    ].some((name) => (form.get(name) ?? '').trim() !== '');
    if (filled) sent.push(n);
  }
  return sent;
}

/**
 * A progress note on an action of the plan (its id in the form): the case page again with a banner that
 * says how the action and the case now stand; a problem shown on that action's form.
 */
async function staffProgressPage(
  context: StaffPageContext,
  caller: StaffCaller,
  reference: string,
  caseHref: string,
) {
  const form = context.request.form;
  const actionId = text(form, 'actionId');
  const values = { actionId, status: text(form, 'status'), note: text(form, 'note') };
  const body = { status: values.status || undefined, note: values.note };
  try {
    await context.deps.operations.actionProgress(reference, actionId, () => body, caller);
    setFlash(context, reference, `${PROGRESS_FLASH}${actionId}`);
    return redirect(caseHref);
  } catch (error) {
    if (error instanceof ConflictError || error instanceof NotFoundError) {
      setFlash(context, reference, 'moved-on');
      return redirect(caseHref);
    }
    if (!(error instanceof InvalidInputError)) throw error;
    const prefix = `progress-${actionId}`;
    const errors = error.issues.map((issue) => {
      const field = issue.path === 'status' ? 'status' : 'note';
      const message = issue.path === 'status' ? 'Select how the action stands' : issue.message;
      return { field, href: `#${prefix}-${field}`, text: message };
    });
    const view = await staffCase(context, caller, reference);
    const state: FormState = { action: 'action-progress', values, errors, dateErrorParts: {} };
    return context.view('staff/case.njk', await pageModel(context, caller, view, state), 400);
  }
}

/**
 * Taking or handing back the case, or adding a note: the case page again, showing what is now so
 * (assigned to the officer, or the note in the list); a note's problem on the note's box.
 */
async function staffWorkPage(
  context: StaffPageContext,
  caller: StaffCaller,
  reference: string,
  action: 'assignment' | 'notes',
  caseHref: string,
) {
  const form = context.request.form;
  try {
    if (action === 'assignment') {
      await context.deps.operations.changeAssignment(reference, () => ({ to: text(form, 'to') }), caller);
    } else {
      await context.deps.operations.addNote(reference, () => ({ text: text(form, 'text') }), caller);
    }
    return redirect(`${caseHref}#${action === 'notes' ? 'case-notes' : 'case-summary'}`);
  } catch (error) {
    if (error instanceof ConflictError) {
      setFlash(context, reference, 'moved-on');
      return redirect(caseHref);
    }
    if (!(error instanceof InvalidInputError)) throw error;
    const view = await staffCase(context, caller, reference);
    // The assignment form is its button alone: only a form not sent from the page can be wrong.
    const field = action === 'assignment' ? 'assignment' : 'note';
    const errors = pageErrors(
      error.issues.map((issue) => ({
        field,
        href: `#${field}`,
        text: action === 'assignment' ? 'Use the button to take this case or hand it back' : issue.message,
      })),
    );
    const model = await pageModel(context, caller, view);
    return context.view('staff/case.njk', { ...model, noteText: text(form, 'text'), errors }, 400);
  }
}
