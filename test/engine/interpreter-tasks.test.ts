import { describe, expect, it } from 'vitest';
import { type EngineDriver, lambdaResponse, runMachine, START_DATE } from '#test/support/engine-driver.ts';

const INVOKE = 'arn:aws:states:::lambda:invoke';
const WAIT_FOR_TOKEN = 'arn:aws:states:::lambda:invoke.waitForTaskToken';

function task(fields: object): object {
  return {
    QueryLanguage: 'JSONata',
    StartAt: 'Task',
    States: { Task: { Type: 'Task', ...fields, End: true } },
  };
}

describe('Task on lambda:invoke', () => {
  it('asks the runtime to invoke the function with the evaluated Arguments', async () => {
    // Prepare
    const definition = task({
      Resource: INVOKE,
      Arguments: { FunctionName: 'assess-threshold', Payload: { caseRef: '{% $states.input.ref %}' } },
    });

    // Act
    const driver = await runMachine(definition, { ref: 'CT-1' }, { invokeFunctions: false });

    // Assess
    expect(driver.pending).toEqual({
      kind: 'invoke',
      id: 'task-3',
      functionName: 'assess-threshold',
      payload: { caseRef: 'CT-1' },
    });
    expect(driver.events.slice(2)).toEqual([
      {
        id: 3,
        previousEventId: 2,
        timestamp: START_DATE,
        type: 'TaskScheduled',
        taskScheduledEventDetails: {
          resourceType: 'lambda',
          resource: 'invoke',
          region: 'eu-west-2',
          parameters: '{"FunctionName":"assess-threshold","Payload":{"caseRef":"CT-1"}}',
        },
      },
      {
        id: 4,
        previousEventId: 3,
        timestamp: START_DATE,
        type: 'TaskStarted',
        taskStartedEventDetails: { resourceType: 'lambda', resource: 'invoke' },
      },
    ]);
  });

  it('continues when the runtime reports the invocation’s result', async () => {
    // Prepare
    const definition = task({
      Resource: INVOKE,
      Arguments: { FunctionName: 'fn' },
      Output: '{% $states.result.Payload %}',
    });
    const driver = await runMachine(definition, {}, { invokeFunctions: false });

    // Act
    await driver.respond({ met: true });

    // Assess
    expect(driver.eventTypes.slice(-3)).toEqual(['TaskSucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
    expect(driver.output).toEqual({ met: true });
  });

  it('makes the integration’s response ($states.result) the default output', async () => {
    // Prepare
    const definition = task({ Resource: INVOKE, Arguments: { FunctionName: 'fn', Payload: {} } });

    // Act
    const driver = await runMachine(definition, {}, { handlers: { fn: () => ({ met: true }) } });

    // Assess
    expect(driver.output).toEqual(lambdaResponse({ met: true }, 'request-1'));
    expect(driver.eventTypes).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    expect(driver.eventsOf('TaskSucceeded')[0]?.taskSucceededEventDetails).toEqual({
      resourceType: 'lambda',
      resource: 'invoke',
      output: JSON.stringify(lambdaResponse({ met: true }, 'request-1')),
      outputDetails: { truncated: false },
    });
  });

  it('shapes Output and Assign from $states.result and $states.input', async () => {
    // Prepare
    const definition = task({
      Resource: INVOKE,
      Arguments: { FunctionName: 'fn', Payload: '{% $states.input %}' },
      Assign: { met: '{% $states.result.Payload.met %}' },
      Output: { ref: '{% $states.input.ref %}', met: '{% $states.result.Payload.met %}' },
    });

    // Act
    const driver = await runMachine(
      definition,
      { ref: 'CT-2' },
      { handlers: { fn: () => ({ met: false }) } },
    );

    // Assess
    expect(driver.output).toEqual({ ref: 'CT-2', met: false });
    expect(driver.execution.variables).toEqual({ met: false });
  });

  it('sends an empty payload when Arguments has none, and takes Arguments as one expression', async () => {
    // Prepare
    const payloads: unknown[] = [];
    const handlers = { fn: (payload: unknown) => payloads.push(payload) };

    // Act
    await runMachine(task({ Resource: INVOKE, Arguments: { FunctionName: 'fn' } }), {}, { handlers });
    await runMachine(
      task({ Resource: INVOKE, Arguments: "{% {'FunctionName': 'fn', 'Payload': $states.input} %}" }),
      { whole: true },
      { handlers },
    );

    // Assess
    expect(payloads).toEqual([{}, { whole: true }]);
  });

  it('sets timeoutAt and timeoutInSeconds from TimeoutSeconds, also from JSONata', async () => {
    // Prepare
    const definition = task({
      Resource: INVOKE,
      Arguments: { FunctionName: 'fn' },
      TimeoutSeconds: '{% $states.input.timeout %}',
    });

    // Act
    const driver = await runMachine(definition, { timeout: 30 }, { invokeFunctions: false });

    // Assess
    expect(driver.pending).toMatchObject({ kind: 'invoke', timeoutAt: '2026-01-05T09:00:30.000Z' });
    expect(driver.eventsOf('TaskScheduled')[0]?.taskScheduledEventDetails).toMatchObject({
      timeoutInSeconds: 30,
    });
  });

  it('reports a timed-out invoke as TaskTimedOut with States.Timeout', async () => {
    // Prepare
    const definition = task({ Resource: INVOKE, Arguments: { FunctionName: 'slow' }, TimeoutSeconds: 30 });
    const driver = await runMachine(definition, {}, { invokeFunctions: false });

    // Act: the runtime notices the deadline before the function answers.
    await driver.expireTask();

    // Assess
    expect(driver.clock.now().toISOString()).toBe('2026-01-05T09:00:30.000Z');
    expect(driver.eventTypes.slice(-2)).toEqual(['TaskTimedOut', 'ExecutionFailed']);
    expect(driver.eventsOf('TaskTimedOut')[0]?.taskTimedOutEventDetails).toEqual({
      resourceType: 'lambda',
      resource: 'invoke',
      error: 'States.Timeout',
    });
    expect(driver.execution).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    expect(driver.execution).not.toHaveProperty('cause');
  });

  it('fails the execution with the function’s error when nothing catches it', async () => {
    // Prepare
    const definition = task({ Resource: INVOKE, Arguments: { FunctionName: 'fn' } });
    const handlers = {
      fn: () => {
        throw new RangeError('deadline out of range');
      },
    };

    // Act
    const driver = await runMachine(definition, {}, { handlers });

    // Assess
    const cause = JSON.stringify({
      errorMessage: 'deadline out of range',
      errorType: 'RangeError',
      trace: [],
    });
    expect(driver.eventTypes.slice(-2)).toEqual(['TaskFailed', 'ExecutionFailed']);
    expect(driver.eventsOf('TaskFailed')[0]?.taskFailedEventDetails).toEqual({
      resourceType: 'lambda',
      resource: 'invoke',
      error: 'RangeError',
      cause,
    });
    expect(driver.execution).toMatchObject({ status: 'FAILED', error: 'RangeError', cause });
  });

  it('fails with States.Runtime, past any Catch, when Arguments cannot start the task', async () => {
    // Prepare
    const definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'Task',
      States: {
        Task: {
          Type: 'Task',
          Resource: INVOKE,
          Arguments: { FunctionName: '{% $states.input.fn %}' },
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
          End: true,
        },
        Caught: { Type: 'Succeed' },
      },
    };

    // Act
    const driver = await runMachine(definition, { fn: 42 });

    // Assess
    expect(driver.eventTypes).toEqual(['ExecutionStarted', 'TaskStateEntered', 'ExecutionFailed']);
    expect(driver.execution.error).toBe('States.Runtime');
    expect(driver.execution.cause).toContain('The field "FunctionName" must be a non-empty string');
  });
});

describe('Task on lambda:invoke.waitForTaskToken', () => {
  // After "Wait for a Callback with Task Token": the token goes to the function in the payload.
  const callback = (fields: object = {}) =>
    task({
      Resource: WAIT_FOR_TOKEN,
      Arguments: {
        FunctionName: 'await-decision',
        Payload: { caseRef: '{% $states.input.ref %}', taskToken: '{% $states.context.Task.Token %}' },
      },
      ...fields,
    });

  async function submitted(definition: object): Promise<EngineDriver> {
    return runMachine(
      definition,
      { ref: 'CT-3' },
      { handlers: { 'await-decision': () => ({ queued: true }) } },
    );
  }

  it('passes the task token to the function and waits for it after the function returns', async () => {
    // Act
    const driver = await submitted(callback());

    // Assess
    expect(driver.pending).toEqual({
      kind: 'callback',
      id: 'task-3',
      token: 'token-1-1',
      functionName: 'await-decision',
      payload: { caseRef: 'CT-3', taskToken: 'token-1-1' },
      submitted: true,
    });
    expect(driver.eventTypes).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
    ]);
    expect(driver.eventsOf('TaskSubmitted')[0]?.taskSubmittedEventDetails).toEqual({
      resourceType: 'lambda',
      resource: 'invoke.waitForTaskToken',
      output: JSON.stringify(lambdaResponse({ queued: true }, 'request-1')),
      outputDetails: { truncated: false },
    });
  });

  it('continues with the SendTaskSuccess output as $states.result', async () => {
    // Prepare
    const driver = await submitted(callback({ Output: { decision: '{% $states.result.decision %}' } }));

    // Act
    await driver.sendTaskSuccess({ decision: 'met' });

    // Assess
    expect(driver.eventTypes.slice(-3)).toEqual(['TaskSucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
    expect(driver.output).toEqual({ decision: 'met' });
  });

  it('fails on SendTaskFailure with its error and cause', async () => {
    // Prepare
    const driver = await submitted(callback());

    // Act
    await driver.sendTaskFailure('Withdrawn', 'The applicant withdrew');

    // Assess
    expect(driver.eventsOf('TaskFailed')[0]?.taskFailedEventDetails).toEqual({
      resourceType: 'lambda',
      resource: 'invoke.waitForTaskToken',
      error: 'Withdrawn',
      cause: 'The applicant withdrew',
    });
    expect(driver.execution).toMatchObject({
      status: 'FAILED',
      error: 'Withdrawn',
      cause: 'The applicant withdrew',
    });
  });

  it('accepts SendTaskSuccess that arrives before the function has returned', async () => {
    // Prepare: the function has not returned yet, so the callback is not submitted.
    const driver = await runMachine(callback(), { ref: 'CT-4' }, { invokeFunctions: false });
    const pending = driver.pending;

    // Act
    await driver.sendTaskSuccess({ early: true });

    // Assess
    expect(pending).toMatchObject({ kind: 'callback', submitted: false });
    expect(driver.eventTypes.slice(-3)).toEqual(['TaskSucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
    expect(driver.eventTypes).not.toContain('TaskSubmitted');
  });

  it('times out with States.Timeout only when TimeoutSeconds is given', async () => {
    // Prepare
    const withTimeout = await submitted(callback({ TimeoutSeconds: 600 }));
    const withoutTimeout = await submitted(callback());
    const deadline = withTimeout.pending;

    // Act
    await withTimeout.expireTask();

    // Assess
    expect(withoutTimeout.pending).not.toHaveProperty('timeoutAt');
    expect(deadline).toMatchObject({ timeoutAt: '2026-01-05T09:10:00.000Z' });
    expect(withTimeout.eventTypes.slice(-2)).toEqual(['TaskTimedOut', 'ExecutionFailed']);
    expect(withTimeout.execution.error).toBe('States.Timeout');
  });

  it('moves heartbeatAt on with each heartbeat, without history events', async () => {
    // Prepare
    const driver = await submitted(callback({ TimeoutSeconds: 600, HeartbeatSeconds: 60 }));
    const before = driver.events.length;

    // Act
    driver.clock.tick(45_000);
    await driver.sendHeartbeat();

    // Assess
    expect(driver.pending).toMatchObject({
      heartbeatAt: '2026-01-05T09:01:45.000Z',
      timeoutAt: '2026-01-05T09:10:00.000Z',
    });
    expect(driver.events.length).toBe(before);
    expect(driver.eventsOf('TaskScheduled')[0]?.taskScheduledEventDetails).toMatchObject({
      resource: 'invoke.waitForTaskToken',
      timeoutInSeconds: 600,
      heartbeatInSeconds: 60,
    });
  });

  it('fails with States.HeartbeatTimeout when a heartbeat is missed', async () => {
    // Prepare
    const driver = await submitted(callback({ HeartbeatSeconds: '{% 60 %}' }));

    // Act
    await driver.expireTask();

    // Assess
    expect(driver.eventsOf('TaskTimedOut')[0]?.taskTimedOutEventDetails).toMatchObject({
      error: 'States.HeartbeatTimeout',
    });
    expect(driver.execution).toMatchObject({ status: 'FAILED', error: 'States.HeartbeatTimeout' });
  });
});
