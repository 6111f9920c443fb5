// AWS's hard quotas on what one execution may hold, where the interpreter enforces them: 25,000
// history events, and 256 KiB (262,144 UTF-8 bytes) of task input, task result and state output.
import { describe, expect, it } from 'vitest';
import { MAX_HISTORY_EVENTS, MAX_PAYLOAD_BYTES } from '#local/stepfunctions/quotas.ts';
import { runMachine } from '#test/support/engine-driver.ts';
import { lambdaTask, passChain } from '#test/support/stepfunctions-runtime.ts';

const spin = {
  QueryLanguage: 'JSONata',
  StartAt: 'Loop',
  States: { Loop: { Type: 'Pass', Next: 'Loop' } },
};

/** A string that takes `bytes` UTF-8 bytes in half as many characters ('é' is two bytes). */
function twoByteText(bytes: number): string {
  return 'é'.repeat(bytes / 2);
}

/** The largest `text` for which {"text": text} fits the payload quota, in ASCII. */
const LARGEST_ASCII_TEXT = MAX_PAYLOAD_BYTES - '{"text":""}'.length;

const DATA_LIMIT_CAUSE =
  /^The state\/task '(\w+)' (returned a result|was given an input) with a size exceeding the maximum number of bytes service limit\.$/;

describe('the history quota of 25,000 events', () => {
  it('fails an execution that never ends with event 25,000, as AWS does', async () => {
    // Act
    const driver = await runMachine(spin);

    // Assess
    expect(driver.status).toBe('FAILED');
    expect(driver.events).toHaveLength(MAX_HISTORY_EVENTS);
    const [lastReal, last] = driver.events.slice(-2);
    expect(lastReal).toMatchObject({ id: 24_999, type: 'PassStateExited' });
    expect(last).toEqual({
      id: 25_000,
      previousEventId: 24_999,
      timestamp: expect.any(String),
      type: 'ExecutionFailed',
      executionFailedEventDetails: {
        error: 'States.Runtime',
        cause: 'The execution reached the maximum number of history events (25000).',
      },
    });
    expect(driver.execution).toMatchObject({ error: 'States.Runtime', pending: null, cursor: null });
  });

  it('lets an execution whose 25,000th event ends it succeed', async () => {
    // Prepare: ExecutionStarted, two events per Pass, Succeed entered and exited, ExecutionSucceeded.
    const passes = (MAX_HISTORY_EVENTS - 4) / 2;

    // Act
    const driver = await runMachine(passChain(passes), { n: 0 });

    // Assess
    expect(driver.status).toBe('SUCCEEDED');
    expect(driver.events).toHaveLength(MAX_HISTORY_EVENTS);
    expect(driver.events.at(-1)).toMatchObject({ id: 25_000, type: 'ExecutionSucceeded' });
    expect(driver.output).toEqual({ n: passes });
  });

  it('fails the same execution one state longer, when event 25,000 would not end it', async () => {
    // Prepare
    const passes = (MAX_HISTORY_EVENTS - 4) / 2 + 1;

    // Act
    const driver = await runMachine(passChain(passes), { n: 0 });

    // Assess
    expect(driver.status).toBe('FAILED');
    expect(driver.events).toHaveLength(MAX_HISTORY_EVENTS);
    expect(driver.events.at(-1)).toMatchObject({
      type: 'ExecutionFailed',
      executionFailedEventDetails: { error: 'States.Runtime' },
    });
  });
});

