import { describe, expect, it } from 'vitest';
import { runMachine, START_DATE } from '#test/support/engine-driver.ts';

describe('Pass', () => {
  it('runs a chain of Pass states, each output the next input, and records AWS history events', async () => {
    // Prepare
    const definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'One',
      States: {
        One: { Type: 'Pass', Output: { n: '{% $states.input.n + 1 %}' }, Next: 'Two' },
        Two: { Type: 'Pass', Output: { n: '{% $states.input.n * 10 %}' }, End: true },
      },
    };

    // Act
    const driver = await runMachine(definition, { n: 1 });

    // Assess: ids chain on, except the first state's entry, which AWS links to no earlier event.
    expect(driver.events).toEqual([
      {
        id: 1,
        previousEventId: 0,
        timestamp: START_DATE,
        type: 'ExecutionStarted',
        executionStartedEventDetails: { input: '{"n":1}', inputDetails: { truncated: false } },
      },
      {
        id: 2,
        previousEventId: 0,
        timestamp: START_DATE,
        type: 'PassStateEntered',
        stateEnteredEventDetails: { name: 'One', input: '{"n":1}', inputDetails: { truncated: false } },
      },
      {
        id: 3,
        previousEventId: 2,
        timestamp: START_DATE,
        type: 'PassStateExited',
        stateExitedEventDetails: { name: 'One', output: '{"n":2}', outputDetails: { truncated: false } },
      },
      {
        id: 4,
        previousEventId: 3,
        timestamp: START_DATE,
        type: 'PassStateEntered',
        stateEnteredEventDetails: { name: 'Two', input: '{"n":2}', inputDetails: { truncated: false } },
      },
      {
        id: 5,
        previousEventId: 4,
        timestamp: START_DATE,
        type: 'PassStateExited',
        stateExitedEventDetails: { name: 'Two', output: '{"n":20}', outputDetails: { truncated: false } },
      },
      {
        id: 6,
        previousEventId: 5,
        timestamp: START_DATE,
        type: 'ExecutionSucceeded',
        executionSucceededEventDetails: { output: '{"n":20}', outputDetails: { truncated: false } },
      },
    ]);
    expect(driver.execution).toMatchObject({
      status: 'SUCCEEDED',
      output: '{"n":20}',
      stopDate: START_DATE,
      pending: null,
      lastEventId: 6,
    });
  });
});

