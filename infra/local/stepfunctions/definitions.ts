// Loads the project's state machines the way the deployment does: every statemachines/*.asl.json,
// with `${key}` placeholders filled as CloudFormation fills DefinitionSubstitutions (which CDK's
// `definitionSubstitutions` becomes): plain text replacement of each `${key}`, repeated while a
// replacement brings in another placeholder. Unlike CloudFormation, which leaves an unknown
// placeholder in the text, a placeholder without a value is an error here, naming it.

import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '#infra/functions.ts';
import { compileDefinition } from './interpreter.ts';
import type { CompiledStateMachine } from './model.ts';
import { stateMachineArnOf } from './names.ts';

const SUFFIX = '.asl.json';
const PLACEHOLDERS = /\$\{([^}]*)\}/g;
const PLACEHOLDER = /\$\{([^}]*)\}/;

export class DefinitionLoadError extends Error {
  override name = 'DefinitionLoadError';
}

export class UnresolvedPlaceholderError extends DefinitionLoadError {
  override name = 'UnresolvedPlaceholderError';
  readonly placeholder: string;
  constructor(source: string, placeholder: string) {
    super(`${source}: no definition substitution for \${${placeholder}}`);
    this.placeholder = placeholder;
  }
}

/** The substitutions refer to each other in a circle, so replacing never ends. */
export class CircularSubstitutionError extends DefinitionLoadError {
  override name = 'CircularSubstitutionError';
}

/** Fills every `${key}` of the definition text from `substitutions`. */
export function substituteDefinition(
  text: string,
  substitutions: Readonly<Record<string, string>>,
  source = 'definition',
): string {
  const replace = (current: string) =>
    current.replace(PLACEHOLDERS, (placeholder, key: string) =>
      Object.hasOwn(substitutions, key) ? (substitutions[key] as string) : placeholder,
    );
  let current = text;
  // As CloudFormation's replaceEachRepeatedly: one more round than there are keys means a cycle.
  for (let round = 0; round <= Object.keys(substitutions).length; round += 1) {
    const next = replace(current);
    if (next === current) {
      const unresolved = PLACEHOLDER.exec(current);
      if (unresolved) throw new UnresolvedPlaceholderError(source, unresolved[1] ?? '');
      return current;
    }
    current = next;
  }
  throw new CircularSubstitutionError(
    `${source}: the definition substitutions refer to each other in a circle`,
  );
}

/**
 * Every `<name>.asl.json` in `directory`, substituted and compiled, as state machine `<name>`
 * (ARN `arn:aws:states:<region>:<account>:stateMachine:<name>`). Throws on the first that fails.
 */
export function loadStateMachines(
  directory: string,
  substitutions: Readonly<Record<string, string>> = {},
  options: { region?: string; accountId?: string } = {},
): CompiledStateMachine[] {
  const files = readdirSync(directory)
    .filter((file) => file.endsWith(SUFFIX))
    .sort();
  return files.map((file) => {
    const name = basename(file, SUFFIX);
    const path = join(directory, file);
    const text = substituteDefinition(readFileSync(path, 'utf8'), substitutions, path);
    const arn = stateMachineArnOf(name, options.region ?? LOCAL_REGION, options.accountId ?? LOCAL_ACCOUNT);
    try {
      return compileDefinition(name, arn, text);
    } catch (error) {
      throw new DefinitionLoadError(`${path}: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    }
  });
}
