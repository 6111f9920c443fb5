// GET /api/cases/{reference} (the case, as its reader may see it) and GET /api/cases (the worklist).
import type { ApiContext } from '#api/bootstrap.ts';
import type { Routes } from '#api/http/http-handler.ts';
import { pathParameter, queryParameter } from '#api/http/request.ts';
import { json } from '#api/http/responses.ts';
import { getCase } from '#cases/view-case.ts';
import { listCases } from '#cases/worklist.ts';

export function caseRoutes(context: ApiContext): Routes {
  const { identify } = context;
  return {
    'GET /api/cases/{reference}': async (event) => {
      const caller = await identify(event);
      return json(200, await getCase(context, pathParameter(event, 'reference'), caller));
    },

    'GET /api/cases': async (event) => {
      const caller = await identify(event);
      const worklist = await listCases(context, caller, {
        stage: queryParameter(event, 'stage'),
        limit: queryParameter(event, 'limit'),
        cursor: queryParameter(event, 'cursor') ?? queryParameter(event, 'next'),
      });
      return json(200, worklist);
    },
  };
}
