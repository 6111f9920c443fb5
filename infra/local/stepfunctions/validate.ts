// Load-time validation: a definition is accepted only when every state and field is inside the
// subset the interpreter implements (JSONata states: Task on Lambda, Choice, Wait, Pass, Succeed,
// Fail). Anything else is refused with the state and field named, before any execution starts.
import {
  LAMBDA_INVOKE,
  LAMBDA_INVOKE_WAIT_FOR_TASK_TOKEN,
  type MachineDefinition,
  type StateDefinition,
} from './asl-types.ts';
import { compileExpression, expressionOf } from './jsonata-eval.ts';
import { type Json, UnsupportedDefinitionError } from './model.ts';
import { MAX_RETRY_DELAY_SECONDS } from './quotas.ts';
import { STATES_ALL } from './retry.ts';
import { parseTimestamp } from './timestamp.ts';

type JsonObject = { [key: string]: Json };

const MAX_SECONDS = 99_999_999;
const MAX_NAME_LENGTH = 80;

/** Fields that exist only for QueryLanguage JSONPath. */
const JSONPATH_FIELDS = new Set([
  'InputPath',
  'OutputPath',
  'Parameters',
  'ResultPath',
  'ResultSelector',
  'Result',
  'SecondsPath',
  'TimestampPath',
  'TimeoutSecondsPath',
  'HeartbeatSecondsPath',
  'ErrorPath',
  'CausePath',
]);

/** Choice rule fields that exist only for QueryLanguage JSONPath. */
const JSONPATH_RULE_FIELD = /^(Variable|And|Or|Not|(String|Numeric|Boolean|Timestamp)\w+|Is\w+)$/;

const COMMON_FIELDS = ['Type', 'Comment', 'QueryLanguage'];
const ALLOWED_FIELDS: { [type: string]: ReadonlySet<string> } = {
  Pass: new Set([...COMMON_FIELDS, 'Next', 'End', 'Output', 'Assign']),
  Task: new Set([
    ...COMMON_FIELDS,
    'Next',
    'End',
    'Output',
    'Assign',
    'Resource',
    'Arguments',
    'Retry',
    'Catch',
    'TimeoutSeconds',
    'HeartbeatSeconds',
  ]),
  Choice: new Set([...COMMON_FIELDS, 'Choices', 'Default', 'Output', 'Assign']),
  Wait: new Set([...COMMON_FIELDS, 'Next', 'End', 'Seconds', 'Timestamp', 'Output', 'Assign']),
  Succeed: new Set([...COMMON_FIELDS, 'Output']),
  Fail: new Set([...COMMON_FIELDS, 'Error', 'Cause']),
};
const TOP_LEVEL_FIELDS = new Set([
  'Comment',
  'StartAt',
  'States',
  'TimeoutSeconds',
  'Version',
  'QueryLanguage',
]);
const RETRIER_FIELDS = new Set([
  'ErrorEquals',
  'IntervalSeconds',
  'MaxAttempts',
  'BackoffRate',
  'MaxDelaySeconds',
  'JitterStrategy',
  'Comment',
]);
const CATCHER_FIELDS = new Set(['ErrorEquals', 'Next', 'Output', 'Assign', 'Comment']);
const CHOICE_RULE_FIELDS = new Set(['Condition', 'Next', 'Output', 'Assign', 'Comment']);
const LAMBDA_ARGUMENT_FIELDS = new Set(['FunctionName', 'Payload']);

/** Variable names: a Unicode identifier, as the Step Functions variables guide requires. */
const VARIABLE_NAME = /^[\p{ID_Start}_][\p{ID_Continue}]*$/u;

