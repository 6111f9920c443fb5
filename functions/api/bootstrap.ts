// What the API's handlers start from, built once per function instance from the environment (CDK sets
// it in AWS; the local runtime sets it before loading the handlers): the case operations' context with
// the API's logger and metrics, and who is asking. The route factories take these in, so tests pass
// their own clock, tables and token verifier.
import { callerIdentifierFromEnv, type IdentifyCaller } from '#api/http/caller.ts';
import type { CaseContext, CaseContextWithoutWorkflow, NotifyingCaseContext } from '#cases/context.ts';
import { caseContextFromEnv, caseContextWithoutWorkflowFromEnv } from '#cases/context-from-env.ts';
import { createStepFunctionsClient } from '#clients/stepfunctions.ts';
import { dynamoSignedOutSessions } from '#data/staff-sessions.ts';

export interface ApiContext extends CaseContext {
  readonly identify: IdentifyCaller;
}

/** The context of the API functions that never reach the workflow (links, evidence, statistics). */
export type ApiContextWithoutWorkflow = Omit<ApiContext, 'workflow'>;

/** The context of the API functions that send messages themselves (api/applications.ts, api/cases.ts). */
export type NotifyingApiContext = ApiContext & NotifyingCaseContext;

export function apiContextFromEnv(env: NodeJS.ProcessEnv = process.env): ApiContext {
  return withCallerIdentifier(caseContextFromEnv('api', createStepFunctionsClient(env), env));
}

export function apiContextWithoutWorkflowFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): ApiContextWithoutWorkflow {
  return withCallerIdentifier(caseContextWithoutWorkflowFromEnv('api', env));
}

function withCallerIdentifier<Context extends CaseContextWithoutWorkflow>(
  context: Context,
): Context & { readonly identify: IdentifyCaller } {
  return { ...context, identify: callerIdentifierFromEnv(dynamoSignedOutSessions(context.data)) };
}
