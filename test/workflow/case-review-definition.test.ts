// The state machine file itself: valid ASL by AWS's own language service and by asl-validator, both
// with its placeholders and as CloudFormation renders it, within the local engine's subset, wired to
// exactly the workflow functions of infra/functions.ts, and shaped as the design says (every human wait
// reminds on timeout and ends on withdrawal; every Lambda call retries what AWS says to retry).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import aslService from 'amazon-states-language-service';
import { describe, expect, it } from 'vitest';
import { LETTER_STEPS } from '#core/case-record.ts';
import { definitionSubstitutions, functionSpecs, localFunctionArn } from '#infra/functions.ts';
import { loadStateMachines, substituteDefinition } from '#local/stepfunctions/definitions.ts';

const require = createRequire(import.meta.url);
const validate = require('asl-validator') as (
  definition: unknown,
  options?: { checkPaths: boolean; checkArn: boolean },
) => { isValid: boolean; errorsText(separator?: string): string };

const FILE = join(import.meta.dirname, '../../statemachines/case-review.asl.json');
const text = readFileSync(FILE, 'utf8');
/** The definition as CloudFormation hands it to Step Functions: every placeholder a function ARN. */
const rendered = substituteDefinition(
  text,
  definitionSubstitutions((spec) => `arn:aws:lambda:eu-west-2:123456789012:function:CaseReview-${spec.id}`),
);

/** The diagnostics AWS's language service (the one the AWS Toolkit and Workflow Studio use) reports. */
async function languageServiceDiagnostics(definitionText: string): Promise<string[]> {
  const service = aslService.getLanguageService({});
  const document = aslService.TextDocument.create('file:///case-review.asl.json', 'json', 1, definitionText);
  const diagnostics = await service.doValidation(document, service.parseJSONDocument(document));
  return diagnostics.map(
    ({ message, range }) => `${range.start.line + 1}:${range.start.character + 1} ${message}`,
  );
}

/** The errors AWS's guide says a Lambda task should retry (its "Handle Lambda service exceptions"). */
const LAMBDA_SERVICE_ERRORS = [
  'Lambda.ClientExecutionTimeoutException',
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
];

interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
}
interface State {
  Type: string;
  Resource?: string;
  Arguments?: { FunctionName?: string; Payload?: Record<string, unknown> };
  TimeoutSeconds?: unknown;
  Catch?: { ErrorEquals: string[]; Next: string; Assign?: Record<string, unknown> }[];
  Choices?: { Condition: string; Next: string }[];
  Retry?: Retrier[];
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

  it('is valid for asl-validator as CloudFormation renders it', () => {
    // Act
    const result = validate(JSON.parse(rendered), { checkPaths: true, checkArn: true });

    // Assess
    expect(result.errorsText()).toBe('');
    expect(result.isValid).toBe(true);
  });

  it("has no diagnostics from AWS's own language service, with its placeholders and rendered", async () => {
    // Act
    const raw = await languageServiceDiagnostics(text);
    const deployed = await languageServiceDiagnostics(rendered);

    // Assess
    expect(raw).toEqual([]);
    expect(deployed).toEqual([]);
  });

  it("is checked by AWS's language service, which does report a broken definition", async () => {
    // Prepare
    const broken = JSON.parse(text) as { States: Record<string, State> };
    const first = Object.values(broken.States).find((state) => state.Retry?.[0] !== undefined);
    if (first?.Retry?.[0] === undefined) throw new Error('the definition has no retrier');
    first.Next = 'NoSuchState';
    first.Retry[0] = { ...first.Retry[0], MaxDelaySeconds: 31_622_401 } as Retrier;

    // Act
    const diagnostics = await languageServiceDiagnostics(JSON.stringify(broken, null, 2));

    // Assess
    expect(diagnostics).toHaveLength(2);
    expect(diagnostics.join('\n')).toMatch(/must be the name of an existing state/);
    expect(diagnostics.join('\n')).toMatch(/above the maximum of 31622400/);
  });

  it('retries, with back-off, the Lambda service errors AWS recommends, on every Task', () => {
    // Prepare
    const tasks = states.filter(([, state]) => state.Type === 'Task');

    // Act
    const unguarded = tasks.filter(
      ([, state]) =>
        !(state.Retry ?? []).some(
          (retrier) =>
            LAMBDA_SERVICE_ERRORS.every((error) => retrier.ErrorEquals.includes(error)) &&
            (retrier.MaxAttempts ?? 3) >= 1 &&
            (retrier.BackoffRate ?? 2) > 1,
        ),
    );

    // Assess
    expect(tasks.length).toBeGreaterThan(0);
    expect(tasks.every(([, state]) => state.Resource?.startsWith('arn:aws:states:::lambda:invoke'))).toBe(
      true,
    );
    expect(unguarded.map(([name]) => name)).toEqual([]);
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
    expect(steps).toEqual([
      'threshold-decision',
      'review-outcome',
      'action-plan',
      'referral',
      'pcc-decision',
      'actions-finished',
    ]);
    for (const [name, state] of waits) {
      expect(state.TimeoutSeconds, name).toBe('{% $timeout %}');
      const catches = Object.fromEntries((state.Catch ?? []).map((c) => [c.ErrorEquals.join(), c.Next]));
      expect(catches.Withdrawn, name).toBe('CloseWithdrawn');
      const onTimeout = catches['States.Timeout'] ?? '';
      expect(onTimeout, name).toMatch(/^Remind/);
      // A retrier must never swallow the withdrawal.
      for (const retrier of state.Retry ?? []) {
        expect(retrier.ErrorEquals, name).not.toEqual(expect.arrayContaining(['States.ALL']));
        expect(retrier.ErrorEquals, name).not.toEqual(expect.arrayContaining(['States.TaskFailed']));
      }
    }
    // The referral window's end is never reminded of: its Remind step says it has ended, and the case closes.
    expect(definition.States.RemindReferral?.Next).toBe('ReferralWindowEnded');
    expect(definition.States.ReferralWindowEnded?.Choices?.[0]?.Next).toBe('CloseAfterReferralWindow');
  });

  it('names the failed state in every catch into NeedsAttention, and resumes at each step that sends letters', () => {
    // Prepare
    const catchAlls = states.flatMap(([name, state]) =>
      (state.Catch ?? [])
        .filter((catcher) => catcher.Next === 'NeedsAttention')
        .map((catcher) => ({ name, catcher })),
    );
    const resumes = definition.States.StartOrResume?.Choices ?? [];

    // Assess: NeedsAttention passes the name on (functions/workflow/needs-attention.ts), and a case
    // marked to redo one of LETTER_STEPS is resumed there by the reconciler
    expect(catchAlls.length).toBeGreaterThan(0);
    for (const { name, catcher } of catchAlls) expect(catcher.Assign, name).toEqual({ failedState: name });
    for (const step of LETTER_STEPS) {
      expect(definition.States[step]?.Type, step).toBe('Task');
      expect(resumes, step).toContainEqual(
        expect.objectContaining({ Condition: `{% $states.input.resumeAt = '${step}' %}`, Next: step }),
      );
    }
  });

  it('passes no more than the reference and stage facts to its functions', () => {
    // Act
    const payloadKeys = new Set(states.flatMap(([, state]) => Object.keys(state.Arguments?.Payload ?? {})));

    // Assess
    expect([...payloadKeys].sort()).toEqual([
      'closing',
      'due',
      'entered',
      'execution',
      'reference',
      'step',
      'token',
    ]);
  });
});
