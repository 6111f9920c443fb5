// Pass, Choice, Wait, Succeed and Fail: what each does once entered. A handler returns the next
// state to enter, or undefined when the execution now waits (a timer) or has ended.
import type { ChoiceState, FailState, PassState, SucceedState, WaitState } from './asl-types.ts';
import type { Entry } from './cursor.ts';
import type { ExecutionStep } from './execution-step.ts';
import { type Expectation, evaluateTemplate, queryFailure } from './jsonata-eval.ts';
import { parseTimestamp } from './timestamp.ts';

const MAX_WAIT_SECONDS = 99_999_999;

const BOOLEAN: Expectation = { accepts: (value) => typeof value === 'boolean', description: 'a boolean' };
const STRING: Expectation = { accepts: (value) => typeof value === 'string', description: 'a string' };
const WAIT_SECONDS: Expectation = {
  accepts: (value) =>
    Number.isInteger(value) && (value as number) >= 0 && (value as number) <= MAX_WAIT_SECONDS,
  description: `an integer from 0 to ${MAX_WAIT_SECONDS}`,
};

export async function pass(step: ExecutionStep, state: PassState): Promise<Entry | undefined> {
  const { output, assigned } = await step.assignAndOutput(state, step.cursor().input, step.scope({}), '');
  return step.leave(state, output, assigned);
}

/** The first rule whose Condition holds, else the Default (with the state's own Assign and Output). */
export async function choice(step: ExecutionStep, state: ChoiceState): Promise<Entry | undefined> {
  const { state: name, input } = step.cursor();
  const scope = step.scope({});
  for (const [index, rule] of state.Choices.entries()) {
    const matched = await evaluateTemplate(rule.Condition, `Choices/${index}/Condition`, scope, BOOLEAN);
    if (matched === true) {
      const { output, assigned } = await step.assignAndOutput(rule, input, scope, `Choices/${index}/`);
      step.exitState('ChoiceStateExited', output, assigned);
      return { state: rule.Next, input: output };
    }
  }
  if (state.Default === undefined) {
    step.fail(
      'States.NoChoiceMatched',
      `No Choice rule of the state '${name}' matched and it has no Default.`,
    );
    return undefined;
  }
  const { output, assigned } = await step.assignAndOutput(state, input, scope, '');
  step.exitState('ChoiceStateExited', output, assigned);
  return { state: state.Default, input: output };
}

/** Asks the runtime for a timer at the Seconds or Timestamp the state gives. */
export async function startWait(step: ExecutionStep, state: WaitState): Promise<undefined> {
  const scope = step.scope({});
  let dueAt: string;
  if (state.Seconds !== undefined) {
    const seconds = (await evaluateTemplate(state.Seconds, 'Seconds', scope, WAIT_SECONDS)) as number;
    dueAt = step.after(seconds * 1000);
  } else {
    const text = (await evaluateTemplate(state.Timestamp as string, 'Timestamp', scope, STRING)) as string;
    const timestamp = parseTimestamp(text);
    if (timestamp === undefined) {
      throw queryFailure(
        scope,
        'Timestamp',
        `The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: ${text}`,
      );
    }
    dueAt = timestamp.toISOString();
  }
  step.record.pending = { kind: 'timer', id: `wait-${step.cursor().enteredEventId}`, dueAt };
  return undefined;
}

/** The Wait's timer fired: leave the state. */
export async function finishWait(step: ExecutionStep, state: WaitState): Promise<Entry | undefined> {
  step.record.pending = null;
  const { output, assigned } = await step.assignAndOutput(state, step.cursor().input, step.scope({}), '');
  return step.leave(state, output, assigned);
}

export async function succeedState(step: ExecutionStep, state: SucceedState): Promise<undefined> {
  const { input } = step.cursor();
  const output =
    state.Output === undefined ? input : await evaluateTemplate(state.Output, 'Output', step.scope({}));
  step.exitState('SucceedStateExited', output, undefined);
  step.succeed(output);
  return undefined;
}

export async function failState(step: ExecutionStep, state: FailState): Promise<undefined> {
  const scope = step.scope({});
  const error =
    state.Error === undefined ? undefined : await evaluateTemplate(state.Error, 'Error', scope, STRING);
  const cause =
    state.Cause === undefined ? undefined : await evaluateTemplate(state.Cause, 'Cause', scope, STRING);
  step.fail(error as string | undefined, cause as string | undefined);
  return undefined;
}
