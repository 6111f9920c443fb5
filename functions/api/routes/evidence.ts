// Evidence files (contract.md, "Evidence"): POST /api/cases/{reference}/evidence (presigned POSTs) and
// GET /api/cases/{reference}/evidence/{id} (a short-lived download link).
import type { ApiContext } from '#api/bootstrap.ts';
import type { Routes } from '#api/http/http-handler.ts';
import { pathParameter, requestHeader } from '#api/http/request.ts';
import { readJsonBody } from '#api/http/request-body.ts';
import { json } from '#api/http/responses.ts';
import { evidenceDownload, requestUploads } from '#cases/case-evidence.ts';
import type { EvidenceStorage } from '#cases/evidence-storage.ts';

export function evidenceRoutes(context: ApiContext & { readonly evidence: EvidenceStorage }): Routes {
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
  };
}
