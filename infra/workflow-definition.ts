// The case review state machine as a file: CDK deploys it with DefinitionBody.fromFile and fills its
// `${…}` placeholders through definitionSubstitutions; the local engine reads the same file.
import { join } from 'node:path';
import { type FunctionSpec, functionSpecs } from '#infra/functions.ts';

export const CASE_REVIEW_DEFINITION = join(import.meta.dirname, '../statemachines/case-review.asl.json');

const PLACEHOLDER = /\$\{([A-Za-z0-9_]+)\}/g;

/** The names of the `${Name}` placeholders in a definition's text. */
export function placeholdersOf(definition: string): ReadonlySet<string> {
  return new Set([...definition.matchAll(PLACEHOLDER)].map((match) => match[1] as string));
}

interface StateNode {
  readonly Type?: string;
  readonly Resource?: string;
  readonly Arguments?: { readonly FunctionName?: unknown };
  readonly Parameters?: { readonly FunctionName?: unknown };
  readonly States?: Readonly<Record<string, StateNode>>;
  readonly Branches?: readonly StateNode[];
  readonly Iterator?: StateNode;
  readonly ItemProcessor?: StateNode;
}

function* tasksOf(node: StateNode): Generator<StateNode> {
  for (const state of Object.values(node.States ?? {})) {
    if (state.Type === 'Task') yield state;
    for (const branch of state.Branches ?? []) yield* tasksOf(branch);
    for (const inner of [state.Iterator, state.ItemProcessor]) if (inner) yield* tasksOf(inner);
  }
}

/**
 * The workflow functions the definition invokes with a task token (`lambda:invoke.waitForTaskToken`).
 * They hold the token of a waiting step, so they are the workflow functions that may answer it.
 */
export function functionsHoldingTaskTokens(
  definition: string,
  specs: readonly FunctionSpec[] = functionSpecs,
): readonly FunctionSpec[] {
  const names = new Set<string>();
  for (const task of tasksOf(JSON.parse(definition) as StateNode)) {
    if (!task.Resource?.endsWith('.waitForTaskToken')) continue;
    const target = task.Arguments?.FunctionName ?? task.Parameters?.FunctionName;
    for (const name of typeof target === 'string' ? placeholdersOf(target) : []) names.add(name);
  }
  return specs.filter((spec) => spec.workflow && names.has(`${spec.id}FunctionArn`));
}
