// Lambda entry point: GET /api/cases/{reference}, GET /api/cases, POST /api/cases/search, and a
// case's assignment and notes (POST /api/cases/{reference}/assignment and /notes).
import { apiContextFromEnv } from '#api/bootstrap.ts';
import { httpHandler } from '#api/http/http-handler.ts';
import { caseRoutes } from '#api/routes/cases.ts';

export const handler = httpHandler(caseRoutes(apiContextFromEnv()));
