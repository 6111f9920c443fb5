// A case's workflow execution and the human steps it waits on. The execution is named by the case
// reference, so starting it twice is harmless, and its input is the reference only (no personal data
// enters the workflow). Each wait registers its task token on the case item; a decision recorded for
// the step waited on is delivered by completing that token, by whichever comes second: the API that
// recorded it, or the wait's registration.
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { StepFunctionsSender } from '#clients/stepfunctions.ts';
import { openActions } from '#core/action-plan.ts';
import type { CaseRecord, WaitStep } from '#core/case-record.ts';
import { planOf } from '#core/case-review-state.ts';
import { waitingStage } from '#core/case-transitions.ts';
import { nextDeadline } from '#core/deadlines.ts';
import type { CaseStage } from '#core/stages.ts';
import { pendingActions } from '#data/case-decisions.ts';
import { caseKey, indexAttributes } from '#data/case-items.ts';
import { readReview } from '#data/case-review-records.ts';
import { readCase } from '#data/case-store.ts';
import type { DataContext } from '#data/data-context.ts';
import { CaseNotFoundError, WorkflowStateError } from '#data/errors.ts';
import { caseKeptChanging, LOST_RACE, retryOnLostRace, writeIf } from '#data/transactions.ts';

// The Step Functions commands, as the client (the case context's), are loaded with the first call in a
// function that loads the client on first use (the pages: clients/stepfunctions-on-first-use.ts).
const stepFunctionsModule = () => import('#clients/stepfunctions-calls.ts');

/**
 * Starts an execution of the case review. 'exists' when an execution of that name exists already:
 * running, or closed (AWS refuses a closed execution's name for 90 days), so it says nothing about
 * whether the case's review runs; the reconciler finds out (functions/workflow/reconcile.ts).
 */
export async function startExecution(
  sfn: StepFunctionsSender,
  stateMachineArn: string,
  name: string,
  input: Readonly<Record<string, string | number>>,
): Promise<'started' | 'exists'> {
  const { ExecutionAlreadyExists, StartExecutionCommand } = await stepFunctionsModule();
  try {
    await sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
    return 'started';
  } catch (error) {
    if (error instanceof ExecutionAlreadyExists) return 'exists';
    throw error;
  }
}

/** Starts the case's first execution, named by its reference, with the reference as its only input. */
export function startCaseReview(
  sfn: StepFunctionsSender,
  stateMachineArn: string,
  reference: string,
): Promise<'started' | 'exists'> {
  return startExecution(sfn, stateMachineArn, reference, { reference });
}

/** Completes a waiting task. Each returns false when the token is no longer valid (finished or timed out). */
export interface TaskCallbacks {
  succeed(token: string, output: Readonly<Record<string, string | number | boolean>>): Promise<boolean>;
  fail(token: string, error: string, cause: string): Promise<boolean>;
}

/** Makes a call answering a wait: false when its task token is no longer valid (finished or timed out). */
async function answered(call: () => Promise<unknown>): Promise<boolean> {
  const { InvalidToken, TaskDoesNotExist, TaskTimedOut } = await stepFunctionsModule();
  try {
    await call();
    return true;
  } catch (error) {
    if (error instanceof TaskTimedOut || error instanceof InvalidToken || error instanceof TaskDoesNotExist)
      return false;
    throw error;
  }
}

export function stepFunctionsCallbacks(sfn: StepFunctionsSender): TaskCallbacks {
  return {
    succeed: async (token, output) => {
      const { SendTaskSuccessCommand } = await stepFunctionsModule();
      return answered(() =>
        sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output) })),
      );
    },
    fail: async (token, error, cause) => {
      const { SendTaskFailureCommand } = await stepFunctionsModule();
      return answered(() => sfn.send(new SendTaskFailureCommand({ taskToken: token, error, cause })));
    },
  };
}

/** The human step the case's workflow waits on now, with its task token; undefined when the case is unknown. */
export interface WaitingTask {
  readonly stage: CaseStage;
  readonly cycle: number;
  readonly waitingFor: WaitStep | null;
  readonly taskToken: string | null;
  /** When the wait times out (epoch ms), for a wait that can be armed again (`registerTask`); else null. */
  readonly timesOutAt: number | null;
}

