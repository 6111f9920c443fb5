// Starting a case's execution without ever losing the case. The case is stored before its execution is
// started; if StartExecution fails, the submission still succeeds (the case is safe and counted) and the
// next request that touches the case starts it: StartExecution is idempotent by name (the reference).
import type { CaseContext } from '#cases/context.ts';
import { startCaseReview } from '#data/case-tasks.ts';

/** Starts (or confirms) the case's execution; true when it runs, false when it must be left for later. */
export async function ensureCaseReviewStarted(
  context: Pick<CaseContext, 'workflow' | 'logger'>,
  reference: string,
): Promise<boolean> {
  const { workflow, logger } = context;
  try {
    await startCaseReview(workflow.stepFunctions, workflow.stateMachineArn, reference);
    return true;
  } catch (error) {
    logger.warn('Could not start the case review yet; the next request about the case will', {
      reference,
      errorName: error instanceof Error ? error.name : typeof error,
    });
    return false;
  }
}
