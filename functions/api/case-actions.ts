// Lambda entry point: the six case actions, POST /api/cases/{reference}/<action>.
import { apiContextFromEnv } from '#api/bootstrap.ts';
import { httpHandler } from '#api/http/http-handler.ts';
import { caseActionRoutes } from '#api/routes/case-actions.ts';

export const handler = httpHandler(caseActionRoutes(apiContextFromEnv()));
