// Evaluation of JSONata templates: any string `{% … %}` inside a field's JSON value is an
// expression, evaluated with `$states` and the execution's variables bound, as Step Functions
// does. Failures become States.QueryEvaluationError with AWS's wording and `location`.
import jsonata from 'jsonata';
import { QueryEvaluationFailure } from './failures.ts';
import { stepFunctionsBindings } from './jsonata-functions.ts';
import type { Json, StepContext } from './model.ts';

/** Guards against expressions that never end (both are JSONata's own options). */
const GUARDRAILS = { timeout: 10_000, stack: 1_000 };

const compiled = new Map<string, jsonata.Expression>();

/** The expression inside a `{% … %}` template, or undefined for any other value. */
export function expressionOf(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length < 4 || !value.startsWith('{%') || !value.endsWith('%}')) {
    return undefined;
  }
  return value.slice(2, -2).trim();
}

/** Parses an expression once per text; throws JSONata's syntax error. */
export function compileExpression(expression: string): jsonata.Expression {
  let parsed = compiled.get(expression);
  if (parsed === undefined) {
    parsed = jsonata(expression, GUARDRAILS);
    compiled.set(expression, parsed);
  }
  return parsed;
}

/** The reserved `$states` variable. */
export interface StatesVariable {
  input: Json;
  context: Json;
  result?: Json;
  errorOutput?: Json;
}

export interface EvaluationScope {
  states: StatesVariable;
  variables: { [name: string]: Json };
  ctx: StepContext;
  /** The state and the id of its entered event, for AWS's wording of causes. */
  stateName: string;
  enteredEventId: number;
}

/** A JSONata expression's value, or what a field accepts. */
export interface Expectation {
  accepts(value: Json): boolean;
  /** Completes "… returned an unexpected value …; expected …". */
  description: string;
}

export function queryFailure(
  scope: EvaluationScope,
  location: string,
  text: string,
  options?: ErrorOptions,
): QueryEvaluationFailure {
  return new QueryEvaluationFailure(
    location,
    `An error occurred while executing the state '${scope.stateName}' (entered at the event id #${scope.enteredEventId}). ${text}`,
    options,
  );
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'message' in error) return String(error.message);
  return String(error);
}

function isJsonataFunction(value: unknown): boolean {
  return (
    typeof value === 'function' ||
    (typeof value === 'object' &&
      value !== null &&
      ('_jsonata_lambda' in value || '_jsonata_function' in value))
  );
}

async function formatMillis(millis: number, picture?: string, timezone?: string): Promise<string> {
  return compileExpression('$fromMillis($millis, $picture, $timezone)').evaluate(undefined, {
    millis,
    picture,
    timezone,
  });
}

async function evaluateExpression(
  expression: string,
  location: string,
  scope: EvaluationScope,
  expectation: Expectation | undefined,
): Promise<Json> {
  const described = `The JSONata expression '${expression}' specified for the field '${location}'`;
  let value: unknown;
  try {
    value = await compileExpression(expression).evaluate(undefined, {
      ...stepFunctionsBindings(scope.ctx, formatMillis),
      ...scope.variables,
      states: scope.states,
    });
  } catch (error) {
    throw queryFailure(scope, location, `${described} threw an error: ${errorMessage(error)}`, {
      cause: error,
    });
  }
  if (value === undefined) throw queryFailure(scope, location, `${described} returned nothing (undefined).`);
  if (isJsonataFunction(value)) {
    throw queryFailure(scope, location, `${described} returned an unsupported result type.`);
  }
  // JSON text round trip: drops JSONata's sequence markers and keys whose value is undefined.
  const json = JSON.parse(JSON.stringify(value)) as Json;
  if (expectation !== undefined && !expectation.accepts(json)) {
    throw queryFailure(
      scope,
      location,
      `${described} returned an unexpected value: ${JSON.stringify(json)}; expected ${expectation.description}.`,
    );
  }
  return json;
}

/**
 * Evaluates every `{% … %}` string in `template`, depth first and in document order (which
 * keeps $uuid() and $random() reproducible). `location` names the field, e.g. `Output`; nested
 * values extend it (`Output/result`). `expectation` applies when the whole field is one expression.
 */
export async function evaluateTemplate(
  template: Json,
  location: string,
  scope: EvaluationScope,
  expectation?: Expectation,
): Promise<Json> {
  const expression = expressionOf(template);
  if (expression !== undefined) return evaluateExpression(expression, location, scope, expectation);
  if (Array.isArray(template)) {
    const items: Json[] = [];
    for (const [index, item] of template.entries()) {
      items.push(await evaluateTemplate(item, `${location}/${index}`, scope));
    }
    return items;
  }
  if (typeof template === 'object' && template !== null) {
    const fields: { [key: string]: Json } = {};
    for (const [key, value] of Object.entries(template)) {
      fields[key] = await evaluateTemplate(value, `${location}/${key}`, scope);
    }
    return fields;
  }
  return template;
}
