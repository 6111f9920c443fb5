// POST /api/applications: an application online, or entered by a CSP officer. An Idempotency-Key makes a
// retry return the first response and create nothing.
import type { NotifyingApiContext } from '#api/bootstrap.ts';
import type { Routes } from '#api/http/http-handler.ts';
import { requestHeader } from '#api/http/request.ts';
import { readJsonBody } from '#api/http/request-body.ts';
import { json } from '#api/http/responses.ts';
import { submitApplication } from '#cases/submit-application.ts';

export function applicationRoutes(context: NotifyingApiContext): Routes {
  const { identify } = context;
  return {
    'POST /api/applications': async (event) => {
      const caller = await identify(event);
      const submission = await submitApplication(context, () => readJsonBody(event), caller, {
        idempotencyKey: requestHeader(event, 'idempotency-key'),
      });
      return json(201, submission);
    },
  };
}
