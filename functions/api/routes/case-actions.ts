// The actions of contract.md, "Actions", with the final action plan, and the case review's information
// steps ("The case review": contact, involvement, the agencies asked, the meeting, the victim's answer
// to the draft plan; the meeting's invitations are sent from here): POST /api/cases/{reference}/<action>;
// and progress on an action of the final plan.
import type { NotifyingApiContext } from '#api/bootstrap.ts';
import type { RouteHandler, Routes } from '#api/http/http-handler.ts';
import { pathParameter } from '#api/http/request.ts';
import { readJsonBody } from '#api/http/request-body.ts';
import { json } from '#api/http/responses.ts';
import { recordProgressNote } from '#cases/action-progress.ts';
import type { Caller } from '#cases/caller.ts';
import { act } from '#cases/case-actions.ts';
import { REVIEW_STEPS, takeReviewStep } from '#cases/case-review-steps.ts';
import type { RequestBody } from '#cases/parse-input.ts';
import { CASE_ACTIONS } from '#core/stages.ts';

type Take = (reference: string, readBody: RequestBody, caller: Caller) => Promise<unknown>;

export function caseActionRoutes(context: NotifyingApiContext): Routes {
  const { identify } = context;
  const route = (name: string, take: Take): [string, RouteHandler] => [
    `POST /api/cases/{reference}/${name}`,
    async (event) => {
      const caller = await identify(event);
      const done = await take(pathParameter(event, 'reference'), () => readJsonBody(event), caller);
      return json(200, done);
    },
  ];
  return Object.fromEntries([
    ...CASE_ACTIONS.map((action) =>
      route(action, (reference, readBody, caller) => act(context, reference, action, readBody, caller)),
    ),
    ...REVIEW_STEPS.map((step) =>
      route(step, (reference, readBody, caller) =>
        takeReviewStep(context, reference, step, readBody, caller),
      ),
    ),
    [
      'POST /api/cases/{reference}/actions/{actionId}/progress',
      async (event) => {
        const caller = await identify(event);
        const done = await recordProgressNote(
          context,
          pathParameter(event, 'reference'),
          pathParameter(event, 'actionId'),
          () => readJsonBody(event),
          caller,
        );
        return json(200, done);
      },
    ],
  ]);
}