function refuse(problem: string, state?: string, field?: string): never {
  const where =
    state === undefined
      ? field === undefined
        ? 'Definition'
        : `Field "${field}"`
      : field === undefined
        ? `State "${state}"`
        : `State "${state}", field "${field}"`;
  throw new UnsupportedDefinitionError(`${where}: ${problem}`, state, field);
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isIntegerIn(value: Json | undefined, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

function errorMessage(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'message' in error) return String(error.message);
  return String(error);
}

/** Every `{% … %}` string inside `value` must be a JSONata expression that parses. */
function checkTemplate(value: Json, state: string, location: string): void {
  const expression = expressionOf(value);
  if (expression !== undefined) {
    if (expression === '') refuse('the JSONata expression is empty', state, location);
    try {
      compileExpression(expression);
    } catch (error) {
      refuse(`invalid JSONata expression: ${errorMessage(error)}`, state, location);
    }
    return;
  }
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) checkTemplate(item, state, `${location}/${index}`);
  } else if (isObject(value)) {
    for (const [key, item] of Object.entries(value)) checkTemplate(item, state, `${location}/${key}`);
  }
}

function checkAssign(value: Json | undefined, state: string, field: string): void {
  if (value === undefined) return;
  if (!isObject(value)) refuse('Assign must be an object of variable names and values', state, field);
  for (const [name, template] of Object.entries(value)) {
    if (!VARIABLE_NAME.test(name) || name.length > MAX_NAME_LENGTH) {
      refuse(`"${name}" is not a valid variable name`, state, `${field}/${name}`);
    }
    if (name === 'states') refuse('"states" is reserved for $states', state, `${field}/${name}`);
    checkTemplate(template, state, `${field}/${name}`);
  }
}

function checkOutput(value: Json | undefined, state: string, field: string): void {
  if (value !== undefined) checkTemplate(value, state, field);
}

function checkFields(
  object: JsonObject,
  allowed: ReadonlySet<string>,
  state: string | undefined,
  prefix: string,
  jsonPathField: (key: string) => boolean,
): void {
  for (const key of Object.keys(object)) {
    if (allowed.has(key)) continue;
    const field = `${prefix}${key}`;
    if (jsonPathField(key)) {
      refuse(
        'this field exists only for QueryLanguage JSONPath; JSONata states use Arguments, Output and Assign',
        state,
        field,
      );
    }
    refuse('this field is outside the supported subset', state, field);
  }
}

function checkComment(object: JsonObject, state: string | undefined, prefix: string): void {
  if (object.Comment !== undefined && typeof object.Comment !== 'string') {
    refuse('Comment must be a string', state, `${prefix}Comment`);
  }
}

function checkTarget(
  target: Json | undefined,
  names: ReadonlySet<string>,
  state: string,
  field: string,
): void {
  if (typeof target !== 'string') refuse('must name a state', state, field);
  if (!names.has(target)) refuse(`names the state "${target}", which does not exist`, state, field);
}

function checkTransition(object: JsonObject, names: ReadonlySet<string>, state: string): void {
  if (object.End !== undefined && object.Next !== undefined)
    refuse('a state has either Next or End', state, 'End');
  if (object.End !== undefined) {
    if (object.End !== true) refuse('End must be true', state, 'End');
    return;
  }
  if (object.Next === undefined) refuse('the state needs Next or End', state, 'Next');
  checkTarget(object.Next, names, state, 'Next');
}

function checkSeconds(value: Json | undefined, state: string, field: string, min: number): void {
  if (value === undefined) return;
  if (typeof value === 'string' && expressionOf(value) !== undefined) {
    checkTemplate(value, state, field);
    return;
  }
  if (!isIntegerIn(value, min, MAX_SECONDS)) {
    refuse(`must be an integer from ${min} to ${MAX_SECONDS}, or a JSONata expression`, state, field);
  }
}

function checkErrorEquals(value: Json | undefined, state: string, field: string): string[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every((name) => typeof name === 'string')) {
    refuse('ErrorEquals must be a non-empty array of error names', state, field);
  }
  const names = value as string[];
  if (names.includes(STATES_ALL) && names.length > 1) refuse('States.ALL must appear alone', state, field);
  return names;
}