describe('Choice', () => {
  // The Choice example of the Step Functions guide ("Choice workflow state"), in JSONata.
  const choiceExample = {
    QueryLanguage: 'JSONata',
    StartAt: 'ChoiceStateX',
    States: {
      ChoiceStateX: {
        Type: 'Choice',
        Choices: [
          { Condition: "{% $not($states.input.type = 'Private') %}", Next: 'Public' },
          { Condition: '{% $states.input.value = 0 %}', Next: 'ValueIsZero' },
          {
            Condition: '{% $states.input.value >= 20 and $states.input.value < 30 %}',
            Next: 'ValueInTwenties',
          },
        ],
        Default: 'DefaultState',
      },
      Public: { Type: 'Pass', End: true },
      ValueIsZero: { Type: 'Pass', End: true },
      ValueInTwenties: { Type: 'Pass', End: true },
      DefaultState: { Type: 'Fail', Cause: 'No Matches!' },
    },
  };

  it.each([
    [{ type: 'Public', value: 22 }, 'Public'],
    [{ type: 'Private', value: 0 }, 'ValueIsZero'],
    [{ type: 'Private', value: 22 }, 'ValueInTwenties'],
  ])('takes the first rule whose Condition holds for %j', async (input, target) => {
    // Act
    const driver = await runMachine(choiceExample, input);

    // Assess
    expect(driver.eventTypes).toEqual([
      'ExecutionStarted',
      'ChoiceStateEntered',
      'ChoiceStateExited',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ]);
    expect(driver.eventsOf('PassStateEntered')[0]?.stateEnteredEventDetails).toMatchObject({ name: target });
    expect(driver.output).toEqual(input);
  });

  it('takes the Default when no rule holds', async () => {
    // Act
    const driver = await runMachine(choiceExample, { type: 'Private', value: 50 });

    // Assess
    expect(driver.eventTypes.slice(-2)).toEqual(['FailStateEntered', 'ExecutionFailed']);
    expect(driver.eventsOf('ExecutionFailed')[0]?.executionFailedEventDetails).toEqual({
      cause: 'No Matches!',
    });
    expect(driver.execution).toMatchObject({ status: 'FAILED', cause: 'No Matches!' });
  });

  it('applies the matching rule’s Output and Assign, and the state’s own only with the Default', async () => {
    // Prepare
    const definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'Decide',
      States: {
        Decide: {
          Type: 'Choice',
          Choices: [
            {
              Condition: '{% $states.input.met %}',
              Assign: { outcome: 'met' },
              Output: { via: 'rule', input: '{% $states.input %}' },
              Next: 'Done',
            },
          ],
          Default: 'Done',
          Assign: { outcome: 'not met' },
          Output: { via: 'default' },
        },
        Done: {
          Type: 'Pass',
          Output: { output: '{% $states.input %}', outcome: '{% $outcome %}' },
          End: true,
        },
      },
    };

    // Act
    const met = await runMachine(definition, { met: true });
    const notMet = await runMachine(definition, { met: false });

    // Assess
    expect(met.output).toEqual({ output: { via: 'rule', input: { met: true } }, outcome: 'met' });
    expect(met.eventsOf('ChoiceStateExited')[0]?.stateExitedEventDetails).toMatchObject({
      assignedVariables: { outcome: '"met"' },
    });
    expect(notMet.output).toEqual({ output: { via: 'default' }, outcome: 'not met' });
  });

  it('fails with States.NoChoiceMatched when no rule holds and there is no Default', async () => {
    // Prepare
    const definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'Decide',
      States: {
        Decide: { Type: 'Choice', Choices: [{ Condition: false, Next: 'Done' }] },
        Done: { Type: 'Succeed' },
      },
    };

    // Act
    const driver = await runMachine(definition);

    // Assess
    expect(driver.eventTypes).toEqual(['ExecutionStarted', 'ChoiceStateEntered', 'ExecutionFailed']);
    expect(driver.execution.error).toBe('States.NoChoiceMatched');
  });

  it('fails with States.QueryEvaluationError when a Condition is not a boolean', async () => {
    // Prepare
    const definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'Decide',
      States: {
        Decide: { Type: 'Choice', Choices: [{ Condition: '{% $states.input.name %}', Next: 'Done' }] },
        Done: { Type: 'Succeed' },
      },
    };

    // Act
    const driver = await runMachine(definition, { name: 'text' });

    // Assess
    expect(driver.eventsOf('EvaluationFailed')[0]?.evaluationFailedEventDetails).toMatchObject({
      location: 'Choices/0/Condition',
    });
    expect(driver.execution.cause).toContain('expected a boolean');
  });
});

describe('Wait', () => {
  function wait(fields: object): object {
    return {
      QueryLanguage: 'JSONata',
      StartAt: 'WaitState',
      States: { WaitState: { Type: 'Wait', ...fields, End: true } },
    };
  }

  it('asks for a timer Seconds ahead and never sleeps', async () => {
    // Prepare: "Seconds": 10 from the Wait state guide.
    const definition = wait({ Seconds: 10 });

    // Act
    const driver = await runMachine(definition, { a: 1 }, { fireTimers: false });

    // Assess
    expect(driver.pending).toEqual({ kind: 'timer', id: 'wait-2', dueAt: '2026-01-05T09:00:10.000Z' });
    expect(driver.eventTypes).toEqual(['ExecutionStarted', 'WaitStateEntered']);
    expect(driver.status).toBe('RUNNING');
  });

  it('leaves the state when the timer fires', async () => {
    // Prepare
    const driver = await runMachine(
      wait({ Seconds: 10, Output: { waited: true } }),
      {},
      { fireTimers: false },
    );

    // Act
    await driver.fireTimer();

    // Assess
    expect(driver.eventTypes.slice(-2)).toEqual(['WaitStateExited', 'ExecutionSucceeded']);
    expect(driver.eventsOf('WaitStateExited')[0]?.timestamp).toBe('2026-01-05T09:00:10.000Z');
    expect(driver.output).toEqual({ waited: true });
  });

  it('waits the seconds a JSONata expression gives', async () => {
    // Prepare: as AWS's recorded WAIT_SECONDS_JSONATA (LocalStack snapshot tests).
    const definition = wait({ Seconds: '{% $states.input.waitSeconds %}' });

    // Act
    const driver = await runMachine(definition, { waitSeconds: 90 }, { fireTimers: false });

    // Assess
    expect(driver.pending).toMatchObject({ kind: 'timer', dueAt: '2026-01-05T09:01:30.000Z' });
  });

  it.each([
    // "Timestamp": "2016-03-14T01:59:00Z" from the Wait state guide; a past time is due at once.
    ['a literal Timestamp', { Timestamp: '2016-03-14T01:59:00Z' }, {}, '2016-03-14T01:59:00.000Z'],
    [
      'a Timestamp from JSONata, with an offset',
      { Timestamp: '{% $states.input.until %}' },
      { until: '2026-03-14T01:59:00.5+01:00' },
      '2026-03-14T00:59:00.500Z',
    ],
  ])('waits until %s', async (_, fields, input, dueAt) => {
    // Act
    const driver = await runMachine(wait(fields), input, { fireTimers: false });

    // Assess
    expect(driver.pending).toMatchObject({ kind: 'timer', dueAt });
  });

  it('fails with States.QueryEvaluationError on a timestamp it cannot parse, as AWS does', async () => {
    // Prepare: AWS's recorded WAIT_TIMESTAMP_JSONATA case NO_T (LocalStack snapshot tests): same cause.
    const definition = wait({ Timestamp: '{% $states.input.TimestampValue %}' });

    // Act
    const driver = await runMachine(definition, { TimestampValue: '2016-12-05 21:29:29Z' });

    // Assess
    expect(driver.eventTypes).toEqual([
      'ExecutionStarted',
      'WaitStateEntered',
      'EvaluationFailed',
      'ExecutionFailed',
    ]);
    expect(driver.execution.cause).toBe(
      "An error occurred while executing the state 'WaitState' (entered at the event id #2). The Timestamp field " +
        'cannot be parsed as an ISO-8601 extended offset date-time format string: 2016-12-05 21:29:29Z',
    );
  });

  it.each([[-1], [1.5], ['10']])(
    'fails with States.QueryEvaluationError when Seconds evaluates to %j',
    async (seconds) => {
      // Act
      const driver = await runMachine(wait({ Seconds: '{% $states.input.s %}' }), { s: seconds });

      // Assess
      expect(driver.eventsOf('EvaluationFailed')[0]?.evaluationFailedEventDetails).toMatchObject({
        location: 'Seconds',
      });
    },
  );
});

