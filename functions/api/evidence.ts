// Lambda entry point: POST /api/cases/{reference}/evidence, and GET and POST /api/cases/{reference}/evidence/{id}.
import { apiContextWithoutWorkflowFromEnv } from '#api/bootstrap.ts';
import { httpHandler } from '#api/http/http-handler.ts';
import { evidenceRoutes } from '#api/routes/evidence.ts';
import { evidenceStorageSigning } from '#cases/evidence-signer.ts';

export const handler = httpHandler(
  evidenceRoutes({ ...apiContextWithoutWorkflowFromEnv(), evidence: evidenceStorageSigning() }),
);
