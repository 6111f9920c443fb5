// GET /api/statistics, GET /api/statistics/years, POST /api/statistics/returns (contract.md, Statistics).
import type { ApiContextWithoutWorkflow } from '#api/bootstrap.ts';
import type { Routes } from '#api/http/http-handler.ts';
import { queryParameter } from '#api/http/request.ts';
import { readJsonBody } from '#api/http/request-body.ts';
import { csv, json } from '#api/http/responses.ts';
import { signOffReturn, statistics, statisticsYears } from '#cases/statistics.ts';

export function statisticsRoutes(context: ApiContextWithoutWorkflow): Routes {
  const { identify } = context;
  return {
    'GET /api/statistics': async (event) => {
      const published = await statistics(context, {
        year: queryParameter(event, 'year'),
        format: queryParameter(event, 'format'),
      });
      return published.format === 'csv'
        ? csv(published.csv, published.filename)
        : json(200, published.table, 'public');
    },

    'GET /api/statistics/years': async () => json(200, await statisticsYears(context), 'public'),

    'POST /api/statistics/returns': async (event) => {
      const caller = await identify(event);
      return json(200, await signOffReturn(context, () => readJsonBody(event), caller));
    },
  };
}