export async function getWaitingTask(ctx: DataContext, reference: string): Promise<WaitingTask | undefined> {
  const { Item } = await ctx.db.send(
    new GetCommand({
      TableName: ctx.tables.cases,
      Key: caseKey(reference),
      ConsistentRead: true,
      ProjectionExpression: '#stage, #cycle, waitingFor, taskToken, taskTimesOutAt',
      ExpressionAttributeNames: { '#stage': 'stage', '#cycle': 'cycle' },
    }),
  );
  if (!Item) return undefined;
  return {
    stage: Item.stage as CaseStage,
    cycle: Item.cycle as number,
    waitingFor: (Item.waitingFor as WaitStep | undefined) ?? null,
    taskToken: (Item.taskToken as string | undefined) ?? null,
    timesOutAt: (Item.taskTimesOutAt as number | undefined) ?? null,
  };
}

/**
 * Registers the task token of the wait for `step`, which began at `enteredAt` (the state's
 * EnteredTime): in one update, the stage of the wait, the token, `waitingFor` and the worklist
 * deadline. The decision may already be recorded: deliver it next (`deliverPendingAction` with this
 * token). Undefined when a later wait has registered already: this one ended (its RegisterTask ran
 * late, after a timeout) and its token must not replace the live one. `timesOutAt`, given by a wait that
 * can be armed again (the wait for the review, the referral window, the PCC's decision), is kept with the
 * token (`rearmReviewWait`).
 */
export async function registerTask(
  ctx: DataContext,
  reference: string,
  step: WaitStep,
  token: string,
  enteredAt: string,
  timesOutAt?: string,
): Promise<CaseRecord | undefined> {
  const entered = Date.parse(enteredAt);
  if (Number.isNaN(entered)) throw new WorkflowStateError(reference, 'the wait has no valid start time');
  const timesOut = timesOutAt === undefined ? undefined : Date.parse(timesOutAt);
  if (Number.isNaN(timesOut)) throw new WorkflowStateError(reference, 'the wait has no valid timeout');
  return retryOnLostRace(async (): Promise<CaseRecord | undefined | typeof LOST_RACE> => {
    const { record, internals } = await readCase(ctx, reference);
    if (internals.taskEnteredAt !== undefined && internals.taskEnteredAt > entered) return undefined;
    const stage = waitingStage(record.stage, step);
    const after: CaseRecord = {
      ...record,
      stage,
      waitingFor: step,
      nextDeadline: nextDeadline(stage, record.deadlines)?.due ?? null,
      version: record.version + 1,
    };
    const index = indexAttributes(after);
    const written = await writeIf(
      ctx.db.send(
        new UpdateCommand({
          TableName: ctx.tables.cases,
          Key: caseKey(reference),
          UpdateExpression:
            'SET #stage = :stage, waitingFor = :step, taskToken = :token, taskEnteredAt = :entered, ' +
            'nextDeadline = :next, cspStage = :cspStage, deadlineKey = :deadlineKey, #version = :newVersion' +
            (timesOut === undefined ? ' REMOVE taskTimesOutAt' : ', taskTimesOutAt = :timesOut'),
          ConditionExpression: '#version = :version',
          ExpressionAttributeNames: { '#stage': 'stage', '#version': 'version' },
          ExpressionAttributeValues: {
            ':stage': stage,
            ':step': step,
            ':token': token,
            ':entered': entered,
            ':next': after.nextDeadline,
            ':cspStage': index.cspStage,
            ':deadlineKey': index.deadlineKey,
            ':version': record.version,
            ':newVersion': after.version,
            ...(timesOut !== undefined && { ':timesOut': timesOut }),
          },
        }),
      ),
    );
    return written ? after : LOST_RACE;
  }, caseKeptChanging(reference));
}

export type Delivery = 'delivered' | 'nothing-to-deliver' | 'not-waiting' | 'left-to-workflow';

