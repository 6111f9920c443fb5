import { describe, expect, it } from 'vitest';
import { type EngineDriver, type FakeHandler, runMachine } from '#test/support/engine-driver.ts';

const INVOKE = 'arn:aws:states:::lambda:invoke';
const WAIT_FOR_TOKEN = 'arn:aws:states:::lambda:invoke.waitForTaskToken';

class NamedError extends Error {
  constructor(name: string) {
    super(`${name} happened`);
    this.name = name;
  }
}

/** A handler that fails with the given error names in turn, then returns `{ done: true }`. */
function failing(...errors: string[]): FakeHandler {
  let call = 0;
  return () => {
    const error = errors[call++];
    if (error !== undefined) throw new NamedError(error);
    return { done: true };
  };
}

/** A one-Task machine (Task → Done); the catchers' targets (Caught…) end the execution too. */
function task(fields: object): object {
  const targets = (JSON.stringify(fields).match(/Caught\w*/g) ?? []).map((name) => [
    name,
    { Type: 'Succeed' },
  ]);
  return {
    QueryLanguage: 'JSONata',
    StartAt: 'Task',
    States: {
      Task: { Type: 'Task', Resource: INVOKE, Arguments: { FunctionName: 'fn' }, Next: 'Done', ...fields },
      Done: { Type: 'Succeed' },
      ...Object.fromEntries(targets),
    },
  };
}

/** The back-off of every retry, in seconds: from the failure to the timer's due time. */
function retryDelays(driver: EngineDriver): number[] {
  return driver.steps.flatMap(({ after, events }) => {
    const failedAt = events.at(-1)?.timestamp;
    if (after.pending?.kind !== 'timer' || failedAt === undefined) return [];
    return [(Date.parse(after.pending.dueAt) - Date.parse(failedAt)) / 1000];
  });
}

/** Where the execution went after the Task: the state entered after it. */
function stateAfterTask(driver: EngineDriver): unknown {
  return driver.events.filter((event) => event.type.endsWith('StateEntered'))[1]?.stateEnteredEventDetails;
}

