import { describe, expect, it } from 'vitest';
import { advance, newExecution, TRANSITIONS_PER_ADVANCE } from '#local/stepfunctions/interpreter.ts';
import {
  ExecutionNotRunningError,
  StalePendingError,
  UnexpectedSignalError,
} from '#local/stepfunctions/interpreter-errors.ts';
import type { Signal } from '#local/stepfunctions/model.ts';
import { EngineDriver, FakeClock, runMachine, START_DATE } from '#test/support/engine-driver.ts';

const INVOKE = 'arn:aws:states:::lambda:invoke';
const WAIT_FOR_TOKEN = 'arn:aws:states:::lambda:invoke.waitForTaskToken';

const waiting = {
  QueryLanguage: 'JSONata',
  TimeoutSeconds: 3600,
  StartAt: 'State_1',
  States: { State_1: { Type: 'Wait', Seconds: 60, End: true } },
};

/** A machine that loops `rounds` times through a Pass and a Choice before it succeeds. */
function loop(rounds: number): object {
  return {
    QueryLanguage: 'JSONata',
    StartAt: 'Init',
    States: {
      Init: { Type: 'Pass', Assign: { i: 0 }, Next: 'Count' },
      Count: { Type: 'Pass', Assign: { i: '{% $i + 1 %}' }, Next: 'More' },
      More: {
        Type: 'Choice',
        Choices: [{ Condition: `{% $i < ${rounds} %}`, Next: 'Count' }],
        Default: 'Done',
      },
      Done: { Type: 'Succeed', Output: { rounds: '{% $i %}' } },
    },
  };
}

/** One machine that meets every kind of pending step: continue, timer, invoke, retry, callback. */
const everything = {
  QueryLanguage: 'JSONata',
  TimeoutSeconds: 86400,
  StartAt: 'Init',
  States: {
    Init: { Type: 'Pass', Assign: { i: 0 }, Next: 'Count' },
    Count: { Type: 'Pass', Assign: { i: '{% $i + 1 %}' }, Next: 'More' },
    More: { Type: 'Choice', Choices: [{ Condition: '{% $i < 300 %}', Next: 'Count' }], Default: 'Pause' },
    Pause: { Type: 'Wait', Seconds: 30, Next: 'Assess' },
    Assess: {
      Type: 'Task',
      Resource: INVOKE,
      Arguments: { FunctionName: 'assess', Payload: { id: '{% $uuid() %}' } },
      Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 2, JitterStrategy: 'FULL' }],
      Output: '{% $states.result.Payload %}',
      Next: 'Decide',
    },
    Decide: {
      Type: 'Task',
      Resource: WAIT_FOR_TOKEN,
      Arguments: { FunctionName: 'notify', Payload: { token: '{% $states.context.Task.Token %}' } },
      HeartbeatSeconds: 600,
      Output: { assessed: '{% $states.input %}', decision: '{% $states.result %}', rounds: '{% $i %}' },
      End: true,
    },
  },
};

async function playEverything(roundTrip: boolean): Promise<EngineDriver> {
  let assessCalls = 0;
  const driver = new EngineDriver(everything, {
    roundTrip,
    random: () => 0.75,
    handlers: {
      assess: () => {
        assessCalls += 1;
        if (assessCalls === 1) throw new Error('transient');
        return { met: true };
      },
      notify: () => ({ sent: true }),
    },
  });
  await driver.start({ ref: 'CT-7' });
  driver.clock.tick(60_000);
  await driver.sendHeartbeat();
  await driver.sendTaskSuccess({ decision: 'met' });
  return driver;
}

describe('execution TimeoutSeconds', () => {
  it('sets timeoutAt from the start date and times out with ExecutionTimedOut', async () => {
    // Prepare
    const driver = await runMachine(waiting, {}, { fireTimers: false });
    const { timeoutAt } = driver.execution;

    // Act
    await driver.expireExecution();

    // Assess
    expect(timeoutAt).toBe('2026-01-05T10:00:00.000Z');
    expect(driver.events.at(-1)).toEqual({
      id: 3,
      previousEventId: 2,
      timestamp: '2026-01-05T10:00:00.000Z',
      type: 'ExecutionTimedOut',
      executionTimedOutEventDetails: { error: 'States.Timeout' },
    });
    expect(driver.execution).toMatchObject({
      status: 'TIMED_OUT',
      error: 'States.Timeout',
      stopDate: '2026-01-05T10:00:00.000Z',
      pending: null,
    });
  });

  it('leaves timeoutAt out when the definition sets no TimeoutSeconds', async () => {
    // Act
    const driver = await runMachine(loop(1));

    // Assess
    expect(driver.execution).not.toHaveProperty('timeoutAt');
  });
});

describe('stop', () => {
  it('aborts a waiting execution with ExecutionAborted, as AWS records it', async () => {
    // Prepare
    const driver = await runMachine(waiting, {}, { fireTimers: false });

    // Act
    await driver.stop();

    // Assess
    expect(driver.eventTypes).toEqual(['ExecutionStarted', 'WaitStateEntered', 'ExecutionAborted']);
    expect(driver.events.at(-1)).toMatchObject({ previousEventId: 0, executionAbortedEventDetails: {} });
    expect(driver.execution).toMatchObject({ status: 'ABORTED', pending: null, stopDate: START_DATE });
  });

  it('records the error and cause StopExecution gives', async () => {
    // Prepare
    const driver = await runMachine(waiting, {}, { fireTimers: false });

    // Act
    await driver.stop('Closed', 'Closed by the officer');

    // Assess
    expect(driver.events.at(-1)?.executionAbortedEventDetails).toEqual({
      error: 'Closed',
      cause: 'Closed by the officer',
    });
    expect(driver.execution).toMatchObject({ error: 'Closed', cause: 'Closed by the officer' });
  });
});

