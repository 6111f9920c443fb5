// The workflow functions' common ground: event parsing, failure naming and wait timeouts.
import { tmpdir } from 'node:os';
import { Logger } from '@aws-lambda-powertools/logger';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StageConflictError } from '#core/errors.ts';
import { WorkflowStateError } from '#data/errors.ts';
import {
  InvalidStepInputError,
  MAX_TIMEOUT_SECONDS,
  stringFields,
  WorkflowStepError,
  waitUntil,
  workflowHandler,
  workflowStep,
} from '#workflow/workflow-step.ts';

const NOW = new Date('2026-03-02T09:00:00.000Z');

describe('waitUntil', () => {
  it('counts whole seconds to the deadline', () => {
    expect(waitUntil('2026-03-02T10:00:00.500Z', NOW)).toEqual({
      timeoutSeconds: 3601,
      due: '2026-03-02T10:00:00.500Z',
    });
  });

  it('times out at once for a deadline already passed, as a backdated case has', () => {
    expect(waitUntil('2015-06-15T22:59:59.999Z', NOW).timeoutSeconds).toBe(1);
  });

  it('waits until the first reminder when that is later, still naming the deadline', () => {
    expect(waitUntil('2015-06-15T22:59:59.999Z', NOW, '2026-03-04T23:59:59.999Z')).toEqual({
      timeoutSeconds: 226800,
      due: '2015-06-15T22:59:59.999Z',
    });
  });

  it('never asks for more than Step Functions accepts', () => {
    expect(waitUntil('2999-01-01T00:00:00.000Z', NOW).timeoutSeconds).toBe(MAX_TIMEOUT_SECONDS);
  });
});

describe('stringFields', () => {
  it('reads the fields it is told to', () => {
    expect(
      stringFields(
        { reference: 'SEF-1', step: 'referral', extra: 1 },
        { reference: 'any', step: ['referral'] },
      ),
    ).toEqual({ reference: 'SEF-1', step: 'referral' });
  });

  it('refuses a missing field or a value outside its list', () => {
    expect(() => stringFields({ step: 'referral' }, { reference: 'any' })).toThrow(InvalidStepInputError);
    expect(() => stringFields({ step: 'other' }, { step: ['referral'] })).toThrow(/one of referral/);
    expect(() => stringFields([], { step: ['referral'] })).toThrow(InvalidStepInputError);
  });
});

describe('workflowStep', () => {
  it('turns an unexpected failure into a WorkflowStepError the state machine retries', async () => {
    // Prepare
    const throttled = Object.assign(new Error('Rate exceeded for 12 Acacia Avenue'), {
      name: 'ThrottlingException',
    });
    const step = workflowStep(
      (event) => event,
      async () => {
        throw throttled;
      },
    );

    // Act
    const failure = step({}).catch((error: unknown) => error);

    // Assess
    const error = await failure;
    expect(error).toBeInstanceOf(WorkflowStepError);
    expect(error).toMatchObject({
      name: 'WorkflowStepError',
      message: 'The step failed with ThrottlingException',
      cause: throttled,
    });
  });

  it('lets a case that cannot take the step fail the execution as it is', async () => {
    // Prepare
    const step = workflowStep(
      (event) => event,
      async () => {
        throw new WorkflowStateError('SEF-1', 'no threshold decision has been recorded');
      },
    );

    // Act + Assess
    await expect(step({})).rejects.toBeInstanceOf(WorkflowStateError);
  });

  it.each([
    ['a case that cannot take the step', new WorkflowStateError('SEF-1', 'no deadline after the referral')],
    ['a wait the case is not at', new StageConflictError('wait for the referral', 'closed')],
    ['an unexpected failure', new TypeError('Cannot read properties of undefined (reading "name")')],
  ])(
    'throws %s with its stack cut to its first line, as Lambda would put it in the history',
    async (_, thrown) => {
      // Prepare
      const step = workflowStep(
        (event) => event,
        async () => {
          throw thrown;
        },
      );

      // Act
      const error = (await step({}).catch((failure: unknown) => failure)) as Error;

      // Assess
      expect(error.stack).toBe(`${error.name}: ${error.message}`);
      expect(error.stack?.split('\n')).toHaveLength(1);
    },
  );

  it('fails an event it cannot parse as InvalidStepInputError, with no stack frames', async () => {
    // Prepare
    const step = workflowStep(
      (event) => stringFields(event, { reference: 'any' }),
      async () => 'ran',
    );

    // Act
    const error = (await step({ reference: 7 }).catch((failure: unknown) => failure)) as Error;

    // Assess
    expect(error).toBeInstanceOf(InvalidStepInputError);
    expect(error.stack).toBe("InvalidStepInputError: The event's reference must be a non-empty string");
  });
});

describe('workflowHandler', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('fails with a WorkflowStepError naming the error when its settings cannot be read', async () => {
    // Prepare
    vi.stubEnv('CASE_RETENTION_YEARS', 'many');
    const handler = workflowHandler(() => async () => 'ran');

    // Act
    const error = (await handler({}).catch((failure: unknown) => failure)) as Error;

    // Assess
    expect(error).toBeInstanceOf(WorkflowStepError);
    expect(error.message).toMatch(/^The step failed with \w+$/);
    expect(error.stack).toBe(`WorkflowStepError: ${error.message}`);
  });

  it('logs a failed step by its kind and safe message, never what its cause said', async () => {
    // Prepare
    vi.stubEnv('CASES_TABLE', 'cases');
    vi.stubEnv('STATISTICS_TABLE', 'statistics');
    vi.stubEnv('DATA_DIR', tmpdir());
    const logged = vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const handler = workflowHandler(() =>
      workflowStep(
        (event) => event,
        async () => {
          throw new Error('Jane Doe, 1 Acacia Avenue');
        },
      ),
    );

    // Act
    const error = (await handler({}).catch((failure: unknown) => failure)) as Error;

    // Assess
    expect(error).toBeInstanceOf(WorkflowStepError);
    expect(logged).toHaveBeenCalledWith('The workflow step failed', {
      failure: 'WorkflowStepError',
      reason: 'The step failed with Error',
    });
    expect(JSON.stringify(logged.mock.calls)).not.toContain('Acacia');
    logged.mockRestore();
  });
});
