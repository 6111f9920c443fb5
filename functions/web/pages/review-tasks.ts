// The case review's steps as a GOV.UK task list on the officer's case page: each says where it stands and
// links to its part of the page (its summary and, while it can be taken, its form). A step the stage does
// not allow yet says "Cannot start yet" and links nowhere; one whose time has passed without it (the
// outcome recorded without a meeting on the service, or the case closed before the review) says so
// instead, since it will never start.
import type { StaffCaseView } from '#cases/case-views.ts';
import { TEAM_CONTACT_ROLE } from '#core/case-review.ts';
import { meetingTime } from '#core/case-review-wording.ts';
import type { CaseAction } from '#core/stages.ts';

interface TaskStatus {
  readonly text?: string;
  readonly tag?: { readonly text: string; readonly classes: string };
  readonly classes?: string;
}

export interface ReviewTask {
  readonly title: { readonly text: string };
  readonly href?: string;
  readonly status: TaskStatus;
}

const DONE = (text = 'Completed'): TaskStatus => ({ text });
const TO_DO = (text: string): TaskStatus => ({ tag: { text, classes: 'govuk-tag--blue' } });
const NOT_YET: TaskStatus = {
  text: 'Cannot start yet',
  classes: 'govuk-task-list__status--cannot-start-yet',
};

function task(title: string, status: TaskStatus, href: string | undefined): ReviewTask {
  return { title: { text: title }, ...(href !== undefined && { href }), status };
}

/**
 * Whether the agencies asked can still answer: while the case awaits its review and no outcome is
 * recorded (an outcome the workflow has not applied yet ends it, as applied would). After it, a request
 * not answered is no longer waited for, nor overdue.
 */
export function awaitingResponses(view: StaffCaseView): boolean {
  return (
    view.stage === 'awaiting-review' &&
    !view.recordedDecisions.some((decision) => decision.kind === 'review-outcome')
  );
}

/**
 * The tasks of the case review for an officer, given the forms the page shows (`forms`): a task whose
 * form is on the page links to it, a finished one to what was recorded.
 */
export function reviewTasks(view: StaffCaseView, forms: readonly CaseAction[]): ReviewTask[] {
  const outcomePending = view.recordedDecisions.some((decision) => decision.kind === 'review-outcome');
  const reviewStage = awaitingResponses(view);
  const responses = view.agencyResponses.filter((response) => response.cycle === view.cycle).length;
  const outcome = view.reviewOutcome !== null && view.reviewOutcome.cycle === view.cycle;
  const asked = view.informationRequests.length;
  const answered = view.informationRequests.filter((request) => request.status === 'answered').length;
  const overdue = view.informationRequests.filter((request) => request.status === 'overdue').length;
  const plan = view.actionPlan !== null && !view.actionPlan.replaced ? view.actionPlan : null;
  const consulting = view.stage === 'action-plan-consultation';
  // The steps before the outcome are over once it is recorded; every step is over once the case closes.
  const reviewOver = outcome || outcomePending || view.stage === 'closed';
  const notYet = (over: boolean, text: string): TaskStatus => (over ? { text } : NOT_YET);
  return [
    task(
      'The victim’s contact',
      DONE(view.contact.role === TEAM_CONTACT_ROLE ? 'Case review team' : 'Named person'),
      '#contact',
    ),
    task(
      'How the victim takes part',
      view.involvement === null ? TO_DO('Not yet known') : DONE(),
      '#involvement',
    ),
    task(
      'Agencies asked for information',
      asked > 0
        ? DONE(`${asked} asked`)
        : reviewStage
          ? TO_DO('Not yet started')
          : notYet(reviewOver, 'None asked'),
      asked > 0 || reviewStage ? '#information-requests' : undefined,
    ),
    task(
      'Agency responses',
      overdue > 0 && reviewStage
        ? { tag: { text: `${overdue} overdue`, classes: 'govuk-tag--red' } }
        : responses > 0
          ? DONE(asked > 0 ? `${answered} of ${asked} answered` : `${responses} received`)
          : reviewStage
            ? TO_DO('None yet')
            : notYet(reviewOver, 'None received'),
      forms.includes('agency-responses')
        ? '#agency-responses'
        : responses > 0
          ? '#agency-responses-received'
          : undefined,
    ),
    task(
      'Review meeting',
      view.meeting !== null
        ? DONE(meetingTime(view.meeting.at))
        : reviewStage
          ? TO_DO('Not yet arranged')
          : notYet(reviewOver, 'None recorded'),
      view.meeting !== null || reviewStage ? '#review-meeting' : undefined,
    ),
    task(
      'Review outcome',
      outcome || outcomePending
        ? DONE()
        : reviewStage
          ? TO_DO('Not yet started')
          : notYet(view.stage === 'closed', 'Not held'),
      forms.includes('review-outcome') ? '#review-outcome' : outcome ? '#review-outcome-recorded' : undefined,
    ),
    task(
      'Consultation on the plan',
      consultationStatus(plan, consulting, outcome, view.stage === 'closed'),
      plan !== null && plan.respondBy !== null ? '#plan' : undefined,
    ),
    task(
      'The final action plan',
      plan?.status === 'final'
        ? DONE(finishedCount(plan))
        : consulting
          ? TO_DO('Not yet final')
          : notYet(view.stage === 'closed', 'Not needed'),
      forms.includes('action-plan') ? '#action-plan' : plan?.status === 'final' ? '#plan' : undefined,
    ),
  ];
}

/** Whether the victim is being asked about the draft plan, answered, or was not asked (declined, or no actions). */
function consultationStatus(
  plan: StaffCaseView['actionPlan'],
  consulting: boolean,
  outcome: boolean,
  closed: boolean,
): TaskStatus {
  if (plan === null) return outcome || closed ? DONE('Not needed') : NOT_YET;
  if (plan.respondBy === null) return DONE('Not needed');
  if (plan.response !== null) return DONE(plan.response.agrees ? 'Agreed' : 'Changes asked for');
  return consulting ? TO_DO('Waiting for the applicant') : DONE('No answer');
}

/** How many of the final plan's actions are finished. */
function finishedCount(plan: NonNullable<StaffCaseView['actionPlan']>): string {
  const finished = plan.actions.filter(
    (action) => action.status === 'done' || action.status === 'cannot-be-done',
  ).length;
  return plan.actions.length === 0 ? 'No actions' : `${finished} of ${plan.actions.length} actions finished`;
}
