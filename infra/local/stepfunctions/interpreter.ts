// The pure ASL interpreter (contract: model.ts). advance() takes an execution record and one
// signal and returns the next record plus the history events in between; it reads time,
// randomness and tokens only from the StepContext, so the same inputs always give the same
// result and a record persisted as JSON resumes where it stopped, after a crash too.
import type { MachineDefinition, TaskState } from './asl-types.ts';
import type { Cursor } from './cursor.ts';
import { ExecutionStep } from './execution-step.ts';
import { HistoryLimitReached } from './failures.ts';
import { executionEnded, executionStarted, taskError, taskOutput } from './history.ts';
import { ExecutionNotRunningError, UnexpectedSignalError } from './interpreter-errors.ts';
import type { Advance, CompiledStateMachine, ExecutionRecord, Signal, StepContext } from './model.ts';
import { MAX_HISTORY_EVENTS } from './quotas.ts';
import { finishWait } from './state-handlers.ts';
import { handleTaskError, scheduleTask, taskSucceeded } from './task-handlers.ts';
import { validateDefinition } from './validate.ts';

export { TRANSITIONS_PER_ADVANCE } from './execution-step.ts';

/** Validates a definition; throws UnsupportedDefinitionError naming the state and field otherwise. */
export function compileDefinition(name: string, arn: string, definitionText: string): CompiledStateMachine {
  return { name, arn, definitionText, definition: validateDefinition(definitionText) };
}

/** A RUNNING record with no events yet; advance(…, {type: 'start'}) begins it. */
export function newExecution(
  machine: CompiledStateMachine,
  start: { executionArn: string; name: string; input: string; startDate: string },
): ExecutionRecord {
  const { TimeoutSeconds: timeoutSeconds } = machine.definition as MachineDefinition;
  return {
    executionArn: start.executionArn,
    stateMachineArn: machine.arn,
    name: start.name,
    input: start.input,
    startDate: start.startDate,
    status: 'RUNNING',
    pending: null,
    cursor: null,
    variables: {},
    lastEventId: 0,
    ...(timeoutSeconds === undefined
      ? {}
      : { timeoutAt: new Date(Date.parse(start.startDate) + timeoutSeconds * 1000).toISOString() }),
  };
}

/** Applies one signal; never changes its arguments. */
export async function advance(
  machine: CompiledStateMachine,
  execution: ExecutionRecord,
  signal: Signal,
  ctx: StepContext,
): Promise<Advance> {
  const step = new ExecutionStep(machine, structuredClone(execution), ctx);
  try {
    await apply(step, signal);
  } catch (error) {
    if (!(error instanceof HistoryLimitReached)) throw error;
    // As AWS: the event that would have taken the last place becomes the execution's failure.
    step.fail(
      'States.Runtime',
      `The execution reached the maximum number of history events (${MAX_HISTORY_EVENTS}).`,
    );
  }
  return { execution: step.record, events: step.events };
}

async function apply(step: ExecutionStep, signal: Signal): Promise<void> {
  const { record } = step;
  if (record.status !== 'RUNNING')
    throw new ExecutionNotRunningError(`${record.executionArn} is ${record.status}`);
  switch (signal.type) {
    case 'start':
      if (record.lastEventId !== 0) throw new UnexpectedSignalError('the execution has already started');
      step.emit('ExecutionStarted', executionStarted(record.input));
      return step.drive({ state: step.definition.StartAt, input: step.executionInput() });
    case 'stop':
      // AWS links ExecutionAborted to no earlier event.
      step.emit(
        'ExecutionAborted',
        executionEnded('executionAbortedEventDetails', signal.error, signal.cause),
        0,
      );
      return step.end('ABORTED', signal.error, signal.cause);
    case 'execution-timed-out':
      step.emit(
        'ExecutionTimedOut',
        executionEnded('executionTimedOutEventDetails', 'States.Timeout', undefined),
      );
      return step.end('TIMED_OUT', 'States.Timeout', undefined);
    case 'continue': {
      step.pendingFor(signal.pendingId, ['continue']);
      const { state, input } = record.cursor as unknown as Cursor;
      return step.drive({ state, input });
    }
    case 'timer-fired': {
      step.pendingFor(signal.pendingId, ['timer']);
      const state = step.currentState();
      // A timer ends either a Wait state or a Task's retry back-off.
      const next =
        state.Type === 'Wait'
          ? await step.guard(state, () => finishWait(step, state))
          : await step.guard(state, () => scheduleTask(step, state as TaskState));
      return step.drive(next);
    }
    case 'invoke-succeeded':
    case 'callback-succeeded':
      step.pendingFor(signal.pendingId, [signal.type === 'invoke-succeeded' ? 'invoke' : 'callback']);
      return step.drive(await taskSucceeded(step, signal.output));
    case 'invoke-failed':
    case 'callback-failed': {
      step.pendingFor(
        signal.pendingId,
        signal.type === 'invoke-failed' ? ['invoke', 'callback'] : ['callback'],
      );
      const task = step.currentState() as TaskState;
      step.emit('TaskFailed', taskError('taskFailedEventDetails', task, signal.error, signal.cause));
      return step.drive(await handleTaskError(step, task, signal.error, signal.cause));
    }
    case 'task-timed-out': {
      step.pendingFor(signal.pendingId, ['invoke', 'callback']);
      const task = step.currentState() as TaskState;
      step.emit('TaskTimedOut', taskError('taskTimedOutEventDetails', task, signal.error, undefined));
      return step.drive(await handleTaskError(step, task, signal.error, undefined));
    }
    case 'submitted': {
      const pending = step.pendingFor(signal.pendingId, ['callback']);
      if (pending.kind !== 'callback' || pending.submitted) {
        throw new UnexpectedSignalError('the callback task was already submitted');
      }
      step.emit(
        'TaskSubmitted',
        taskOutput('taskSubmittedEventDetails', step.currentState() as TaskState, signal.output),
      );
      record.pending = { ...pending, submitted: true };
      return;
    }
    case 'heartbeat': {
      const pending = step.pendingFor(signal.pendingId, ['callback']);
      const { heartbeatSeconds } = step.cursor();
      if (pending.kind === 'callback' && heartbeatSeconds !== undefined) {
        record.pending = { ...pending, heartbeatAt: step.after(heartbeatSeconds * 1000) };
      }
      return;
    }
  }
}
