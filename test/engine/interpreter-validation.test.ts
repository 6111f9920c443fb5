import { describe, expect, it } from 'vitest';
import { compileDefinition } from '#local/stepfunctions/interpreter.ts';
import { UnsupportedDefinitionError } from '#local/stepfunctions/model.ts';

const ARN = 'arn:aws:states:eu-west-2:123456789012:stateMachine:M';
const LAMBDA = 'arn:aws:states:::lambda:invoke';

type Definition = { [key: string]: unknown };
// biome-ignore lint/suspicious/noExplicitAny: the cases below edit definitions freely, as plain JSON.
type Editable = { [key: string]: any };

/** A small valid machine with one state of each kind the checks below need. */
function machine(): Editable {
  return {
    QueryLanguage: 'JSONata',
    StartAt: 'P',
    States: {
      P: { Type: 'Pass', Next: 'T' },
      T: {
        Type: 'Task',
        Resource: LAMBDA,
        Arguments: { FunctionName: 'fn', Payload: '{% $states.input %}' },
        Retry: [{ ErrorEquals: ['States.TaskFailed'] }],
        Catch: [{ ErrorEquals: ['States.ALL'], Next: 'F' }],
        Next: 'C',
      },
      C: { Type: 'Choice', Choices: [{ Condition: '{% $states.input.ok %}', Next: 'W' }], Default: 'F' },
      W: { Type: 'Wait', Seconds: 1, Next: 'S' },
      S: { Type: 'Succeed' },
      F: { Type: 'Fail', Error: 'Failed' },
    },
  };
}

function refusal(definition: Definition | string): UnsupportedDefinitionError {
  const text = typeof definition === 'string' ? definition : JSON.stringify(definition);
  try {
    compileDefinition('M', ARN, text);
  } catch (error) {
    if (error instanceof UnsupportedDefinitionError) return error;
    throw error;
  }
  throw new Error('the definition was accepted');
}

function changed(change: (definition: Editable) => void): Definition {
  const definition = machine();
  change(definition);
  return definition;
}

