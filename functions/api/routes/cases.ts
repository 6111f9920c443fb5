// GET /api/cases/{reference} (the case, as its reader may see it), GET /api/cases (the worklist) and
// POST /api/cases/search (the worklist's cases matching a reference, name or postcode).
import type { ApiContext } from '#api/bootstrap.ts';
import type { Routes } from '#api/http/http-handler.ts';
import { pathParameter, queryParameter } from '#api/http/request.ts';
import { readJsonBody } from '#api/http/request-body.ts';
import { json } from '#api/http/responses.ts';
import { getCase } from '#cases/view-case.ts';
import { listCases, searchCases } from '#cases/worklist.ts';

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
        assigned: queryParameter(event, 'assigned'),
        overdue: queryParameter(event, 'overdue'),
        asked: queryParameter(event, 'asked'),
        csp: queryParameter(event, 'csp'),
        limit: queryParameter(event, 'limit'),
        cursor: queryParameter(event, 'cursor') ?? queryParameter(event, 'next'),
      });
      return json(200, worklist);
    },

    'POST /api/cases/search': async (event) => {
      const caller = await identify(event);
      return json(200, await searchCases(context, caller, () => readJsonBody(event)));
    },
  };
}
