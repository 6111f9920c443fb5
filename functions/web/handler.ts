// Lambda entry point for the pages (infra/functions.ts, function Web). Everything is built once per
// instance, from the environment, as the API's handlers are.

import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { staffTokenSettingsFromEnv } from '#api/http/caller.ts';
import { systemClock } from '#core/clock.ts';
import { createCognitoClient, dataContextFrom } from '#data/clients.ts';
import { dynamoSignedOutSessions } from '#data/staff-sessions.ts';
import { areaConfigFromEnv } from '#shared/deployed-area.ts';
import { createStaffSignOut, userPoolIdOfIssuer } from '#shared/staff-sign-out.ts';
import { createStaffTokenVerifier } from '#shared/staff-token.ts';
import { createWebApp } from './app.ts';
import { dynamoDraftStore } from './apply/draft.ts';
import { createAssetServer } from './http/assets.ts';
import { apiCaseOperations, apiRoutesFromEnv } from './operations/api-operations.ts';
import { createRenderer } from './render/renderer.ts';
import { loadWebKeys } from './session/keys.ts';
import { readSignInSettings } from './session/sign-in-settings.ts';
import { webPaths } from './web-paths.ts';

const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME || 'asb-case-review-web' });
const paths = webPaths();
const data = dataContextFrom();
const tokenSettings = staffTokenSettingsFromEnv();
const signedOutSessions = dynamoSignedOutSessions(data);
const userPoolId = userPoolIdOfIssuer(tokenSettings.issuer);
// Only the error's kind: its message could quote a request.
const onError = (error: unknown) =>
  logger.error('Page failed', { errorName: error instanceof Error ? error.name : 'unknown' });

const app = createWebApp({
  operations: apiCaseOperations(apiRoutesFromEnv()),
  drafts: dynamoDraftStore(data, systemClock),
  keys: await loadWebKeys(),
  render: createRenderer(paths),
  assets: createAssetServer(paths),
  verifyStaffToken: createStaffTokenVerifier(tokenSettings, signedOutSessions),
  endStaffSession: createStaffSignOut({
    sessions: signedOutSessions,
    // Staff signed in through the user pool are signed out of it too.
    ...(userPoolId && { userPool: { client: createCognitoClient(), userPoolId } }),
    onError,
  }),
  signIn: readSignInSettings(),
  area: areaConfigFromEnv(),
  clock: systemClock,
  onError,
});

export const handler = middy((event: APIGatewayProxyEventV2) => app(event)).use(
  injectLambdaContext(logger, { logEvent: false, resetKeys: true }),
);
