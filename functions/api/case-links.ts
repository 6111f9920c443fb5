// Lambda entry point: route B's links, GET /api/cases/{reference}/link-suggestions and
// POST /api/cases/{reference}/links.
import { apiContextWithoutWorkflowFromEnv } from '#api/bootstrap.ts';
import { httpHandler } from '#api/http/http-handler.ts';
import { caseLinkRoutes } from '#api/routes/case-links.ts';

export const handler = httpHandler(caseLinkRoutes(apiContextWithoutWorkflowFromEnv()));