describe('compileDefinition', () => {
  it('accepts the supported subset and keeps the definition text and parsed shape', () => {
    // Prepare
    const text = JSON.stringify(machine());

    // Act
    const compiled = compileDefinition('M', ARN, text);

    // Assess
    expect(compiled).toMatchObject({ name: 'M', arn: ARN, definitionText: text, definition: machine() });
  });

  it('accepts JSONata set on every state instead of at the top level', () => {
    // Prepare
    const definition = machine();
    delete definition.QueryLanguage;
    for (const state of Object.values(definition.States) as Definition[]) state.QueryLanguage = 'JSONata';

    // Act
    const compile = () => compileDefinition('M', ARN, JSON.stringify(definition));

    // Assess
    expect(compile).not.toThrow();
  });

  it('refuses text that is not JSON', () => {
    // Act
    const error = refusal('{"StartAt": ');

    // Assess
    expect(error.message).toMatch(/not valid JSON/);
    expect([error.state, error.field]).toEqual([undefined, undefined]);
  });

  // Each case: what is changed in the valid machine, then the state and field the refusal names.
  const refusals: [string, (definition: Editable) => void, string | undefined, string | undefined][] = [
    ['QueryLanguage JSONPath at the top', (d) => (d.QueryLanguage = 'JSONPath'), undefined, 'QueryLanguage'],
    ['no QueryLanguage (JSONPath by default)', (d) => delete d.QueryLanguage, 'P', 'QueryLanguage'],
    [
      'QueryLanguage JSONPath on a state',
      (d) => (d.States.T.QueryLanguage = 'JSONPath'),
      'T',
      'QueryLanguage',
    ],
    ['an unknown top-level field', (d) => (d.Foo = 1), undefined, 'Foo'],
    ['a top-level TimeoutSeconds of 0', (d) => (d.TimeoutSeconds = 0), undefined, 'TimeoutSeconds'],
    [
      'a top-level TimeoutSeconds as JSONata',
      (d) => (d.TimeoutSeconds = '{% 5 %}'),
      undefined,
      'TimeoutSeconds',
    ],
    ['StartAt naming no state', (d) => (d.StartAt = 'Nowhere'), undefined, 'StartAt'],
    ['no states', (d) => (d.States = {}), undefined, 'States'],
    ['a Parallel state', (d) => (d.States.P = { Type: 'Parallel', Branches: [], Next: 'T' }), 'P', 'Type'],
    ['a Map state', (d) => (d.States.P = { Type: 'Map', Next: 'T' }), 'P', 'Type'],
    ['an unknown state type', (d) => (d.States.P.Type = 'Activity'), 'P', 'Type'],
    ['InputPath', (d) => (d.States.T.InputPath = '$.a'), 'T', 'InputPath'],
    ['OutputPath', (d) => (d.States.P.OutputPath = '$.a'), 'P', 'OutputPath'],
    ['Parameters', (d) => (d.States.T.Parameters = {}), 'T', 'Parameters'],
    ['ResultPath', (d) => (d.States.T.ResultPath = '$.r'), 'T', 'ResultPath'],
    ['ResultSelector', (d) => (d.States.T.ResultSelector = {}), 'T', 'ResultSelector'],
    ['a Pass Result', (d) => (d.States.P.Result = {}), 'P', 'Result'],
    ['a Choice rule Variable', (d) => (d.States.C.Choices[0].Variable = '$.a'), 'C', 'Choices/0/Variable'],
    [
      'a Choice rule operator',
      (d) => (d.States.C.Choices[0].StringEquals = 'a'),
      'C',
      'Choices/0/StringEquals',
    ],
    ['a Choice rule And', (d) => (d.States.C.Choices[0].And = []), 'C', 'Choices/0/And'],
    [
      'SecondsPath',
      (d) => (d.States.W = { Type: 'Wait', SecondsPath: '$.s', Next: 'S' }),
      'W',
      'SecondsPath',
    ],
    ['TimestampPath', (d) => (d.States.W.TimestampPath = '$.t'), 'W', 'TimestampPath'],
    ['TimeoutSecondsPath', (d) => (d.States.T.TimeoutSecondsPath = '$.t'), 'T', 'TimeoutSecondsPath'],
    ['HeartbeatSecondsPath', (d) => (d.States.T.HeartbeatSecondsPath = '$.h'), 'T', 'HeartbeatSecondsPath'],
    ['ErrorPath', (d) => (d.States.F.ErrorPath = '$.e'), 'F', 'ErrorPath'],
    ['CausePath', (d) => (d.States.F.CausePath = '$.c'), 'F', 'CausePath'],
    ['a catcher ResultPath', (d) => (d.States.T.Catch[0].ResultPath = '$.e'), 'T', 'Catch/0/ResultPath'],
    [
      'a DynamoDB resource',
      (d) => (d.States.T.Resource = 'arn:aws:states:::dynamodb:putItem'),
      'T',
      'Resource',
    ],
    [
      'a Lambda function ARN as resource',
      (d) => (d.States.T.Resource = 'arn:aws:lambda:eu-west-2:123456789012:function:fn'),
      'T',
      'Resource',
    ],
    ['a resource from JSONata', (d) => (d.States.T.Resource = '{% $r %}'), 'T', 'Resource'],
    ['a task without Arguments', (d) => delete d.States.T.Arguments, 'T', 'Arguments'],
    [
      'Arguments without FunctionName',
      (d) => delete d.States.T.Arguments.FunctionName,
      'T',
      'Arguments/FunctionName',
    ],
    [
      'Arguments with InvocationType',
      (d) => (d.States.T.Arguments.InvocationType = 'Event'),
      'T',
      'Arguments/InvocationType',
    ],
    ['Next naming no state', (d) => (d.States.P.Next = 'Nowhere'), 'P', 'Next'],
    ['a Choice Default naming no state', (d) => (d.States.C.Default = 'Nowhere'), 'C', 'Default'],
    [
      'a Choice rule Next naming no state',
      (d) => (d.States.C.Choices[0].Next = 'Nowhere'),
      'C',
      'Choices/0/Next',
    ],
    ['a catcher Next naming no state', (d) => (d.States.T.Catch[0].Next = 'Nowhere'), 'T', 'Catch/0/Next'],
    ['neither Next nor End', (d) => delete d.States.P.Next, 'P', 'Next'],
    ['both Next and End', (d) => (d.States.P.End = true), 'P', 'End'],
    ['End false', (d) => (d.States.W = { Type: 'Wait', Seconds: 1, End: false }), 'W', 'End'],
    ['a Choice with Next', (d) => (d.States.C.Next = 'S'), 'C', 'Next'],
    ['a Succeed with Next', (d) => (d.States.S.Next = 'F'), 'S', 'Next'],
    ['no Choices', (d) => (d.States.C.Choices = []), 'C', 'Choices'],
    [
      'a literal string Condition',
      (d) => (d.States.C.Choices[0].Condition = 'true'),
      'C',
      'Choices/0/Condition',
    ],
    ['a JSONata syntax error', (d) => (d.States.P.Output = { a: '{% $states.input.( %}' }), 'P', 'Output/a'],
    ['an empty JSONata expression', (d) => (d.States.P.Output = '{%  %}'), 'P', 'Output'],
    ['Assign that is not an object', (d) => (d.States.P.Assign = '{% {"a": 1} %}'), 'P', 'Assign'],
    ['an invalid variable name', (d) => (d.States.P.Assign = { 'bad-name': 1 }), 'P', 'Assign/bad-name'],
    ['the reserved variable states', (d) => (d.States.P.Assign = { states: 1 }), 'P', 'Assign/states'],
    [
      'States.ALL beside another error in a retrier',
      (d) => (d.States.T.Retry[0].ErrorEquals = ['States.ALL', 'Oops']),
      'T',
      'Retry/0/ErrorEquals',
    ],
    [
      'a States.ALL retrier before another',
      (d) => (d.States.T.Retry = [{ ErrorEquals: ['States.ALL'] }, { ErrorEquals: ['Oops'] }]),
      'T',
      'Retry/0/ErrorEquals',
    ],
    [
      'a States.ALL catcher before another',
      (d) => d.States.T.Catch.push({ ErrorEquals: ['Oops'], Next: 'F' }),
      'T',
      'Catch/0/ErrorEquals',
    ],
    ['an empty ErrorEquals', (d) => (d.States.T.Retry[0].ErrorEquals = []), 'T', 'Retry/0/ErrorEquals'],
    ['IntervalSeconds 0', (d) => (d.States.T.Retry[0].IntervalSeconds = 0), 'T', 'Retry/0/IntervalSeconds'],
    [
      'IntervalSeconds as JSONata',
      (d) => (d.States.T.Retry[0].IntervalSeconds = '{% 1 %}'),
      'T',
      'Retry/0/IntervalSeconds',
    ],
    ['MaxAttempts -1', (d) => (d.States.T.Retry[0].MaxAttempts = -1), 'T', 'Retry/0/MaxAttempts'],
    ['BackoffRate below 1', (d) => (d.States.T.Retry[0].BackoffRate = 0.5), 'T', 'Retry/0/BackoffRate'],
    ['MaxDelaySeconds 0', (d) => (d.States.T.Retry[0].MaxDelaySeconds = 0), 'T', 'Retry/0/MaxDelaySeconds'],
    [
      'MaxDelaySeconds above 31,622,400',
      (d) => (d.States.T.Retry[0].MaxDelaySeconds = 31_622_401),
      'T',
      'Retry/0/MaxDelaySeconds',
    ],
    [
      'an unknown JitterStrategy',
      (d) => (d.States.T.Retry[0].JitterStrategy = 'HALF'),
      'T',
      'Retry/0/JitterStrategy',
    ],
    ['an unknown retrier field', (d) => (d.States.T.Retry[0].Foo = 1), 'T', 'Retry/0/Foo'],
    ['a task TimeoutSeconds of 0', (d) => (d.States.T.TimeoutSeconds = 0), 'T', 'TimeoutSeconds'],
    ['a task TimeoutSeconds as plain text', (d) => (d.States.T.TimeoutSeconds = '60'), 'T', 'TimeoutSeconds'],
    [
      'HeartbeatSeconds not below TimeoutSeconds',
      (d) => Object.assign(d.States.T, { TimeoutSeconds: 60, HeartbeatSeconds: 60 }),
      'T',
      'HeartbeatSeconds',
    ],
    [
      'a Wait with Seconds and Timestamp',
      (d) => (d.States.W.Timestamp = '2026-01-01T00:00:00Z'),
      'W',
      'Seconds',
    ],
    ['a Wait with neither', (d) => delete d.States.W.Seconds, 'W', 'Seconds'],
    ['negative Seconds', (d) => (d.States.W.Seconds = -1), 'W', 'Seconds'],
    [
      'a Timestamp without T',
      (d) => (d.States.W = { Type: 'Wait', Timestamp: '2016-03-14 01:59:00Z', Next: 'S' }),
      'W',
      'Timestamp',
    ],
    ['a Fail Error that is not a string', (d) => (d.States.F.Error = 5), 'F', 'Error'],
    ['an unreachable state', (d) => (d.States.Orphan = { Type: 'Succeed' }), 'Orphan', undefined],
  ];

  it.each(refusals)('refuses %s, naming the state and field', (_, change, state, field) => {
    // Prepare
    const definition = changed(change);

    // Act
    const error = refusal(definition);

    // Assess
    expect([error.state, error.field]).toEqual([state, field]);
    if (state !== undefined) expect(error.message).toContain(`State "${state}"`);
    if (field !== undefined) expect(error.message).toContain(`"${field}"`);
    expect(error.name).toBe('UnsupportedDefinitionError');
  });

  it('accepts the largest MaxDelaySeconds AWS takes, 31,622,400', () => {
    // Prepare
    const definition = changed((d) => (d.States.T.Retry[0].MaxDelaySeconds = 31_622_400));

    // Act
    const compiled = compileDefinition('M', ARN, JSON.stringify(definition));

    // Assess
    expect(compiled.definition).toMatchObject({
      States: { T: { Retry: [{ MaxDelaySeconds: 31_622_400 }] } },
    });
  });

  it('refuses a state name longer than 80 characters', () => {
    // Prepare
    const name = 'N'.repeat(81);
    const definition = { QueryLanguage: 'JSONata', StartAt: name, States: { [name]: { Type: 'Succeed' } } };

    // Act
    const error = refusal(definition);

    // Assess
    expect(error.state).toBe(name);
  });
});
