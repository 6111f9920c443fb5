// RegisterTask: called by each human step's waitForTaskToken task. Stores the task token with the
// stage of the wait, then delivers the decision if the API recorded it before the wait began (or a
// withdrawal), completing its own task. Returns nothing of interest: the task's result is the callback's.

import { WAIT_STEPS } from '#core/case-record.ts';
import { deliverPendingAction, registerTask } from '#data/case-tasks.ts';
import type { WorkflowDependencies } from '#workflow/dependencies.ts';
import { stringFields, WorkflowStepError, workflowHandler, workflowStep } from '#workflow/workflow-step.ts';

export function createRegisterTaskHandler(deps: WorkflowDependencies) {
  return workflowStep(
    (event) => stringFields(event, { reference: 'any', step: WAIT_STEPS, token: 'any', entered: 'any' }),
    async ({ reference, step, token, entered }) => {
      const record = await registerTask(deps.data, reference, step, token, entered);
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
      return { registered: true, delivered: delivery === 'delivered' };
    },
  );
}

export const handler = workflowHandler(createRegisterTaskHandler);
