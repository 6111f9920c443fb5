import { describe, expect, it } from 'vitest';
import { EXECUTION_ARN, MACHINE_ARN, runMachine, START_DATE } from '#test/support/engine-driver.ts';

/** A machine of one Pass state with the given fields. */
function pass(fields: object): object {
  return { QueryLanguage: 'JSONata', StartAt: 'P', States: { P: { Type: 'Pass', ...fields, End: true } } };
}

describe('JSONata templates', () => {
  it('evaluates every {% %} string inside Output, at any depth, and keeps other values as they are', async () => {
    // Prepare: after "Transforming data with JSONata" (Output with nested templates).
    const definition = pass({
      Output: {
        title: '{% $uppercase($states.input.title) %}',
        total: '{% $sum($states.input.items.price) %}',
        list: ['{% $states.input.items[0].name %}', 'literal', 3, null],
        untouched: 'a {% not an expression %}',
      },
    });

    // Act
    const driver = await runMachine(definition, {
      title: 'case',
      items: [{ name: 'a', price: 2 }, { price: 3 }],
    });

    // Assess
    expect(driver.output).toEqual({
      title: 'CASE',
      total: 5,
      list: ['a', 'literal', 3, null],
      untouched: 'a {% not an expression %}',
    });
  });

  it('passes the input through when a Pass state has no Output', async () => {
    // Act
    const driver = await runMachine(pass({}), { kept: true });

    // Assess
    expect(driver.output).toEqual({ kept: true });
  });

  it('takes a whole-field expression for Output', async () => {
    // Act
    const driver = await runMachine(pass({ Output: '{% $states.input.a * 2 %}' }), { a: 21 });

    // Assess
    expect(driver.output).toBe(42);
  });

  it('binds $states.context as the context object of the execution and state', async () => {
    // Act
    const driver = await runMachine(pass({ Output: '{% $states.context %}' }), { caseRef: 'CT-1' });

    // Assess
    expect(driver.output).toEqual({
      Execution: {
        Id: EXECUTION_ARN,
        Input: { caseRef: 'CT-1' },
        Name: 'test-execution',
        StartTime: START_DATE,
        RedriveCount: 0,
      },
      StateMachine: { Id: MACHINE_ARN, Name: 'TestMachine' },
      State: { Name: 'P', EnteredTime: START_DATE },
    });
  });
});

describe('Assign and variables', () => {
  it('sets variables that later states read', async () => {
    // Prepare: the Assign example of "Passing data between states with variables".
    const definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'Store',
      States: {
        Store: { Type: 'Pass', Assign: { productName: 'product1', count: 42, available: true }, Next: 'Use' },
        Use: {
          Type: 'Pass',
          Output: { name: '{% $productName %}', count: '{% $count %}', available: '{% $available %}' },
          End: true,
        },
      },
    };

    // Act
    const driver = await runMachine(definition);

    // Assess
    expect(driver.output).toEqual({ name: 'product1', count: 42, available: true });
    expect(driver.execution.variables).toEqual({ productName: 'product1', count: 42, available: true });
  });

  it('evaluates Assign and Output with the values the variables had when the state began', async () => {
    // Prepare: the guide's rule that Assign does not see its own assignments, nor does Output.
    const definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'First',
      States: {
        First: { Type: 'Pass', Assign: { x: 1 }, Next: 'Second' },
        Second: {
          Type: 'Pass',
          Assign: { x: '{% $x + 1 %}', previousX: '{% $x %}' },
          Output: { xSeenByOutput: '{% $x %}' },
          Next: 'Third',
        },
        Third: {
          Type: 'Pass',
          Output: { x: '{% $x %}', previousX: '{% $previousX %}', before: '{% $states.input %}' },
          End: true,
        },
      },
    };

    // Act
    const driver = await runMachine(definition);

    // Assess
    expect(driver.output).toEqual({ x: 2, previousX: 1, before: { xSeenByOutput: 1 } });
  });

  it('records the assigned variables as JSON text in the state exited event', async () => {
    // Act
    const driver = await runMachine(
      pass({ Assign: { caseRef: '{% $states.input.ref %}', meta: { n: 1 } } }),
      { ref: 'CT-9' },
    );

    // Assess
    expect(driver.eventsOf('PassStateExited')[0]?.stateExitedEventDetails).toEqual({
      name: 'P',
      output: '{"ref":"CT-9"}',
      outputDetails: { truncated: false },
      assignedVariables: { caseRef: '"CT-9"', meta: '{"n":1}' },
      assignedVariablesDetails: { truncated: false },
    });
  });

  it('leaves assignedVariables out when the state assigns nothing', async () => {
    // Act
    const driver = await runMachine(pass({ Assign: {} }));

    // Assess
    expect(driver.eventsOf('PassStateExited')[0]?.stateExitedEventDetails).not.toHaveProperty(
      'assignedVariables',
    );
  });
});

