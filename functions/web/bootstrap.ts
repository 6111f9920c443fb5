// What the pages' functions start from, built once per instance from the environment, as the API's
// handlers' is (api/bootstrap.ts): the case operations of the door over the same context, the drafts,
// the session keys, the templates, the staff sign-in, the area and the rate limit. The staff's door adds
// signing out (staff.ts), which the resident's never loads.
import { caseContextFromEnv } from '#cases/context-from-env.ts';
import { evidenceStorageFrom } from '#cases/evidence-storage.ts';
import { type OperationsContext, type ResidentOperations, residentOperations } from '#cases/operations.ts';
import { requiredSetting } from '#clients/environment.ts';
import { onFirstUse } from '#clients/on-first-use.ts';
import { stepFunctionsOnFirstUse } from '#clients/stepfunctions-on-first-use.ts';
import { dynamoSignedOutSessions } from '#data/staff-sessions.ts';
import { notifierOnFirstUse } from '#shared/notifier-on-first-use.ts';
import { powertools } from '#shared/powertools.ts';
import { rateLimiterFromEnv } from '#shared/rate-limit.ts';
import { staffTokenSettingsFromEnv } from '#shared/staff-token.ts';
import { dynamoDraftStore } from './apply/draft.ts';
import type { PageDeps } from './page-context.ts';
import { createRenderer } from './render/renderer.ts';
import { webKeysFromEnv } from './session/keys.ts';
import { readSignInSettings } from './session/sign-in-settings.ts';
import { type Door, webPaths } from './web-paths.ts';

export async function residentPageDepsFromEnv(): Promise<PageDeps> {
  return (await pageDepsFromEnv('resident', residentOperations)).deps;
}

/**
 * What either door starts from: its own templates, and the case operations `operationsOf` binds for its
 * pages.
 */
export async function pageDepsFromEnv<Operations extends ResidentOperations>(
  door: Door,
  operationsOf: (context: OperationsContext) => Operations,
): Promise<{ deps: PageDeps<Operations> } & Pick<OperationsContext, 'data'>> {
  const { logger } = powertools('web');
  // Loaded when a page first starts or answers a case's workflow: most of the pages' requests do neither.
  const cases = caseContextFromEnv('web', stepFunctionsOnFirstUse());
  const { data, area, clock } = cases;
  const signedOutSessions = dynamoSignedOutSessions(data);
  const tokenSettings = staffTokenSettingsFromEnv();
  // Loaded when a request first carries a staff token: most of the resident's requests carry none.
  const staffTokenReader = onFirstUse(async () =>
    (await import('#shared/staff-token-reader.ts')).createSignedStaffTokenReader(tokenSettings),
  );
  const keys = webKeysFromEnv();
  // Read at the start, as before its first page: a secret missing or too short stops the instance there.
  await keys();
  const deps: PageDeps<Operations> = {
    operations: operationsOf({ ...cases, notifier: notifierOnFirstUse(), evidence: evidenceStorageFrom() }),
    siteUrl: requiredSetting(process.env, 'SITE_URL').replace(/\/+$/, ''),
    drafts: dynamoDraftStore(data, clock),
    keys,
    render: createRenderer(webPaths(door)),
    verifyStaffToken: async (token) => {
      const { staff, sessionId } = await (await staffTokenReader())(token);
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
