// The state machine that runs each case, as the environment names it: settings only, so that a function
// loading its Step Functions client on first use (stepfunctions-on-first-use.ts) reads them at its start.
import { type Env, requiredSetting } from '#clients/environment.ts';

/**
 * The state machine that runs each case (STATE_MACHINE_ARN): in AWS its alias
 * (`…:stateMachine:<name>:live`), on which executions start.
 */
export function stateMachineArnFrom(env: Env = process.env): string {
  return requiredSetting(env, 'STATE_MACHINE_ARN');
}

/**
 * The state machine itself, from its ARN or a version's or alias's (`…:stateMachine:<name>[:<qualifier>]`):
 * what names its executions and lists them all, whichever version each runs on.
 */
export function unqualifiedStateMachineArn(arn: string): string {
  return arn.split(':').slice(0, 7).join(':');
}

/** Where a case's next execution starts: on STATE_MACHINE_ALIAS of the state machine, if it is set. */
export function stateMachineAliasFrom(env: Env = process.env): string | undefined {
  return env.STATE_MACHINE_ALIAS || undefined;
}