function checkRetry(value: Json | undefined, state: string): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) refuse('Retry must be an array of retriers', state, 'Retry');
  value.forEach((retrier, index) => {
    const prefix = `Retry/${index}/`;
    if (!isObject(retrier)) refuse('a retrier must be an object', state, `Retry/${index}`);
    checkFields(retrier, RETRIER_FIELDS, state, prefix, () => false);
    checkComment(retrier, state, prefix);
    const names = checkErrorEquals(retrier.ErrorEquals, state, `${prefix}ErrorEquals`);
    if (names.includes(STATES_ALL) && index !== value.length - 1) {
      refuse('a retrier on States.ALL must be the last one', state, `${prefix}ErrorEquals`);
    }
    if (retrier.IntervalSeconds !== undefined && !isIntegerIn(retrier.IntervalSeconds, 1, MAX_SECONDS)) {
      refuse(`must be an integer from 1 to ${MAX_SECONDS}`, state, `${prefix}IntervalSeconds`);
    }
    if (retrier.MaxAttempts !== undefined && !isIntegerIn(retrier.MaxAttempts, 0, MAX_SECONDS)) {
      refuse(`must be an integer from 0 to ${MAX_SECONDS}`, state, `${prefix}MaxAttempts`);
    }
    if (
      retrier.BackoffRate !== undefined &&
      (typeof retrier.BackoffRate !== 'number' || !(retrier.BackoffRate >= 1))
    ) {
      refuse('must be a number of at least 1.0', state, `${prefix}BackoffRate`);
    }
    if (
      retrier.MaxDelaySeconds !== undefined &&
      !isIntegerIn(retrier.MaxDelaySeconds, 1, MAX_RETRY_DELAY_SECONDS)
    ) {
      refuse(`must be an integer from 1 to ${MAX_RETRY_DELAY_SECONDS}`, state, `${prefix}MaxDelaySeconds`);
    }
    if (
      retrier.JitterStrategy !== undefined &&
      retrier.JitterStrategy !== 'FULL' &&
      retrier.JitterStrategy !== 'NONE'
    ) {
      refuse('must be FULL or NONE', state, `${prefix}JitterStrategy`);
    }
  });
}

function checkCatch(value: Json | undefined, names: ReadonlySet<string>, state: string): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) refuse('Catch must be an array of catchers', state, 'Catch');
  value.forEach((catcher, index) => {
    const prefix = `Catch/${index}/`;
    if (!isObject(catcher)) refuse('a catcher must be an object', state, `Catch/${index}`);
    checkFields(catcher, CATCHER_FIELDS, state, prefix, (key) => JSONPATH_FIELDS.has(key));
    checkComment(catcher, state, prefix);
    const errorNames = checkErrorEquals(catcher.ErrorEquals, state, `${prefix}ErrorEquals`);
    if (errorNames.includes(STATES_ALL) && index !== value.length - 1) {
      refuse('a catcher on States.ALL must be the last one', state, `${prefix}ErrorEquals`);
    }
    checkTarget(catcher.Next, names, state, `${prefix}Next`);
    checkOutput(catcher.Output, state, `${prefix}Output`);
    checkAssign(catcher.Assign, state, `${prefix}Assign`);
  });
}

function checkTask(object: JsonObject, names: ReadonlySet<string>, state: string): void {
  const resource = object.Resource;
  if (resource !== LAMBDA_INVOKE && resource !== LAMBDA_INVOKE_WAIT_FOR_TASK_TOKEN) {
    refuse(
      `the resource ${JSON.stringify(resource)} is outside the supported subset (${LAMBDA_INVOKE} and ${LAMBDA_INVOKE_WAIT_FOR_TASK_TOKEN})`,
      state,
      'Resource',
    );
  }
  const args = object.Arguments;
  if (typeof args === 'string' && expressionOf(args) !== undefined) {
    checkTemplate(args, state, 'Arguments');
  } else if (isObject(args)) {
    checkFields(args, LAMBDA_ARGUMENT_FIELDS, state, 'Arguments/', () => false);
    const functionName = args.FunctionName;
    if (typeof functionName !== 'string' || functionName === '') {
      refuse('the Lambda function to invoke must be named', state, 'Arguments/FunctionName');
    }
    checkTemplate(args, state, 'Arguments');
  } else {
    refuse('a Lambda task needs Arguments with FunctionName (and Payload)', state, 'Arguments');
  }
  checkSeconds(object.TimeoutSeconds, state, 'TimeoutSeconds', 1);
  checkSeconds(object.HeartbeatSeconds, state, 'HeartbeatSeconds', 1);
  if (
    typeof object.TimeoutSeconds === 'number' &&
    typeof object.HeartbeatSeconds === 'number' &&
    object.HeartbeatSeconds >= object.TimeoutSeconds
  ) {
    refuse('HeartbeatSeconds must be smaller than TimeoutSeconds', state, 'HeartbeatSeconds');
  }
  checkRetry(object.Retry, state);
  checkCatch(object.Catch, names, state);
}

