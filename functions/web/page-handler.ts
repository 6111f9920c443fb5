// What each door's Lambda entry point (resident.ts, staff.ts) is: the app over the door's route table
// and dependencies, built once per instance (bootstrap.ts), with its middleware composed here.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { publishMetrics } from '#shared/metrics.ts';
import { requireOriginSecret } from '#shared/origin-secret.ts';
import { powertools } from '#shared/powertools.ts';
import { createWebApp } from './app.ts';
import type { PageDeps } from './page-context.ts';
import type { PageRoutes } from './routes.ts';

export function pageHandler<Deps extends PageDeps>(deps: Deps, routes: PageRoutes<Deps>) {
  const { logger, metrics } = powertools('web');
  const app = createWebApp(deps, routes);
  return middy((event: APIGatewayProxyEventV2) => app(event))
    .use(injectLambdaContext(logger, { logEvent: false, resetKeys: true }))
    .use(publishMetrics(metrics))
    .use(requireOriginSecret());
}
