// What the API's handlers need from the outside world, built once per function instance from the
// environment (CDK sets it in AWS; the local runtime sets it before loading the handlers): the case
// operations' context and who is asking. The route factories take these in, so tests pass their own
// clock, tables and token verifier.
import { callerIdentifierFromEnv, type IdentifyCaller } from '#api/http/caller.ts';
import { logger, metrics } from '#api/http/powertools.ts';
import type { CaseContext } from '#cases/context.ts';
import { caseContextFromEnv } from '#cases/context-from-env.ts';
import { dynamoSignedOutSessions } from '#data/staff-sessions.ts';

export interface ApiContext extends CaseContext {
  readonly identify: IdentifyCaller;
}

export function apiContextFromEnv(env: NodeJS.ProcessEnv = process.env): ApiContext {
  const context = caseContextFromEnv({ logger, metrics }, env);
  return { ...context, identify: callerIdentifierFromEnv(dynamoSignedOutSessions(context.data)) };
}
