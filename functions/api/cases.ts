// Lambda entry point: GET /api/cases/{reference}, GET /api/cases, POST /api/cases/search, a case's
// assignment and notes (POST /api/cases/{reference}/assignment and /notes), and
// POST /api/cases/{reference}/new-access-code.
import { apiContextFromEnv } from '#api/bootstrap.ts';
import { httpHandler } from '#api/http/http-handler.ts';
import { caseRoutes } from '#api/routes/cases.ts';
import { notifierFromEnv } from '#shared/notifier-from-env.ts';

export const handler = httpHandler(caseRoutes({ ...apiContextFromEnv(), notifier: notifierFromEnv() }));