describe('Retry', () => {
  it('waits IntervalSeconds × BackoffRate^n between attempts, then fails', async () => {
    // Prepare: the retrier example of the error-handling guide.
    const definition = task({
      Retry: [{ ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 3, MaxAttempts: 2, BackoffRate: 1.5 }],
    });

    // Act
    const driver = await runMachine(definition, {}, { handlers: { fn: failing('E1', 'E2', 'E3') } });

    // Assess
    expect(retryDelays(driver)).toEqual([3, 4.5]);
    expect(driver.eventsOf('TaskScheduled')).toHaveLength(3);
    expect(driver.execution).toMatchObject({ status: 'FAILED', error: 'E3' });
  });

  it('uses IntervalSeconds 1, MaxAttempts 3 and BackoffRate 2 by default', async () => {
    // Act
    const driver = await runMachine(
      task({ Retry: [{ ErrorEquals: ['States.ALL'] }] }),
      {},
      { handlers: { fn: failing('E', 'E', 'E', 'E') } },
    );

    // Assess
    expect(retryDelays(driver)).toEqual([1, 2, 4]);
    expect(driver.status).toBe('FAILED');
  });

  it('caps the interval at MaxDelaySeconds', async () => {
    // Prepare
    const retrier = {
      ErrorEquals: ['States.ALL'],
      IntervalSeconds: 2,
      BackoffRate: 3,
      MaxAttempts: 4,
      MaxDelaySeconds: 10,
    };

    // Act
    const driver = await runMachine(
      task({ Retry: [retrier] }),
      {},
      { handlers: { fn: failing('E', 'E', 'E', 'E') } },
    );

    // Assess
    expect(retryDelays(driver)).toEqual([2, 6, 10, 10]);
    expect(driver.status).toBe('SUCCEEDED');
  });

  it('draws a random point in [0, interval) with JitterStrategy FULL', async () => {
    // Prepare
    const retrier = {
      ErrorEquals: ['States.ALL'],
      IntervalSeconds: 4,
      MaxAttempts: 3,
      MaxDelaySeconds: 10,
      JitterStrategy: 'FULL',
    };
    const draws = [0.5, 0, 0.25];

    // Act
    const driver = await runMachine(
      task({ Retry: [retrier] }),
      {},
      {
        handlers: { fn: failing('E', 'E', 'E') },
        random: () => draws.shift() ?? 0,
      },
    );

    // Assess: 0.5 × 4, 0 × 8, 0.25 × min(16, 10).
    expect(retryDelays(driver)).toEqual([2, 0, 2.5]);
  });

  it('never retries with MaxAttempts 0', async () => {
    // Act
    const driver = await runMachine(
      task({ Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 0 }] }),
      {},
      { handlers: { fn: failing('E') } },
    );

    // Assess
    expect(retryDelays(driver)).toEqual([]);
    expect(driver.execution).toMatchObject({ status: 'FAILED', error: 'E' });
  });

  it('counts attempts per retrier and goes to Catch when the matching retrier is spent', async () => {
    // Prepare: the guide's example with ErrorA/ErrorB and ErrorC retriers and a States.ALL catcher.
    const definition = task({
      Retry: [
        { ErrorEquals: ['ErrorA', 'ErrorB'], IntervalSeconds: 1, BackoffRate: 2, MaxAttempts: 2 },
        { ErrorEquals: ['ErrorC'], IntervalSeconds: 5 },
      ],
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'CaughtAll' }],
    });

    // Act
    const driver = await runMachine(
      definition,
      {},
      { handlers: { fn: failing('ErrorA', 'ErrorB', 'ErrorC', 'ErrorA') } },
    );

    // Assess
    expect(retryDelays(driver)).toEqual([1, 2, 5]);
    expect(stateAfterTask(driver)).toMatchObject({ name: 'CaughtAll' });
  });

  it('resets the counters when the state is left, and shows them as $states.context.State.RetryCount', async () => {
    // Prepare: the Task runs twice in a loop; each run may retry once.
    const seen: unknown[] = [];
    const definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'Init',
      States: {
        Init: { Type: 'Pass', Assign: { rounds: 0 }, Next: 'Work' },
        Work: {
          Type: 'Task',
          Resource: INVOKE,
          Arguments: {
            FunctionName: 'fn',
            Payload: { retryCount: '{% $states.context.State.RetryCount %}' },
          },
          Retry: [{ ErrorEquals: ['Flaky'], MaxAttempts: 1 }],
          Assign: { rounds: '{% $rounds + 1 %}' },
          Next: 'Again',
        },
        Again: {
          Type: 'Choice',
          Choices: [{ Condition: '{% $rounds < 2 %}', Next: 'Work' }],
          Default: 'Done',
        },
        Done: { Type: 'Succeed' },
      },
    };
    const fn: FakeHandler = (payload) => {
      seen.push(payload);
      if (seen.length % 2 === 1) throw new NamedError('Flaky');
      return {};
    };

    // Act
    const driver = await runMachine(definition, {}, { handlers: { fn } });

    // Assess
    expect(seen).toEqual([{ retryCount: 0 }, { retryCount: 1 }, { retryCount: 0 }, { retryCount: 1 }]);
    expect(driver.status).toBe('SUCCEEDED');
  });

  it('issues a fresh task token for each attempt of a callback task', async () => {
    // Prepare
    const definition = task({
      Resource: WAIT_FOR_TOKEN,
      Arguments: { FunctionName: 'fn', Payload: { token: '{% $states.context.Task.Token %}' } },
      Retry: [{ ErrorEquals: ['States.Timeout'], MaxAttempts: 1 }],
      TimeoutSeconds: 60,
    });
    const driver = await runMachine(definition, {}, { handlers: { fn: () => null } });
    const firstToken = driver.token;

    // Act
    await driver.expireTask();

    // Assess
    expect(driver.token).not.toBe(firstToken);
    expect(driver.pending).toMatchObject({
      kind: 'callback',
      payload: { token: driver.token },
      submitted: true,
    });
  });
});