describe('States.QueryEvaluationError', () => {
  it('fails the execution when an expression returns nothing, as AWS records it', async () => {
    // Prepare: an undefined variable in Output/result; AWS's recorded history (in LocalStack's
    // snapshot tests, BASE_UNDEFINED_OUTPUT_FIELD) has exactly these events and this cause.
    const definition = pass({ Output: { result: '{% $doesNotExist %}' } });

    // Act
    const driver = await runMachine(definition);

    // Assess
    const cause =
      "An error occurred while executing the state 'P' (entered at the event id #2). The JSONata expression " +
      "'$doesNotExist' specified for the field 'Output/result' returned nothing (undefined).";
    expect(driver.eventTypes).toEqual([
      'ExecutionStarted',
      'PassStateEntered',
      'EvaluationFailed',
      'ExecutionFailed',
    ]);
    expect(driver.eventsOf('EvaluationFailed')[0]?.evaluationFailedEventDetails).toEqual({
      error: 'States.QueryEvaluationError',
      cause,
      location: 'Output/result',
      state: 'P',
    });
    expect(driver.execution).toMatchObject({ status: 'FAILED', error: 'States.QueryEvaluationError', cause });
  });

  it('names the Assign variable whose expression failed', async () => {
    // Act
    const driver = await runMachine(pass({ Assign: { result: '{% $doesNotExist %}' } }));

    // Assess
    expect(driver.eventsOf('EvaluationFailed')[0]?.evaluationFailedEventDetails).toMatchObject({
      location: 'Assign/result',
    });
  });

  it('reports an error the expression raises', async () => {
    // Act
    const driver = await runMachine(pass({ Output: "{% $error('no such case') %}" }));

    // Assess
    expect(driver.execution.error).toBe('States.QueryEvaluationError');
    expect(driver.execution.cause).toContain('threw an error: no such case');
  });

  it('refuses a function as a result', async () => {
    // Act
    const driver = await runMachine(pass({ Output: '{% function($x) { $x } %}' }));

    // Assess
    expect(driver.execution.cause).toContain('returned an unsupported result type');
  });
});

describe('functions Step Functions adds to JSONata', () => {
  it('partitions arrays, builds ranges, hashes and parses JSON text', async () => {
    // Prepare: the examples of "JSONata functions provided by Step Functions".
    const definition = pass({
      Output: {
        partition: '{% $partition([1, 2, 3, 4, 5, 6, 7, 8, 9], 3) %}',
        range: '{% $range(0, 10, 2) %}',
        countdown: '{% $range(3, 1, -1) %}',
        hash: "{% $hash('input data', 'SHA-256') %}",
        md5: "{% $hash('input data', 'MD5') %}",
        parsed: '{% $parse($states.input.json) %}',
      },
    });

    // Act
    const driver = await runMachine(definition, { json: '{"a":[1,{"b":true}]}' });

    // Assess
    expect(driver.output).toEqual({
      partition: [
        [1, 2, 3],
        [4, 5, 6],
        [7, 8, 9],
      ],
      range: [0, 2, 4, 6, 8, 10],
      countdown: [3, 2, 1],
      hash: 'b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3',
      md5: '812f45842bc6d66ee14572ce20db8e86',
      parsed: { a: [1, { b: true }] },
    });
  });

  it('draws $random() from the context and repeats $random(seed) for a seed', async () => {
    // Prepare
    const definition = pass({
      Output: { unseeded: '{% $random() %}', seeded: '{% $random(42) %}', again: '{% $random(42) %}' },
    });

    // Act
    const driver = await runMachine(definition, {}, { random: () => 0.25 });

    // Assess
    const output = driver.output as { unseeded: number; seeded: number; again: number };
    expect(output.unseeded).toBe(0.25);
    expect(output.seeded).toBe(output.again);
    expect(output.seeded).toBeGreaterThanOrEqual(0);
    expect(output.seeded).toBeLessThan(1);
  });

  it('takes $uuid(), $now() and $millis() from the context, not the machine', async () => {
    // Act
    const driver = await runMachine(
      pass({ Output: { id: '{% $uuid() %}', now: '{% $now() %}', millis: '{% $millis() %}' } }),
    );

    // Assess
    expect(driver.output).toEqual({
      id: '00000000-0000-4000-8000-000000001001',
      now: START_DATE,
      millis: Date.parse(START_DATE),
    });
  });

  it('formats $now() with a picture as stock JSONata does', async () => {
    // Act
    const driver = await runMachine(pass({ Output: "{% $now('[Y0001]-[M01]-[D01]') %}" }));

    // Assess
    expect(driver.output).toBe('2026-01-05');
  });

  it('leaves $eval out, as Step Functions does', async () => {
    // Act
    const driver = await runMachine(pass({ Output: "{% $eval('1 + 1') %}" }));

    // Assess
    expect(driver.execution.error).toBe('States.QueryEvaluationError');
    expect(driver.execution.cause).toContain('$eval is not available');
  });

  it.each([
    ['$partition with a zero chunk size', '{% $partition([1, 2], 0) %}'],
    ['$range with a zero step', '{% $range(1, 5, 0) %}'],
    ['$range beyond 1000 items', '{% $range(0, 1000, 1) %}'],
    ['$hash with an unknown algorithm', "{% $hash('x', 'SHA-3') %}"],
    ['$parse of text that is not JSON', "{% $parse('{oops') %}"],
  ])('fails with States.QueryEvaluationError on %s', async (_, expression) => {
    // Act
    const driver = await runMachine(pass({ Output: expression }));

    // Assess
    expect(driver.execution.error).toBe('States.QueryEvaluationError');
  });
});
