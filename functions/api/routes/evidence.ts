// Evidence files (contract.md, "Evidence"): POST /api/cases/{reference}/evidence (presigned POSTs) and
// GET /api/cases/{reference}/evidence/{id} (a short-lived download link); POST to the same address shares
// a file staff added with the applicant, or stops sharing it.
import type { ApiContextWithoutWorkflow } from '#api/bootstrap.ts';
import type { Routes } from '#api/http/http-handler.ts';
import { pathParameter, requestHeader } from '#api/http/request.ts';
import { readJsonBody } from '#api/http/request-body.ts';
import { json } from '#api/http/responses.ts';
import { evidenceDownload, requestUploads, shareEvidence } from '#cases/case-evidence.ts';
import type { EvidenceStorage } from '#cases/evidence-storage.ts';

export function evidenceRoutes(
  context: ApiContextWithoutWorkflow & { readonly evidence: EvidenceStorage },
): Routes {
  const { identify } = context;
  return {
    'POST /api/cases/{reference}/evidence': async (event) => {
      const caller = await identify(event);
      const idempotencyKey = requestHeader(event, 'idempotency-key');
      const granted = await requestUploads(
        context,
        pathParameter(event, 'reference'),
        () => readJsonBody(event),
        caller,
        idempotencyKey === undefined ? {} : { idempotencyKey },
      );
      return json(200, granted);
    },

    'GET /api/cases/{reference}/evidence/{id}': async (event) => {
      const caller = await identify(event);
      const link = await evidenceDownload(
        context,
        pathParameter(event, 'reference'),
        pathParameter(event, 'id'),
        caller,
      );
      return json(200, link);
    },

    'POST /api/cases/{reference}/evidence/{id}': async (event) => {
      const caller = await identify(event);
      const shared = await shareEvidence(
        context,
        pathParameter(event, 'reference'),
        pathParameter(event, 'id'),
        () => readJsonBody(event),
        caller,
      );
      return json(200, shared);
    },
  };
}
