// The six actions of contract.md, "Actions": POST /api/cases/{reference}/<action>.
import type { ApiContext } from '#api/bootstrap.ts';
import type { Routes } from '#api/http/http-handler.ts';
import { pathParameter } from '#api/http/request.ts';
import { readJsonBody } from '#api/http/request-body.ts';
import { json } from '#api/http/responses.ts';
import { act } from '#cases/case-actions.ts';
import { CASE_ACTIONS } from '#core/stages.ts';

export function caseActionRoutes(context: ApiContext): Routes {
  const { identify } = context;
  return Object.fromEntries(
    CASE_ACTIONS.map((action) => [
      `POST /api/cases/{reference}/${action}`,
      async (event) => {
        const caller = await identify(event);
        const done = await act(
          context,
          pathParameter(event, 'reference'),
          action,
          () => readJsonBody(event),
          caller,
        );
        return json(200, done);
      },
    ]),
  );
}