/**
 * Completes the case's current wait with the decision recorded for it, if any: the decision of the step
 * waited on as `{"action": "<step>"}` (no personal data enters the workflow), otherwise a withdrawal as
 * the task failure `Withdrawn` (caught at every wait). The wait for the plan's actions has no
 * recorded decision: it is completed once no action of the plan is open, by the note that finished the
 * last one or by its own registration, whichever comes second. When the token has gone meanwhile
 * (the wait timed out and is being registered again), it re-reads a few times; the workflow's
 * RegisterTask delivers anyway, so `left-to-workflow` is not a failure.
 *
 * `wait` is for RegisterTask, which knows its own token and step before the case item shows them.
 */
export async function deliverPendingAction(
  ctx: DataContext,
  callbacks: TaskCallbacks,
  reference: string,
  wait?: { readonly token: string; readonly step: WaitStep; readonly cycle: number },
): Promise<Delivery> {
  return retryOnLostRace(
    async (): Promise<Delivery | typeof LOST_RACE> => {
      const task = wait ?? (await currentWait(ctx, reference));
      if (task === undefined) return 'not-waiting';
      const pending = await pendingActions(ctx, reference);
      const withdrawal = pending.find((action) => action.kind === 'withdraw');
      const decision = pending.find((action) => action.kind === task.step && action.cycle === task.cycle);
      let sent: boolean;
      // The decision this wait is for goes first: recordAction refuses one after a withdrawal, so one
      // still pending was recorded before it (and answered as recorded); the withdrawal is delivered
      // at the next wait.
      if (decision !== undefined) {
        sent = await callbacks.succeed(task.token, { action: decision.kind });
      } else if (withdrawal !== undefined) {
        sent = await callbacks.fail(task.token, 'Withdrawn', `withdrawn by ${withdrawal.actor.role}`);
      } else if (task.step === 'actions-finished' && (await planFinished(ctx, reference, task.cycle))) {
        sent = await callbacks.succeed(task.token, { action: task.step });
      } else {
        return 'nothing-to-deliver';
      }
      if (sent) return 'delivered';
      // The token has gone: read the case's wait again, unless it was given (RegisterTask's own).
      return wait === undefined ? LOST_RACE : 'left-to-workflow';
    },
    () => 'left-to-workflow',
  );
}

/** The task failure that ends the wait for the review to arm it again (its catcher reminds, then waits anew). */
export const DUE_DATES_CHANGED = 'DueDatesChanged';

/**
 * Ends the wait for the review, when the case is in one that can be armed again, so that it waits anew
 * until the next information request reminder (an agency asked, a date changed, a request answered).
 * False when the case waits elsewhere, in a wait of an earlier release (it has no `timesOutAt`), or the
 * token has gone: the next wait's registration then checks its own timeout (RegisterTask).
 */
export async function rearmReviewWait(
  ctx: DataContext,
  callbacks: TaskCallbacks,
  reference: string,
): Promise<boolean> {
  const task = await getWaitingTask(ctx, reference);
  if (task === undefined) throw new CaseNotFoundError(reference);
  if (task.waitingFor !== 'review-outcome' || task.taskToken === null || task.timesOutAt === null) {
    return false;
  }
  return callbacks.fail(task.taskToken, DUE_DATES_CHANGED, 'the information requests changed');
}

/** No action of the cycle's final plan is open: what the wait for the actions waits for. */
async function planFinished(ctx: DataContext, reference: string, cycle: number): Promise<boolean> {
  const plan = planOf((await readReview(ctx, reference)).state, cycle);
  return plan !== null && openActions(plan).length === 0;
}

async function currentWait(
  ctx: DataContext,
  reference: string,
): Promise<{ token: string; step: WaitStep; cycle: number } | undefined> {
  const task = await getWaitingTask(ctx, reference);
  if (task === undefined) throw new CaseNotFoundError(reference);
  if (task.taskToken === null || task.waitingFor === null) return undefined;
  return { token: task.taskToken, step: task.waitingFor, cycle: task.cycle };
}
