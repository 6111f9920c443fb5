// What the API's handlers start from, built once per function instance from the environment (CDK sets
// it in AWS; the local runtime sets it before loading the handlers): the case operations' context with
// the API's logger and metrics, and who is asking. The route factories take these in, so tests pass
// their own clock, tables and token verifier.
import { callerIdentifierFromEnv, type IdentifyCaller } from '#api/http/caller.ts';
import type { CaseContext, NotifyingCaseContext } from '#cases/context.ts';
import { caseContextFromEnv } from '#cases/context-from-env.ts';
import { dynamoSignedOutSessions } from '#data/staff-sessions.ts';

export interface ApiContext extends CaseContext {
  readonly identify: IdentifyCaller;
}

/** The context of the API functions that send messages themselves (api/applications.ts, api/cases.ts). */
export type NotifyingApiContext = ApiContext & NotifyingCaseContext;

export function apiContextFromEnv(env: NodeJS.ProcessEnv = process.env): ApiContext {
  const context = caseContextFromEnv('api', env);
  return { ...context, identify: callerIdentifierFromEnv(dynamoSignedOutSessions(context.data)) };
}
