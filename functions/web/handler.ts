// Lambda entry point for the pages (infra/functions.ts, function Web). Everything is built once per
// instance, from the environment, as the API's handlers are.

import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { staffTokenSettingsFromEnv } from '#api/http/caller.ts';
import { caseContextFromEnv } from '#cases/context-from-env.ts';
import { caseOperations } from '#cases/operations.ts';
import { createCognitoClient } from '#clients/cognito.ts';
import { dynamoSignedOutSessions } from '#data/staff-sessions.ts';
import { metricsFromEnv } from '#shared/metrics.ts';
import { rateLimiterFromEnv } from '#shared/rate-limit.ts';
import { createStaffSignOut, userPoolIdOfIssuer } from '#shared/staff-sign-out.ts';
import { createStaffTokenVerifier } from '#shared/staff-token.ts';
import { createWebApp } from './app.ts';
import { dynamoDraftStore } from './apply/draft.ts';
import { createAssetServer } from './http/assets.ts';
import { createRenderer } from './render/renderer.ts';
import { loadWebKeys } from './session/keys.ts';
import { readSignInSettings } from './session/sign-in-settings.ts';
import { webPaths } from './web-paths.ts';

const serviceName = process.env.POWERTOOLS_SERVICE_NAME || 'asb-case-review-web';
const logger = new Logger({ serviceName });
const metrics = metricsFromEnv({ POWERTOOLS_SERVICE_NAME: serviceName });
const paths = webPaths();
const cases = caseContextFromEnv({ logger, metrics });
const { data, area, clock } = cases;
const tokenSettings = staffTokenSettingsFromEnv();
const signedOutSessions = dynamoSignedOutSessions(data);
const userPoolId = userPoolIdOfIssuer(tokenSettings.issuer);
// Only the error's kind: its message could quote a request.
const onError = (error: unknown) =>
  logger.error('Page failed', { errorName: error instanceof Error ? error.name : 'unknown' });

const app = createWebApp({
  operations: caseOperations(cases),
  drafts: dynamoDraftStore(data, clock),
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
  area,
  clock,
  rateLimiter: rateLimiterFromEnv(),
  onError,
});

export const handler = middy((event: APIGatewayProxyEventV2, context: Context) => app(event, context))
  .use(injectLambdaContext(logger, { logEvent: false, resetKeys: true }))
  .use(logMetrics(metrics));
