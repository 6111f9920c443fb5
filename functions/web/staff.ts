// Lambda entry point for the staff's pages (infra/functions.ts, function StaffPages): /staff/* with
// sign-in and sign-out, and /pcc/*. Their dependencies are either door's (bootstrap.ts) with every case
// operation, and signing out.
import { caseOperations } from '#cases/operations.ts';
import { createCognitoClient } from '#clients/cognito.ts';
import { dynamoSignedOutSessions } from '#data/staff-sessions.ts';
import { createStaffSignOut, userPoolIdOfIssuer } from '#shared/staff-sign-out.ts';
import { staffTokenSettingsFromEnv } from '#shared/staff-token.ts';
import { pageDepsFromEnv } from './bootstrap.ts';
import type { StaffPageDeps } from './page-context.ts';
import { pageHandler } from './page-handler.ts';
import { staffRoutes } from './staff-routes.ts';

async function staffPageDepsFromEnv(): Promise<StaffPageDeps> {
  const { deps, data } = await pageDepsFromEnv('staff', caseOperations);
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

export const handler = pageHandler(await staffPageDepsFromEnv(), staffRoutes());
