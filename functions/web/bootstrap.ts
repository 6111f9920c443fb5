// What the pages' function starts from, built once per instance from the environment, as the API's
// handlers' is (api/bootstrap.ts): the case operations over the same context, the drafts, the session
// keys, the templates, the staff sign-in and sign-out, the area and the rate limit.
import { staffTokenSettingsFromEnv } from '#api/http/caller.ts';
import { caseContextFromEnv } from '#cases/context-from-env.ts';
import { evidenceStorageFrom } from '#cases/evidence-storage.ts';
import { caseOperations } from '#cases/operations.ts';
import { createCognitoClient } from '#clients/cognito.ts';
import { requiredSetting } from '#clients/environment.ts';
import { dynamoSignedOutSessions } from '#data/staff-sessions.ts';
import { notifierFromEnv } from '#shared/notifier-from-env.ts';
import { powertools } from '#shared/powertools.ts';
import { rateLimiterFromEnv } from '#shared/rate-limit.ts';
import { createStaffSignOut, userPoolIdOfIssuer } from '#shared/staff-sign-out.ts';
import { createSignedStaffTokenReader } from '#shared/staff-token.ts';
import { dynamoDraftStore } from './apply/draft.ts';
import type { WebDeps } from './page-context.ts';
import { createRenderer } from './render/renderer.ts';
import { loadWebKeys } from './session/keys.ts';
import { readSignInSettings } from './session/sign-in-settings.ts';
import { webPaths } from './web-paths.ts';

export async function webDepsFromEnv(): Promise<WebDeps> {
  const { logger } = powertools('web');
  const paths = webPaths();
  const cases = caseContextFromEnv('web');
  const { data, area, clock } = cases;
  const tokenSettings = staffTokenSettingsFromEnv();
  const signedOutSessions = dynamoSignedOutSessions(data);
  const readStaffToken = createSignedStaffTokenReader(tokenSettings);
  const userPoolId = userPoolIdOfIssuer(tokenSettings.issuer);
  // Only the error's kind: its message could quote a request.
  const onError = (error: unknown) =>
    logger.error('Page failed', { errorName: error instanceof Error ? error.name : 'unknown' });
  return {
    operations: caseOperations({ ...cases, notifier: notifierFromEnv(), evidence: evidenceStorageFrom() }),
    siteUrl: requiredSetting(process.env, 'SITE_URL').replace(/\/+$/, ''),
    drafts: dynamoDraftStore(data, clock),
    keys: await loadWebKeys(),
    render: createRenderer(paths),
    verifyStaffToken: async (token) => {
      const { staff, sessionId } = await readStaffToken(token);
      return { staff, signedOut: () => signedOutSessions.isSignedOut(sessionId) };
    },
    endStaffSession: createStaffSignOut({
      sessions: signedOutSessions,
      // Staff signed in through the user pool are signed out of it too.
      ...(userPoolId && { userPool: { client: createCognitoClient(), userPoolId } }),
      onError,
    }),
    signIn: readSignInSettings(),
    area,
    clock,
    rateLimiter: rateLimiterFromEnv(),
    onError,
  };
}