describe('the transition budget', () => {
  it(`hands back a continue after ${TRANSITIONS_PER_ADVANCE} transitions and resumes where it stopped`, async () => {
    // Act: 1 + 2 × 600 + 1 states to enter.
    const driver = await runMachine(loop(600));

    // Assess
    const entered = driver.steps.map(
      (step) => step.events.filter((event) => event.type.endsWith('StateEntered')).length,
    );
    expect(entered).toEqual([TRANSITIONS_PER_ADVANCE, TRANSITIONS_PER_ADVANCE, 202]);
    expect(driver.steps[0]?.after.pending).toEqual({
      kind: 'continue',
      id: `continue-${driver.steps[0]?.after.lastEventId}`,
    });
    expect(driver.signals.map((signal) => signal.type)).toEqual(['start', 'continue', 'continue']);
    expect(driver.output).toEqual({ rounds: 600 });
    expect(driver.events.map((event) => event.id)).toEqual(driver.events.map((_, index) => index + 1));
  });
});

describe('resuming from a persisted record', () => {
  it('gives the same history and record when the record is JSON round-tripped at every pending step', async () => {
    // Act
    const direct = await playEverything(false);
    const persisted = await playEverything(true);

    // Assess: the run met every kind of pending step.
    const kinds = new Set(direct.steps.map((step) => step.after.pending?.kind ?? 'ended'));
    expect(kinds).toEqual(new Set(['continue', 'timer', 'invoke', 'callback', 'ended']));
    expect(persisted.events).toEqual(direct.events);
    expect(persisted.execution).toEqual(direct.execution);
    expect(direct.output).toEqual({ assessed: { met: true }, decision: { decision: 'met' }, rounds: 300 });
  });

  it('gives the same result when an advance is replayed with the same record, signal and context', async () => {
    // Prepare
    const driver = await playEverything(true);

    // Act: replay every advance, as the runtime does after a crash.
    const replays = await Promise.all(
      driver.steps.map((step, index) =>
        advance(
          driver.machine,
          JSON.parse(JSON.stringify(step.before)),
          step.signal,
          driver.contextFor(index + 1, new FakeClock(step.at)),
        ),
      ),
    );

    // Assess
    expect(replays).toEqual(driver.steps.map((step) => ({ execution: step.after, events: step.events })));
  });

  it('never changes the machine or the record it is given', async () => {
    // Prepare
    const driver = new EngineDriver(loop(3));
    const record = newExecution(driver.machine, {
      executionArn: 'arn:x',
      name: 'x',
      input: '{}',
      startDate: START_DATE,
    });
    const frozen = <T>(value: T): T => {
      if (typeof value === 'object' && value !== null) {
        for (const item of Object.values(value)) frozen(item);
        Object.freeze(value);
      }
      return value;
    };
    frozen(driver.machine);
    frozen(record);

    // Act
    const { execution } = await advance(driver.machine, record, { type: 'start' }, driver.contextFor(1));

    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(record).toMatchObject({ status: 'RUNNING', lastEventId: 0, variables: {} });
  });
});

describe('signals advance() refuses', () => {
  async function refusal(driver: EngineDriver, signal: Signal): Promise<unknown> {
    return advance(driver.machine, driver.execution, signal, driver.contextFor(99)).then(
      () => undefined,
      (error: unknown) => error,
    );
  }

  it('refuses a signal for a pending step that is gone', async () => {
    // Prepare
    const driver = await runMachine(waiting, {}, { fireTimers: false });

    // Act
    const error = await refusal(driver, { type: 'timer-fired', pendingId: 'wait-1' });

    // Assess
    expect(error).toBeInstanceOf(StalePendingError);
  });

  it('refuses a signal that does not fit the pending step', async () => {
    // Prepare
    const driver = await runMachine(waiting, {}, { fireTimers: false });

    // Act
    const error = await refusal(driver, { type: 'invoke-succeeded', pendingId: 'wait-2', output: {} });

    // Assess
    expect(error).toBeInstanceOf(UnexpectedSignalError);
  });

  it('refuses a second start and a second submit', async () => {
    // Prepare
    const waitingDriver = await runMachine(waiting, {}, { fireTimers: false });
    const callback = {
      QueryLanguage: 'JSONata',
      StartAt: 'T',
      States: { T: { Type: 'Task', Resource: WAIT_FOR_TOKEN, Arguments: { FunctionName: 'fn' }, End: true } },
    };
    const submitted = await runMachine(callback, {}, { handlers: { fn: () => null } });

    // Act
    const secondStart = await refusal(waitingDriver, { type: 'start' });
    const secondSubmit = await refusal(submitted, { type: 'submitted', pendingId: 'task-3', output: null });

    // Assess
    expect(secondStart).toBeInstanceOf(UnexpectedSignalError);
    expect(secondSubmit).toBeInstanceOf(UnexpectedSignalError);
  });

  it('refuses any signal once the execution has ended', async () => {
    // Prepare
    const driver = await runMachine(loop(1));

    // Act
    const error = await refusal(driver, { type: 'stop' });

    // Assess
    expect(error).toBeInstanceOf(ExecutionNotRunningError);
  });
});
