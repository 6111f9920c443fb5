// Progress on an action of the final plan (contract.md, "The case review":
// POST /api/cases/{ref}/actions/{actionId}/progress): the owning agency or an officer records how the
// action stands with a note the applicant reads. A new body is an update (on the timeline, audited), the
// same body as the action's last note changes nothing. When the note finishes the action (done, or it
// cannot be done) the applicant is told by their chosen channel, with their contact; the message's key is
// the note's place among the action's notes, so a repeat after a failed send sends it then, and never twice.
// When no action of the plan is left open, a case waiting for its actions is handed to its workflow, which
// closes it.
import type { Caller } from '#cases/caller.ts';
import { authoriseCaseWork, settleAccessCode } from '#cases/case-access.ts';
import { refusal, whenAllowed } from '#cases/case-review-steps.ts';
import type { NotifyingCaseContext } from '#cases/context.ts';
import { parseInput, type RequestBody } from '#cases/parse-input.ts';
import { caseReference } from '#cases/view-case.ts';
import { isFinished, openActions, type PlanAction } from '#core/action-plan.ts';
import { requireCsp } from '#core/area-config.ts';
import type { Actor } from '#core/case-record.ts';
import { letterContact } from '#core/case-review.ts';
import { REVIEW_ACTION_ROLES, whoMayTake } from '#core/case-review-rules.ts';
import { planOf, recordActionProgress } from '#core/case-review-state.ts';
import { reviewTimeline } from '#core/case-review-wording.ts';
import { NotFoundError } from '#core/errors.ts';
import { type ActionProgressBody, actionProgressSchema } from '#core/schemas.ts';
import type { CaseStage } from '#core/stages.ts';
import { changeReview, type ReviewChange, type ReviewCurrent } from '#data/case-review-records.ts';
import { getApplicant, getCaseForAccess } from '#data/case-store.ts';
import { deliverPendingAction, stepFunctionsCallbacks } from '#data/case-tasks.ts';
import { applicantRecipient } from '#shared/recipients.ts';

/** What a progress note did: `changed` is false for the action's last note sent again. */
export interface ProgressDone {
  readonly reference: string;
  readonly action: 'action-progress';
  readonly actionId: string;
  readonly changed: boolean;
  /** The action's status after the note. */
  readonly status: PlanAction['status'];
  /** The case's stage: a note does not move it. */
  readonly stage: CaseStage;
}

type ProgressContext = Pick<NotifyingCaseContext, 'data' | 'area' | 'clock' | 'notifier' | 'workflow'>;

/** The action `id` of the current cycle's plan, checked against who may update it and when. */
function actionToUpdate(current: ReviewCurrent, id: string, by: Actor, now: Date): PlanAction {
  const { cycle, stage } = current.case;
  const action = planOf(current.review, cycle)?.actions.find((each) => each.id === id);
  if (action === undefined) {
    whenAllowed('action-progress', current, now);
    throw new NotFoundError(`The action plan of this case has no action ${id}.`);
  }
  const verdict = whoMayTake('action-progress', by, { askedAgencies: [] }, { actionOwner: action.owner });
  if (!verdict.allowed) throw refusal(verdict, stage);
  whenAllowed('action-progress', current, now);
  return action;
}

const sameAsLastNote = (action: PlanAction, body: ActionProgressBody) => {
  const last = action.progress.at(-1);
  return last !== undefined && last.status === body.status && last.note === body.note;
};

/** The action's last note, when it is the one that finished the action (a later note on it tells nobody). */
function finishingNote(action: PlanAction) {
  const [before, note] = [action.progress.at(-2), action.progress.at(-1)];
  if (note === undefined || (note.status !== 'done' && note.status !== 'cannot-be-done')) return undefined;
  return before !== undefined && isFinished(before.status) ? undefined : { ...note, status: note.status };
}

/** The applicant told that an action finished: once per finishing note, whoever sends it. */
async function tellApplicant(
  context: ProgressContext,
  current: ReviewCurrent,
  action: PlanAction,
): Promise<void> {
  const note = finishingNote(action);
  if (note === undefined) return;
  const record = current.case;
  const applicant = await getApplicant(context.data, record.reference);
  if (applicant === undefined) throw new NotFoundError('There is no case with this reference.');
  const csp = requireCsp(context.area, record.csp);
  await context.notifier.notify({
    to: applicantRecipient(record, applicant),
    template: 'action-finished',
    key: `${action.id}#${action.progress.length}`,
    facts: {
      action: { id: action.id, action: action.action, owner: action.owner, dueBy: action.dueBy },
      status: note.status,
      note: note.note,
      openActions: openActions(planOf(current.review, record.cycle)).length,
      contact: letterContact(csp, current.review.contact),
    },
  });
}

/**
 * A progress note on action `actionId` of the case `given`, with the body as sent: 404 for an action the
 * current plan lacks, 403 for an agency that does not own it, 409 at a stage without a final plan.
 */
export async function recordProgressNote(
  context: ProgressContext,
  given: string,
  actionId: string,
  readBody: RequestBody,
  caller: Caller,
): Promise<ProgressDone> {
  const body = parseInput(actionProgressSchema, readBody());
  const reference = caseReference(given);
  const found = await getCaseForAccess(context.data, reference);
  if (found === undefined) throw new NotFoundError('There is no case with this reference.');
  const by = authoriseCaseWork(
    REVIEW_ACTION_ROLES['action-progress'],
    caller,
    await settleAccessCode(context, reference, caller, found),
  );
  const now = context.clock();
  const at = now.toISOString();
  let after: { readonly current: ReviewCurrent; readonly action: PlanAction } | undefined;
  const result = await changeReview(context.data, reference, (current): ReviewChange => {
    const action = actionToUpdate(current, actionId, by, now);
    if (sameAsLastNote(action, body)) {
      after = { current, action };
      return { changed: false };
    }
    const recorded = recordActionProgress(current.review, actionId, body, {
      cycle: current.case.cycle,
      now,
      by,
    });
    if (recorded.result.outcome !== 'recorded') throw new NotFoundError(`There is no action ${actionId}.`);
    after = { current: { ...current, review: recorded.state }, action: recorded.result.action };
    const told = reviewTimeline({ step: 'action-progress', id: actionId, owner: action.owner, ...body });
    return {
      changed: true,
      state: recorded.state,
      event: { at, ...told, actor: by },
      audit: { at, actor: by, what: 'action-progress' },
    };
  });
  if (after === undefined) throw new Error('changeReview returned without deciding');
  await tellApplicant(context, after.current, after.action);
  // The plan finished: a case waiting for its actions closes (a repeat delivers what a failure left).
  if (openActions(planOf(after.current.review, after.current.case.cycle)).length === 0) {
    await deliverPendingAction(
      context.data,
      stepFunctionsCallbacks(context.workflow.stepFunctions),
      reference,
    );
  }
  return {
    reference,
    action: 'action-progress',
    actionId,
    changed: result.changed,
    status: after.action.status,
    stage: result.case.stage,
  };
}