describe('Succeed and Fail', () => {
  it('ends with the Succeed state’s Output', async () => {
    // Prepare
    const definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'Done',
      States: { Done: { Type: 'Succeed', Output: { closed: '{% $states.input.ref %}' } } },
    };

    // Act
    const driver = await runMachine(definition, { ref: 'CT-1' });

    // Assess
    expect(driver.eventTypes).toEqual([
      'ExecutionStarted',
      'SucceedStateEntered',
      'SucceedStateExited',
      'ExecutionSucceeded',
    ]);
    expect(driver.output).toEqual({ closed: 'CT-1' });
  });

  it('fails the execution with the Fail state’s Error and Cause', async () => {
    // Prepare: the Fail state example of the guide.
    const definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'FailState',
      States: { FailState: { Type: 'Fail', Error: 'ErrorA', Cause: 'Kaiju attack' } },
    };

    // Act
    const driver = await runMachine(definition);

    // Assess
    expect(driver.eventTypes).toEqual(['ExecutionStarted', 'FailStateEntered', 'ExecutionFailed']);
    expect(driver.eventsOf('ExecutionFailed')[0]).toMatchObject({
      previousEventId: 2,
      executionFailedEventDetails: { error: 'ErrorA', cause: 'Kaiju attack' },
    });
    expect(driver.execution).toMatchObject({
      status: 'FAILED',
      error: 'ErrorA',
      cause: 'Kaiju attack',
      pending: null,
    });
  });

  it('evaluates JSONata in Error and Cause', async () => {
    // Prepare: as AWS's recorded RAISE_FAILURE_ERROR_JSONATA and _CAUSE_JSONATA (LocalStack snapshot tests).
    const definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'FailState',
      States: {
        FailState: {
          Type: 'Fail',
          Error: '{% $states.input.error %}',
          Cause: "{% 'Because ' & $states.input.why %}",
        },
      },
    };

    // Act
    const driver = await runMachine(definition, { error: 'Exception', why: 'reasons' });

    // Assess
    expect(driver.execution).toMatchObject({ error: 'Exception', cause: 'Because reasons' });
  });

  it('fails with only the Error when the state gives no Cause', async () => {
    // Prepare
    const definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'F',
      States: { F: { Type: 'Fail', Error: 'Only' } },
    };

    // Act
    const driver = await runMachine(definition);

    // Assess
    expect(driver.eventsOf('ExecutionFailed')[0]?.executionFailedEventDetails).toEqual({ error: 'Only' });
    expect(driver.execution).not.toHaveProperty('cause');
  });
});
