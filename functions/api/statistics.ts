// Lambda entry point: GET /api/statistics, GET /api/statistics/years, POST /api/statistics/returns.
import { apiContextWithoutWorkflowFromEnv } from '#api/bootstrap.ts';
import { httpHandler } from '#api/http/http-handler.ts';
import { statisticsRoutes } from '#api/routes/statistics.ts';

export const handler = httpHandler(statisticsRoutes(apiContextWithoutWorkflowFromEnv()));
