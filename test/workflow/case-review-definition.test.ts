// The state machine file itself: valid ASL (asl-validator, as AWS would check it), within the local
// engine's subset, wired to exactly the workflow functions of infra/functions.ts, and shaped as the
// design says (every human wait reminds on timeout and ends on withdrawal).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { definitionSubstitutions, functionSpecs, localFunctionArn } from '#infra/functions.ts';
import { loadStateMachines } from '#local/stepfunctions/definitions.ts';

const require = createRequire(import.meta.url);
const validate = require('asl-validator') as (
  definition: unknown,
  options?: { checkPaths: boolean; checkArn: boolean },
) => { isValid: boolean; errorsText(separator?: string): string };

const FILE = join(import.meta.dirname, '../../statemachines/case-review.asl.json');
const text = readFileSync(FILE, 'utf8');

interface State {
  Type: string;
  Resource?: string;
  Arguments?: { FunctionName?: string; Payload?: Record<string, unknown> };
  TimeoutSeconds?: unknown;
  Catch?: { ErrorEquals: string[]; Next: string }[];
  Retry?: { ErrorEquals: string[] }[];
  Next?: string;
}
const definition = JSON.parse(text) as {
  QueryLanguage: string;
  StartAt: string;
  States: Record<string, State>;
};
const states = Object.entries(definition.States);

describe('statemachines/case-review.asl.json', () => {
  it('is valid Amazon States Language, with its placeholders as CDK leaves them', () => {
    // Act
    const result = validate(definition, { checkPaths: true, checkArn: true });

    // Assess
    expect(result.errorsText()).toBe('');
    expect(result.isValid).toBe(true);
    expect(definition.QueryLanguage).toBe('JSONata');
  });

  it('loads on the local engine with every placeholder filled', () => {
    // Act
    const machines = loadStateMachines(
      join(import.meta.dirname, '../../statemachines'),
      definitionSubstitutions((spec) => localFunctionArn(spec.id)),
    );

    // Assess
    expect(machines.map((machine) => machine.name)).toContain('case-review');
  });

  it('calls exactly the workflow functions of infra/functions.ts', () => {
    // Prepare
    const placeholders = new Set([...text.matchAll(/\$\{(\w+)FunctionArn\}/g)].map((match) => match[1]));

    // Act
    const workflowFunctions = new Set(functionSpecs.filter((spec) => spec.workflow).map((spec) => spec.id));

    // Assess
    expect(placeholders).toEqual(workflowFunctions);
  });

  it('waits on each human step with a task token, reminding on timeout and ending on withdrawal', () => {
    // Prepare
    const waits = states.filter(([, state]) => state.Resource?.endsWith('.waitForTaskToken'));

    // Act
    const steps = waits.map(([, state]) => state.Arguments?.Payload?.step);

    // Assess
    expect(steps).toEqual(['threshold-decision', 'review-outcome', 'referral', 'pcc-decision']);
    for (const [name, state] of waits) {
      expect(state.TimeoutSeconds, name).toBe('{% $timeout %}');
      const catches = Object.fromEntries((state.Catch ?? []).map((c) => [c.ErrorEquals.join(), c.Next]));
      expect(catches.Withdrawn, name).toBe('CloseWithdrawn');
      const onTimeout = catches['States.Timeout'] ?? '';
      expect(onTimeout, name).toMatch(name === 'WaitForReferral' ? /^CloseAfterReferralWindow$/ : /^Remind/);
      // A retrier must never swallow the withdrawal.
      for (const retrier of state.Retry ?? []) {
        expect(retrier.ErrorEquals, name).not.toEqual(expect.arrayContaining(['States.ALL']));
        expect(retrier.ErrorEquals, name).not.toEqual(expect.arrayContaining(['States.TaskFailed']));
      }
    }
  });

  it('passes no more than the reference and stage facts to its functions', () => {
    // Act
    const payloadKeys = new Set(states.flatMap(([, state]) => Object.keys(state.Arguments?.Payload ?? {})));

    // Assess
    expect([...payloadKeys].sort()).toEqual(['closing', 'due', 'entered', 'reference', 'step', 'token']);
  });
});
