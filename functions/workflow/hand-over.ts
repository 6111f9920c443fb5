// HandOver: a Standard execution ends after a year (States.Timeout), and a case whose officer never
// decides, or that goes round refer-back cycles, can outlive it. Before entering a wait that could still
// be running 358 days after the execution started, the state machine calls this step, which starts
// the next execution, `<reference>-<n+1>` as the reconciler names them, with the reconciler's resume
// input (the reference, that wait and its timeout: no personal data); the old execution then ends
// successfully. The case itself is not written: its stage, counts, timeline and audit stay as they are.
// A decision recorded while the case is between executions waits on the case and is delivered by the
// new wait's RegisterTask, as any decision recorded before its wait began.
import { WAIT_STEPS } from '#core/case-record.ts';
import { getCase } from '#data/case-store.ts';
import { startExecution } from '#data/case-tasks.ts';
import { CaseNotFoundError } from '#data/errors.ts';
import type { WorkflowDependencies } from '#workflow/dependencies.ts';
import { executionName, executionNumber, parseExecutionArn, resumeInput } from '#workflow/resume.ts';
import {
  InvalidStepInputError,
  stringFields,
  workflowHandler,
  workflowStep,
} from '#workflow/workflow-step.ts';

export function createHandOverHandler(deps: WorkflowDependencies) {
  return workflowStep(
    (event) => stringFields(event, { reference: 'any', step: WAIT_STEPS, execution: 'any' }),
    async ({ reference, step, execution }) => {
      const current = parseExecutionArn(execution);
      const n = current === undefined ? undefined : executionNumber(reference, current.name);
      if (current === undefined || n === undefined) {
        throw new InvalidStepInputError("The event's execution must be an execution of the case");
      }
      const record = await getCase(deps.data, reference, { consistent: true });
      if (record === undefined) throw new CaseNotFoundError(reference);
      const next = executionName(reference, n + 1);
      // A retry after a lost response finds the execution it started. On the alias, as every execution
      // starts: the new one runs the release deployed now, not the one this execution started on.
      const target = deps.stateMachineAlias
        ? `${current.stateMachineArn}:${deps.stateMachineAlias}`
        : current.stateMachineArn;
      await startExecution(deps.stepFunctions, target, next, resumeInput(record, deps.clock(), step));
      return { execution: next };
    },
  );
}

export const handler = workflowHandler(createHandOverHandler);