function checkChoice(object: JsonObject, names: ReadonlySet<string>, state: string): void {
  const choices = object.Choices;
  if (!Array.isArray(choices) || choices.length === 0) {
    refuse('Choices must be a non-empty array of rules', state, 'Choices');
  }
  choices.forEach((rule, index) => {
    const prefix = `Choices/${index}/`;
    if (!isObject(rule)) refuse('a choice rule must be an object', state, `Choices/${index}`);
    checkFields(rule, CHOICE_RULE_FIELDS, state, prefix, (key) => JSONPATH_RULE_FIELD.test(key));
    checkComment(rule, state, prefix);
    const condition = rule.Condition;
    if (typeof condition === 'string' && expressionOf(condition) !== undefined) {
      checkTemplate(condition, state, `${prefix}Condition`);
    } else if (typeof condition !== 'boolean') {
      refuse('Condition must be a JSONata expression or a boolean', state, `${prefix}Condition`);
    }
    checkTarget(rule.Next, names, state, `${prefix}Next`);
    checkOutput(rule.Output, state, `${prefix}Output`);
    checkAssign(rule.Assign, state, `${prefix}Assign`);
  });
  if (object.Default !== undefined) checkTarget(object.Default, names, state, 'Default');
}

function checkWait(object: JsonObject, names: ReadonlySet<string>, state: string): void {
  const { Seconds: seconds, Timestamp: timestamp } = object;
  if ((seconds === undefined) === (timestamp === undefined)) {
    refuse('a Wait state has exactly one of Seconds and Timestamp', state, 'Seconds');
  }
  checkSeconds(seconds, state, 'Seconds', 0);
  if (timestamp !== undefined) {
    if (typeof timestamp !== 'string') refuse('must be a timestamp string', state, 'Timestamp');
    if (expressionOf(timestamp) !== undefined) checkTemplate(timestamp, state, 'Timestamp');
    else if (parseTimestamp(timestamp) === undefined) {
      refuse('must be an RFC 3339 timestamp such as 2026-03-01T09:30:00Z', state, 'Timestamp');
    }
  }
  checkTransition(object, names, state);
}

function checkFail(object: JsonObject, state: string): void {
  for (const field of ['Error', 'Cause'] as const) {
    const value = object[field];
    if (value === undefined) continue;
    if (typeof value !== 'string') refuse('must be a string or a JSONata expression', state, field);
    checkTemplate(value, state, field);
  }
}

function checkQueryLanguage(value: Json | undefined, inherited: Json | undefined, state: string): void {
  const language = value ?? inherited ?? 'JSONPath';
  if (language !== 'JSONata') {
    refuse(
      `QueryLanguage ${JSON.stringify(language)} is outside the supported subset: only JSONata states run here`,
      state,
      'QueryLanguage',
    );
  }
}

