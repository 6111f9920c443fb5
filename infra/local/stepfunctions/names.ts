// ARNs and names as Step Functions forms and checks them.

import { LOCAL_ACCOUNT, LOCAL_REGION } from '#infra/functions.ts';
import { InvalidArn, InvalidName } from './errors.ts';

const STATE_MACHINE_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[^:]+$/;
// A version (`:<n>`) or an alias (`:<alias name>`) after the state machine's name.
const QUALIFIED_STATE_MACHINE_ARN = /^(arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[^:]+):([^:]+)$/;
const EXECUTION_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:execution:[^:]+:[^:]+$/;
// Characters AWS refuses in a name, besides whitespace and control characters.
const FORBIDDEN = new Set('<>{}[]?*"#%\\^|~`$&,;:/');

export function stateMachineArnOf(name: string, region = LOCAL_REGION, accountId = LOCAL_ACCOUNT): string {
  return `arn:aws:states:${region}:${accountId}:stateMachine:${name}`;
}

/** An execution's ARN: the state machine's, with `execution` for `stateMachine` and the name appended. */
export function executionArnOf(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}

export function assertStateMachineArn(arn: unknown): asserts arn is string {
  if (typeof arn !== 'string' || !STATE_MACHINE_ARN.test(arn)) {
    throw new InvalidArn(`Invalid Arn: 'Resource type not valid in this context: ${String(arn)}'`);
  }
}

/**
 * The state machine a StartExecution names (its ARN, or a version's or an alias's) and the qualifier,
 * if any: Step Functions runs an alias's execution as one of the state machine's.
 */
export function parseStartableArn(arn: unknown): {
  readonly stateMachineArn: string;
  readonly qualifier?: string;
} {
  if (typeof arn === 'string') {
    const qualified = QUALIFIED_STATE_MACHINE_ARN.exec(arn);
    if (qualified) return { stateMachineArn: qualified[1] as string, qualifier: qualified[2] as string };
  }
  assertStateMachineArn(arn);
  return { stateMachineArn: arn };
}

export function assertExecutionArn(arn: unknown): asserts arn is string {
  if (typeof arn !== 'string' || !EXECUTION_ARN.test(arn)) {
    throw new InvalidArn(`Invalid Arn: 'Resource type not valid in this context: ${String(arn)}'`);
  }
}

/** 1 to 80 characters, none of them whitespace, control characters or `<>{}[]?*"#%\^|~\`$&,;:/`. */
export function assertExecutionName(name: string): void {
  const characters = [...name];
  const valid =
    characters.length >= 1 &&
    characters.length <= 80 &&
    characters.every((character) => {
      const code = character.codePointAt(0) ?? 0;
      const control = code <= 0x1f || (code >= 0x7f && code <= 0x9f);
      return !control && !/\s/u.test(character) && !FORBIDDEN.has(character);
    });
  if (!valid) throw new InvalidName(`Invalid Name: '${name}'`);
}
