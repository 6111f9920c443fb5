// Lambda entry point for the pages (infra/functions.ts, function Web): the app built once per instance
// (bootstrap.ts), with its middleware composed here.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { publishMetrics } from '#shared/metrics.ts';
import { requireOriginSecret } from '#shared/origin-secret.ts';
import { powertools } from '#shared/powertools.ts';
import { createWebApp } from './app.ts';
import { webDepsFromEnv } from './bootstrap.ts';

const { logger, metrics } = powertools('web');
const app = createWebApp(await webDepsFromEnv());

export const handler = middy((event: APIGatewayProxyEventV2) => app(event))
  .use(injectLambdaContext(logger, { logEvent: false, resetKeys: true }))
  .use(publishMetrics(metrics))
  .use(requireOriginSecret());