function checkState(
  state: string,
  object: Json | undefined,
  names: ReadonlySet<string>,
  topLanguage: Json | undefined,
): void {
  if (state.length === 0 || state.length > MAX_NAME_LENGTH) {
    refuse(`state names have 1 to ${MAX_NAME_LENGTH} characters`, state);
  }
  if (!isObject(object)) refuse('a state must be an object', state);
  const type = object.Type;
  if (type === 'Parallel' || type === 'Map')
    refuse(`${type} states are outside the supported subset`, state, 'Type');
  if (typeof type !== 'string' || ALLOWED_FIELDS[type] === undefined) {
    refuse(`unknown state type ${JSON.stringify(type)}`, state, 'Type');
  }
  checkQueryLanguage(object.QueryLanguage, topLanguage, state);
  checkFields(object, ALLOWED_FIELDS[type] as ReadonlySet<string>, state, '', (key) =>
    JSONPATH_FIELDS.has(key),
  );
  checkComment(object, state, '');
  checkOutput(object.Output, state, 'Output');
  checkAssign(object.Assign, state, 'Assign');
  switch (type) {
    case 'Pass':
      checkTransition(object, names, state);
      break;
    case 'Task':
      checkTask(object, names, state);
      checkTransition(object, names, state);
      break;
    case 'Choice':
      checkChoice(object, names, state);
      break;
    case 'Wait':
      checkWait(object, names, state);
      break;
    case 'Fail':
      checkFail(object, state);
      break;
  }
}

/** The states a state can hand over to. */
function targets(state: StateDefinition): string[] {
  switch (state.Type) {
    case 'Choice':
      return [
        ...state.Choices.map((rule) => rule.Next),
        ...(state.Default === undefined ? [] : [state.Default]),
      ];
    case 'Task':
      return [...(state.Next === undefined ? [] : [state.Next]), ...(state.Catch ?? []).map((c) => c.Next)];
    case 'Pass':
    case 'Wait':
      return state.Next === undefined ? [] : [state.Next];
    case 'Succeed':
    case 'Fail':
      return [];
  }
}

function checkReachable(definition: MachineDefinition): void {
  const reached = new Set([definition.StartAt]);
  const queue = [definition.StartAt];
  for (let name = queue.pop(); name !== undefined; name = queue.pop()) {
    for (const target of targets(definition.States[name] as StateDefinition)) {
      if (!reached.has(target)) {
        reached.add(target);
        queue.push(target);
      }
    }
  }
  for (const name of Object.keys(definition.States)) {
    if (!reached.has(name)) refuse('no transition leads to this state', name);
  }
}

/** Parses and checks a definition; throws UnsupportedDefinitionError for anything outside the subset. */
export function validateDefinition(definitionText: string): MachineDefinition {
  let parsed: Json;
  try {
    parsed = JSON.parse(definitionText) as Json;
  } catch (error) {
    throw new UnsupportedDefinitionError(`Definition: not valid JSON (${errorMessage(error)})`);
  }
  if (!isObject(parsed)) refuse('the definition must be a JSON object');
  checkFields(parsed, TOP_LEVEL_FIELDS, undefined, '', () => false);
  checkComment(parsed, undefined, '');
  if (parsed.Version !== undefined && typeof parsed.Version !== 'string') {
    refuse('Version must be a string', undefined, 'Version');
  }
  if (parsed.QueryLanguage !== undefined && parsed.QueryLanguage !== 'JSONata') {
    refuse(
      `QueryLanguage ${JSON.stringify(parsed.QueryLanguage)} is outside the supported subset: only JSONata runs here`,
      undefined,
      'QueryLanguage',
    );
  }
  if (parsed.TimeoutSeconds !== undefined && !isIntegerIn(parsed.TimeoutSeconds, 1, MAX_SECONDS)) {
    refuse(`must be an integer from 1 to ${MAX_SECONDS}`, undefined, 'TimeoutSeconds');
  }
  const states = parsed.States;
  if (!isObject(states) || Object.keys(states).length === 0) {
    refuse('States must be an object with at least one state', undefined, 'States');
  }
  const names = new Set(Object.keys(states));
  if (typeof parsed.StartAt !== 'string' || !names.has(parsed.StartAt)) {
    refuse(`StartAt must name a state; ${JSON.stringify(parsed.StartAt)} is not one`, undefined, 'StartAt');
  }
  for (const [name, state] of Object.entries(states)) checkState(name, state, names, parsed.QueryLanguage);
  const definition = parsed as unknown as MachineDefinition;
  checkReachable(definition);
  return definition;
}