describe('the payload quota of 256 KiB in UTF-8 bytes', () => {
  it("fails the execution on a Lambda result over the quota, without recording it, whatever the Task's Retry and Catch", async () => {
    // Prepare: under the quota in characters, over it in bytes.
    const text = twoByteText(MAX_PAYLOAD_BYTES);
    let calls = 0;
    const definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'Call',
      States: {
        Call: lambdaTask('big', {
          Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 3 }],
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
          Next: 'Done',
        }),
        Caught: { Type: 'Succeed' },
        Done: { Type: 'Succeed' },
      },
    };

    // Act
    const driver = await runMachine(
      definition,
      {},
      {
        handlers: {
          big: () => {
            calls += 1;
            return { text };
          },
        },
      },
    );

    // Assess
    expect(text.length).toBeLessThan(MAX_PAYLOAD_BYTES);
    expect(driver.status).toBe('FAILED');
    expect(calls).toBe(1);
    expect(driver.execution.error).toBe('States.DataLimitExceeded');
    expect(driver.execution.cause).toMatch(DATA_LIMIT_CAUSE);
    expect(driver.execution.cause).toContain("'Call' returned a result");
    expect(driver.eventTypes).not.toContain('TaskSucceeded');
    expect(driver.eventTypes.at(-1)).toBe('ExecutionFailed');
  });

  it('takes a state output of exactly the quota, and fails one byte over it', async () => {
    // Prepare
    const output = (length: number) => ({
      QueryLanguage: 'JSONata',
      StartAt: 'Fill',
      States: {
        Fill: { Type: 'Pass', Output: `{% {"text": $pad("", ${length}, "x")} %}`, Next: 'Done' },
        Done: { Type: 'Succeed' },
      },
    });

    // Act
    const fits = await runMachine(output(LARGEST_ASCII_TEXT));
    const over = await runMachine(output(LARGEST_ASCII_TEXT + 1));

    // Assess
    expect(fits.status).toBe('SUCCEEDED');
    expect(Buffer.byteLength(fits.execution.output ?? '')).toBe(MAX_PAYLOAD_BYTES);
    expect(over.status).toBe('FAILED');
    expect(over.execution).toMatchObject({ error: 'States.DataLimitExceeded' });
    expect(over.execution.cause).toContain("'Fill' returned a result");
    expect(over.eventTypes).not.toContain('PassStateExited');
  });

  it('fails a task whose Arguments are over the quota before it is scheduled', async () => {
    // Prepare
    const definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'Call',
      States: {
        Call: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: 'echo', Payload: { text: '{% $states.input.text %}' } },
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
          End: true,
        },
        Caught: { Type: 'Succeed' },
      },
    };

    // Act
    const driver = await runMachine(
      definition,
      { text: twoByteText(MAX_PAYLOAD_BYTES - 2) },
      {
        handlers: { echo: (payload) => payload },
      },
    );

    // Assess
    expect(driver.status).toBe('FAILED');
    expect(driver.execution.error).toBe('States.DataLimitExceeded');
    expect(driver.execution.cause).toContain("'Call' was given an input");
    expect(driver.eventTypes).not.toContain('TaskScheduled');
  });

  it('fails on a Catch output over the quota and on a Choice output over it', async () => {
    // Prepare
    const huge = `{% {"text": $pad("", ${MAX_PAYLOAD_BYTES}, "x")} %}`;
    const catching = {
      QueryLanguage: 'JSONata',
      StartAt: 'Call',
      States: {
        Call: lambdaTask('explode', {
          Catch: [{ ErrorEquals: ['States.ALL'], Output: huge, Next: 'Caught' }],
          End: true,
        }),
        Caught: { Type: 'Succeed' },
      },
    };
    const choosing = {
      QueryLanguage: 'JSONata',
      StartAt: 'Pick',
      States: {
        Pick: { Type: 'Choice', Choices: [{ Condition: true, Output: huge, Next: 'Done' }] },
        Done: { Type: 'Succeed' },
      },
    };

    // Act
    const caught = await runMachine(
      catching,
      {},
      {
        handlers: {
          explode: () => {
            throw new Error('boom');
          },
        },
      },
    );
    const chosen = await runMachine(choosing);

    // Assess
    for (const driver of [caught, chosen]) {
      expect(driver.status).toBe('FAILED');
      expect(driver.execution.error).toBe('States.DataLimitExceeded');
      expect(driver.execution.cause).toMatch(DATA_LIMIT_CAUSE);
    }
    expect(caught.eventTypes).not.toContain('TaskStateExited');
    expect(chosen.eventTypes).not.toContain('ChoiceStateExited');
  });
});
