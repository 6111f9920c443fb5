// Lambda entry point for the resident's pages (infra/functions.ts, function ResidentPages): /, /apply,
// /track, /statistics and the error pages.
import { residentPageDepsFromEnv } from './bootstrap.ts';
import { pageHandler } from './page-handler.ts';
import { residentRoutes } from './resident-routes.ts';

export const handler = pageHandler(await residentPageDepsFromEnv(), residentRoutes());
