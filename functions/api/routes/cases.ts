// GET /api/cases/{reference} (the case, as its reader may see it), GET /api/cases (the worklist),
// POST /api/cases/search (the worklist's cases matching a reference, name or postcode), and staff's own
// work on a case: POST /api/cases/{reference}/assignment and /notes.
import type { ApiContext } from '#api/bootstrap.ts';
import type { Routes } from '#api/http/http-handler.ts';
import { pathParameter, queryParameter } from '#api/http/request.ts';
import { readJsonBody } from '#api/http/request-body.ts';
import { json } from '#api/http/responses.ts';
import { addNote, changeAssignment } from '#cases/case-work.ts';
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

    'POST /api/cases/{reference}/assignment': async (event) => {
      const caller = await identify(event);
      const reference = pathParameter(event, 'reference');
      const done = await changeAssignment(context, reference, () => readJsonBody(event), caller);
      return json(200, done);
    },

    'POST /api/cases/{reference}/notes': async (event) => {
      const caller = await identify(event);
      const reference = pathParameter(event, 'reference');
      const done = await addNote(context, reference, () => readJsonBody(event), caller);
      return json(200, done);
    },
  };
}
