// RegisterTask: called by each human step's waitForTaskToken task. Stores the task token with the
// stage of the wait, then delivers the decision if the API recorded it before the wait began (or a
// withdrawal), completing its own task. Returns nothing of interest: the task's result is the callback's.
// The wait for the review, the referral window and the PCC's decision also give when they time out (`due`):
// if a reminder falls due before that (an information request made while the step before it ran; an
// overdue action's), the wait is ended with DueDatesChanged to be armed again by its Remind step.

import { WAIT_STEPS, type WaitStep } from '#core/case-record.ts';
import { pendingRequestReminders, waitOutlives } from '#core/case-review.ts';
import { actionRemindersOf, requestRemindersOf } from '#data/case-reminders.ts';
import { DUE_DATES_CHANGED, deliverPendingAction, registerTask } from '#data/case-tasks.ts';
import type { WorkflowDependencies } from '#workflow/dependencies.ts';
import {
  InvalidStepInputError,
  stringFields,
  WorkflowStepError,
  workflowHandler,
  workflowStep,
} from '#workflow/workflow-step.ts';

/** The optional `due` of a wait that can be armed again: when it times out. */
function timesOutAt(event: unknown): string | undefined {
  const due = (event as { due?: unknown }).due;
  if (due === undefined) return undefined;
  if (typeof due !== 'string' || Number.isNaN(Date.parse(due))) {
    throw new InvalidStepInputError("The event's due must be an instant");
  }
  return due;
}

export function createRegisterTaskHandler(deps: WorkflowDependencies) {
  /**
   * Whether a reminder the wait looks out for falls due before it times out at `due`: an information
   * request's (the wait for the review), or an overdue action's (the referral window, the PCC's decision),
   * which may also be due already (a plan whose action's day had passed when it was made final, or a case
   * resumed in the wait).
   */
  async function remindsSooner(
    reference: string,
    step: WaitStep,
    due: string,
    entered: string,
  ): Promise<boolean> {
    const now = deps.clock();
    const wait = { enteredAt: Date.parse(entered), timesOutAt: Date.parse(due) };
    if (step === 'review-outcome') {
      const { case: current, reminders } = await requestRemindersOf(deps.data, reference);
      return waitOutlives(wait, pendingRequestReminders(reminders, current.reminders, now).next);
    }
    if (step === 'referral' || step === 'pcc-decision') {
      const actions = await actionRemindersOf(deps.data, reference, now);
      return actions.due.length > 0 || waitOutlives(wait, actions.next);
    }
    return false;
  }
  return workflowStep(
    (event) => ({
      ...stringFields(event, { reference: 'any', step: WAIT_STEPS, token: 'any', entered: 'any' }),
      due: timesOutAt(event),
    }),
    async ({ reference, step, token, entered, due }) => {
      const record = await registerTask(deps.data, reference, step, token, entered, due);
      // A later wait holds the case: this one has ended, and that one delivers.
      if (record === undefined) return { registered: false, delivered: false };
      const delivery = await deliverPendingAction(deps.data, deps.callbacks, reference, {
        token,
        step,
        cycle: record.cycle,
      });
      // Our own token was refused. If the wait has ended, the failure is ignored and the next wait
      // delivers; otherwise the retry registers a fresh token and delivers with it, so nothing stalls.
      if (delivery === 'left-to-workflow') {
        throw new WorkflowStepError('The recorded decision could not complete its wait');
      }
      if (
        delivery === 'nothing-to-deliver' &&
        due !== undefined &&
        (await remindsSooner(reference, step, due, entered))
      ) {
        await deps.callbacks.fail(token, DUE_DATES_CHANGED, 'a reminder is due sooner');
        return { registered: true, delivered: false, rearmed: true };
      }
      return { registered: true, delivered: delivery === 'delivered' };
    },
  );
}

export const handler = workflowHandler(createRegisterTaskHandler);
