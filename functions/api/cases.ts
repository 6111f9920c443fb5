// Lambda entry point: GET /api/cases/{reference}, GET /api/cases and POST /api/cases/search.
import { apiContextFromEnv } from '#api/bootstrap.ts';
import { httpHandler } from '#api/http/http-handler.ts';
import { caseRoutes } from '#api/routes/cases.ts';

export const handler = httpHandler(caseRoutes(apiContextFromEnv()));
