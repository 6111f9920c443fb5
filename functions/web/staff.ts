// Lambda entry point for the staff's pages (infra/functions.ts, function StaffPages): /staff/* with
// sign-in and sign-out, and /pcc/*.
import { staffPageDepsFromEnv } from './bootstrap.ts';
import { pageHandler } from './page-handler.ts';
import { staffRoutes } from './staff-routes.ts';

export const handler = pageHandler(await staffPageDepsFromEnv(), staffRoutes());