describe('Catch', () => {
  const ordered = task({
    Catch: [
      { ErrorEquals: ['ErrorB'], Next: 'CaughtB' },
      { ErrorEquals: ['ErrorA', 'ErrorB'], Next: 'CaughtA' },
      { ErrorEquals: ['States.ALL'], Next: 'CaughtAll' },
    ],
  });

  it.each([
    ['ErrorA', 'CaughtA'],
    ['ErrorB', 'CaughtB'],
    ['Other', 'CaughtAll'],
  ])('sends %s to the first catcher that names it (%s)', async (error, target) => {
    // Act
    const driver = await runMachine(ordered, {}, { handlers: { fn: failing(error) } });

    // Assess
    expect(stateAfterTask(driver)).toMatchObject({ name: target });
    expect(driver.status).toBe('SUCCEEDED');
  });

  it('passes {Error, Cause} on as the output when the catcher has no Output', async () => {
    // Act
    const driver = await runMachine(ordered, {}, { handlers: { fn: failing('ErrorA') } });

    // Assess
    const errorOutput = {
      Error: 'ErrorA',
      Cause: JSON.stringify({ errorMessage: 'ErrorA happened', errorType: 'ErrorA', trace: [] }),
    };
    expect(driver.eventTypes).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskFailed',
      'TaskStateExited',
      'SucceedStateEntered',
      'SucceedStateExited',
      'ExecutionSucceeded',
    ]);
    expect(driver.eventsOf('TaskStateExited')[0]?.stateExitedEventDetails).toMatchObject({
      name: 'Task',
      output: JSON.stringify(errorOutput),
    });
    expect(driver.output).toEqual(errorOutput);
  });

  it('shapes the output from $states.errorOutput and $states.input after the retries, as AWS records it', async () => {
    // Prepare: the machine of AWS's recorded history TASK_CATCH_ERROR_OUTPUT_WITH_RETRY (LocalStack
    // snapshot tests); same events, same output.
    const definition = task({
      Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 1 }],
      Catch: [
        {
          ErrorEquals: ['States.ALL'],
          Output: { stateInput: '{% $states.input %}', stateError: '{% $states.errorOutput %}' },
          Next: 'CaughtAll',
        },
      ],
      Output: { stateInput: '{% $states.input %}', stateResult: '{% $states.result %}' },
    });

    // Act
    const driver = await runMachine(
      definition,
      { inputData: 'dummy' },
      { handlers: { fn: failing('Exception', 'Exception') } },
    );

    // Assess
    expect(driver.eventTypes).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskFailed',
      'TaskScheduled',
      'TaskStarted',
      'TaskFailed',
      'TaskStateExited',
      'SucceedStateEntered',
      'SucceedStateExited',
      'ExecutionSucceeded',
    ]);
    expect(driver.output).toEqual({
      stateInput: { inputData: 'dummy' },
      stateError: {
        Error: 'Exception',
        Cause: JSON.stringify({ errorMessage: 'Exception happened', errorType: 'Exception', trace: [] }),
      },
    });
  });

  it('applies the catcher’s Assign, not the state’s', async () => {
    // Prepare: as AWS's recorded history TASK_CATCH_ERROR_VARIABLE_SAMPLING (LocalStack snapshot tests).
    const definition = task({
      Catch: [
        {
          ErrorEquals: ['States.ALL'],
          Assign: { inputVar: '{% $states.input %}', errorVar: '{% $states.errorOutput.Error %}' },
          Next: 'CaughtAll',
        },
      ],
      Assign: { resultVar: '{% $states.result %}' },
    });

    // Act
    const driver = await runMachine(
      definition,
      { inputData: 'dummy' },
      { handlers: { fn: failing('Exception') } },
    );

    // Assess
    expect(driver.execution.variables).toEqual({ inputVar: { inputData: 'dummy' }, errorVar: 'Exception' });
    expect(driver.eventsOf('TaskStateExited')[0]?.stateExitedEventDetails).toMatchObject({
      assignedVariables: { inputVar: '{"inputData":"dummy"}', errorVar: '"Exception"' },
    });
  });

  it('catches a failing Output expression after the task succeeded', async () => {
    // Prepare
    const definition = task({
      Output: '{% $states.result.Payload.missing %}',
      Catch: [{ ErrorEquals: ['States.QueryEvaluationError'], Next: 'CaughtA' }],
    });

    // Act
    const driver = await runMachine(definition, {}, { handlers: { fn: () => ({}) } });

    // Assess
    expect(driver.eventTypes.slice(4, 8)).toEqual([
      'TaskSucceeded',
      'EvaluationFailed',
      'TaskStateExited',
      'SucceedStateEntered',
    ]);
    expect(stateAfterTask(driver)).toMatchObject({ name: 'CaughtA' });
    expect(driver.output).toMatchObject({ Error: 'States.QueryEvaluationError' });
  });

  it('fails the execution when the catcher’s own Output fails', async () => {
    // Prepare
    const definition = task({
      Catch: [{ ErrorEquals: ['States.ALL'], Output: '{% $nothing %}', Next: 'CaughtAll' }],
    });

    // Act
    const driver = await runMachine(definition, {}, { handlers: { fn: failing('E') } });

    // Assess
    expect(driver.eventTypes.slice(-3)).toEqual(['TaskFailed', 'EvaluationFailed', 'ExecutionFailed']);
    expect(driver.eventsOf('EvaluationFailed')[0]?.evaluationFailedEventDetails).toMatchObject({
      location: 'Catch/0/Output',
    });
    expect(driver.execution.error).toBe('States.QueryEvaluationError');
  });
});

