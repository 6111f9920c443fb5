// Starting a case's first execution without ever losing the case. The case is stored before its
// execution is started; if StartExecution fails, the submission still succeeds (the case is safe and
// counted), and the next request about the case while it is still `received` tries again. This only
// ever starts the first execution, named by the reference: AWS answers ExecutionAlreadyExists for a
// running execution and for a closed one alike, so 'exists' says nothing about whether the review runs.
// Resuming a case whose execution stopped is the reconciler's job (functions/workflow/reconcile.ts),
// which AWS runs at once on a failed, timed-out or aborted execution, and daily. A start that failed is
// counted (ExecutionStartFailures), which an alarm watches: until then the case waits unseen.
import type { CaseContext } from '#cases/context.ts';
import { startCaseReview } from '#data/case-tasks.ts';
import { countExecutionStart } from '#shared/metrics.ts';

/** What starting the case's first execution did: started it, found one of its name, or failed. */
export type FirstExecution = 'started' | 'exists' | 'failed';

export async function startFirstExecution(
  context: Pick<CaseContext, 'workflow' | 'logger' | 'metrics' | 'area'>,
  reference: string,
): Promise<FirstExecution> {
  const { workflow, logger, metrics, area } = context;
  try {
    const started = await startCaseReview(workflow.stepFunctions, workflow.stateMachineArn, reference);
    if (started === 'started') countExecutionStart(metrics, area.id, false);
    return started;
  } catch (error) {
    logger.warn('Could not start the case review; the next request about the case or the reconciler will', {
      reference,
      errorName: error instanceof Error ? error.name : typeof error,
    });
    countExecutionStart(metrics, area.id, true);
    return 'failed';
  }
}
