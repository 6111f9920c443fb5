// What the pages' functions start from, built once per instance from the environment, as the API's
// handlers' is (api/bootstrap.ts): the case operations of the door over the same context, the drafts,
// the session keys, the templates, the staff sign-in, the area and the rate limit; the staff's door
// signs out too.
import { staffTokenSettingsFromEnv } from '#api/http/caller.ts';
import { caseContextFromEnv } from '#cases/context-from-env.ts';
import { evidenceStorageFrom } from '#cases/evidence-storage.ts';
import {
  caseOperations,
  type OperationsContext,
  type ResidentOperations,
  residentOperations,
} from '#cases/operations.ts';
import { createCognitoClient } from '#clients/cognito.ts';
import { requiredSetting } from '#clients/environment.ts';
import { dynamoSignedOutSessions } from '#data/staff-sessions.ts';
import { notifierFromEnv } from '#shared/notifier-from-env.ts';
import { powertools } from '#shared/powertools.ts';
import { rateLimiterFromEnv } from '#shared/rate-limit.ts';
import { createStaffSignOut, userPoolIdOfIssuer } from '#shared/staff-sign-out.ts';
import { createSignedStaffTokenReader } from '#shared/staff-token.ts';
import { dynamoDraftStore } from './apply/draft.ts';
import type { PageDeps, StaffPageDeps } from './page-context.ts';
import { createRenderer } from './render/renderer.ts';
import { loadWebKeys } from './session/keys.ts';
import { readSignInSettings } from './session/sign-in-settings.ts';
import { webPaths } from './web-paths.ts';

export async function residentPageDepsFromEnv(): Promise<PageDeps> {
  return (await pageDepsFromEnv(residentOperations)).deps;
}

export async function staffPageDepsFromEnv(): Promise<StaffPageDeps> {
  const { deps, data } = await pageDepsFromEnv(caseOperations);
  const userPoolId = userPoolIdOfIssuer(staffTokenSettingsFromEnv().issuer);
  return {
    ...deps,
    endStaffSession: createStaffSignOut({
      sessions: dynamoSignedOutSessions(data),
      // Staff signed in through the user pool are signed out of it too.
      ...(userPoolId && { userPool: { client: createCognitoClient(), userPoolId } }),
      onError: deps.onError,
    }),
  };
}

async function pageDepsFromEnv<Operations extends ResidentOperations>(
  operationsOf: (context: OperationsContext) => Operations,
): Promise<{ deps: PageDeps<Operations> } & Pick<OperationsContext, 'data'>> {
  const { logger } = powertools('web');
  const cases = caseContextFromEnv('web');
  const { data, area, clock } = cases;
  const signedOutSessions = dynamoSignedOutSessions(data);
  const readStaffToken = createSignedStaffTokenReader(staffTokenSettingsFromEnv());
  const deps: PageDeps<Operations> = {
    operations: operationsOf({ ...cases, notifier: notifierFromEnv(), evidence: evidenceStorageFrom() }),
    siteUrl: requiredSetting(process.env, 'SITE_URL').replace(/\/+$/, ''),
    drafts: dynamoDraftStore(data, clock),
    keys: await loadWebKeys(),
    render: createRenderer(webPaths()),
    verifyStaffToken: async (token) => {
      const { staff, sessionId } = await readStaffToken(token);
      return { staff, signedOut: () => signedOutSessions.isSignedOut(sessionId) };
    },
    signIn: readSignInSettings(),
    area,
    clock,
    rateLimiter: rateLimiterFromEnv(),
    // Only the error's kind: its message could quote a request.
    onError: (error: unknown) =>
      logger.error('Page failed', { errorName: error instanceof Error ? error.name : 'unknown' }),
  };
  return { deps, data };
}