describe('error names', () => {
  const callback = (errorEquals: string[], timeouts: object) => ({
    QueryLanguage: 'JSONata',
    StartAt: 'Task',
    States: {
      Task: {
        Type: 'Task',
        Resource: WAIT_FOR_TOKEN,
        Arguments: { FunctionName: 'fn', Payload: { token: '{% $states.context.Task.Token %}' } },
        Catch: [{ ErrorEquals: errorEquals, Next: 'Caught' }],
        ...timeouts,
        End: true,
      },
      Caught: { Type: 'Succeed' },
    },
  });

  async function outcome(
    errorEquals: string[],
    timeouts: object,
    act: (driver: EngineDriver) => Promise<void>,
  ) {
    const driver = await runMachine(callback(errorEquals, timeouts), {}, { handlers: { fn: () => null } });
    await act(driver);
    return stateAfterTask(driver) === undefined ? 'uncaught' : 'caught';
  }

  it.each([
    [['States.TaskFailed'], 'a function error', 'caught'],
    [['States.ALL'], 'a function error', 'caught'],
    [['States.Timeout'], 'a function error', 'uncaught'],
    [['States.TaskFailed'], 'a timeout', 'uncaught'],
    [['States.Timeout'], 'a timeout', 'caught'],
    [['States.ALL'], 'a timeout', 'caught'],
    [['States.HeartbeatTimeout'], 'a missed heartbeat', 'caught'],
    [['States.Timeout'], 'a missed heartbeat', 'uncaught'],
    [['States.TaskFailed'], 'a missed heartbeat', 'caught'],
  ])('a catcher on %j meets %s: %s', async (errorEquals, what, expected) => {
    // Prepare
    const timeouts = what === 'a missed heartbeat' ? { HeartbeatSeconds: 30 } : { TimeoutSeconds: 60 };
    const act = (driver: EngineDriver) =>
      what === 'a function error' ? driver.sendTaskFailure('Withdrawn', 'withdrawn') : driver.expireTask();

    // Act
    const result = await outcome(errorEquals, timeouts, act);

    // Assess
    expect(result).toBe(expected);
  });
});
