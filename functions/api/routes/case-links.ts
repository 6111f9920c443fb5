// Route B's links: GET /api/cases/{reference}/link-suggestions and POST /api/cases/{reference}/links.
import type { ApiContextWithoutWorkflow } from '#api/bootstrap.ts';
import type { Routes } from '#api/http/http-handler.ts';
import { pathParameter } from '#api/http/request.ts';
import { readJsonBody } from '#api/http/request-body.ts';
import { json } from '#api/http/responses.ts';
import { changeLinks, linkSuggestions } from '#cases/case-links.ts';

export function caseLinkRoutes(context: ApiContextWithoutWorkflow): Routes {
  const { identify } = context;
  return {
    'GET /api/cases/{reference}/link-suggestions': async (event) => {
      const caller = await identify(event);
      return json(200, await linkSuggestions(context, pathParameter(event, 'reference'), caller));
    },

    'POST /api/cases/{reference}/links': async (event) => {
      const caller = await identify(event);
      const reference = pathParameter(event, 'reference');
      return json(200, await changeLinks(context, reference, () => readJsonBody(event), caller));
    },
  };
}
