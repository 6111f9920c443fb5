// GET /api/cases/{reference} (the case, as its reader may see it), GET /api/cases (the worklist),
// POST /api/cases/search (the worklist's cases matching a reference, name or postcode), staff's own
// work on a case: POST /api/cases/{reference}/assignment and /notes, and
// POST /api/cases/{reference}/new-access-code (a resident who lost their code: always 202).
import type { NotifyingApiContext } from '#api/bootstrap.ts';
import type { Routes } from '#api/http/http-handler.ts';
import { pathParameter, queryParameter } from '#api/http/request.ts';
import { readJsonBody } from '#api/http/request-body.ts';
import { json } from '#api/http/responses.ts';
import { addNote, changeAssignment } from '#cases/case-work.ts';
import { requestNewAccessCode } from '#cases/new-access-code.ts';
import { getCase } from '#cases/view-case.ts';
import { listCases, searchCases } from '#cases/worklist.ts';

export function caseRoutes(context: NotifyingApiContext): Routes {
  const { identify } = context;
  return {
    'GET /api/cases/{reference}': async (event) => {
      const caller = await identify(event);
      return json(200, await getCase(context, pathParameter(event, 'reference'), caller));
    },

    'POST /api/cases/{reference}/new-access-code': async (event) => {
      await requestNewAccessCode(context, pathParameter(event, 'reference'), () => readJsonBody(event));
      return json(202, {
        message:
          'If the reference is right and the case is open, a new access code has been sent to the contact details on the case.',
      });
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
