// RegisterTask: called by each human step's waitForTaskToken task. Stores the task token with the
// stage of the wait, then delivers the decision if the API recorded it before the wait began (or a
// withdrawal), completing its own task. Returns nothing of interest: the task's result is the callback's.
// The wait for the review also gives when it times out (`due`): if an information request reminder falls
// due before that (a request made while the step before it ran), the wait is ended to be armed again.

import { WAIT_STEPS } from '#core/case-record.ts';
import { pendingRequestReminders, reviewWaitOutlives } from '#core/case-review.ts';
import { requestRemindersOf } from '#data/case-reminders.ts';
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
      if (delivery === 'nothing-to-deliver' && step === 'review-outcome' && due !== undefined) {
        const { case: current, reminders } = await requestRemindersOf(deps.data, reference);
        const { next } = pendingRequestReminders(reminders, current.reminders, deps.clock());
        const wait = { enteredAt: Date.parse(entered), timesOutAt: Date.parse(due) };
        if (reviewWaitOutlives(wait, next)) {
          await deps.callbacks.fail(token, DUE_DATES_CHANGED, 'an information request is due sooner');
          return { registered: true, delivered: false, rearmed: true };
        }
      }
      return { registered: true, delivered: delivery === 'delivered' };
    },
  );
}

export const handler = workflowHandler(createRegisterTaskHandler);
