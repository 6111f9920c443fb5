// GET /api/cases/{reference} (the case, as its reader may see it) and GET /api/cases (the worklist).
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { actorOf, authoriseCaseRead } from '#api/authorisation.ts';
import { requestedReference } from '#api/case-path.ts';
import { ensureCaseReviewStarted } from '#api/case-review-starter.ts';
import { caseViewFor } from '#api/case-views.ts';
import type { ApiContext, WorkflowContext } from '#api/dependencies.ts';
import type { Caller } from '#api/http/caller.ts';
import type { Routes } from '#api/http/http-handler.ts';
import { queryParameter } from '#api/http/request.ts';
import { json } from '#api/http/responses.ts';
import { decodeCursor, encodeCursor } from '#api/worklist-cursor.ts';
import { isOverdue } from '#core/deadlines.ts';
import { InvalidInputError, NotAllowedError, NotFoundError, NotSignedInError } from '#core/errors.ts';
import { CASE_STAGES, type CaseStage } from '#core/stages.ts';
import { linkedCases } from '#data/case-links.ts';
import { loadCaseView } from '#data/case-store.ts';
import { recordAudit } from '#data/case-timeline.ts';
import { queryWorklist, type WorklistScope } from '#data/case-worklists.ts';

const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 100;

function worklistScope(caller: Caller): WorklistScope {
  if (caller.kind !== 'staff') throw new NotSignedInError('Sign in to see a worklist.');
  const { role, csp, agency, pccArea } = caller.staff;
  if (role === 'pcc') {
    if (pccArea === undefined) throw new NotAllowedError('Your sign-in does not name a police area.');
    return { kind: 'pcc', pccArea };
  }
  // The token verifier guarantees a CSP for officers and agencies, and an agency for agencies.
  if (csp === undefined) throw new NotAllowedError('Your sign-in does not name a CSP.');
  if (role === 'agency') {
    if (agency === undefined) throw new NotAllowedError('Your sign-in does not name an agency.');
    return { kind: 'agency', csp, agency };
  }
  return { kind: 'csp', csp };
}

function requestedStage(event: APIGatewayProxyEventV2): CaseStage | undefined {
  const stage = queryParameter(event, 'stage');
  if (stage === undefined) return undefined;
  const known = CASE_STAGES.find((candidate) => candidate === stage);
  if (known === undefined) {
    throw new InvalidInputError([{ path: 'stage', message: `Choose a stage: ${CASE_STAGES.join(', ')}` }]);
  }
  return known;
}

function requestedLimit(event: APIGatewayProxyEventV2): number {
  const text = queryParameter(event, 'limit');
  if (text === undefined) return DEFAULT_PAGE_SIZE;
  const limit = Number(text);
  if (!/^\d+$/.test(text) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new InvalidInputError([{ path: 'limit', message: `Ask for 1 to ${MAX_PAGE_SIZE} cases per page` }]);
  }
  return limit;
}

export function caseRoutes(context: ApiContext, workflow: WorkflowContext): Routes {
  const { data, identify, now } = context;
  return {
    'GET /api/cases/{reference}': async (event) => {
      const caller = await identify(event);
      const reference = requestedReference(event);
      const view = await loadCaseView(data, reference);
      if (view === undefined) throw new NotFoundError('There is no case with this reference.');
      const reader = authoriseCaseRead(caller, { case: view.case, accessCodeHash: view.accessCodeHash });
      const at = now();
      let audited = view;
      if (reader.kind === 'staff') {
        const entry = { at: at.toISOString(), actor: actorOf(reader), what: 'read' };
        await recordAudit(data, reference, entry, view.case.expiresAt);
        audited = { ...view, audit: [...view.audit, entry] };
      }
      // A case whose execution could not be started at submission is started by the next look at it.
      if (view.case.stage === 'received') await ensureCaseReviewStarted(workflow, reference);
      const links = reader.kind === 'staff' ? await linkedCases(data, reference) : [];
      return json(200, caseViewFor(reader, audited, links, at));
    },

    'GET /api/cases': async (event) => {
      const scope = worklistScope(await identify(event));
      const stage = requestedStage(event);
      const limit = requestedLimit(event);
      const startKey = decodeCursor(queryParameter(event, 'cursor') ?? queryParameter(event, 'next'));
      const page = await queryWorklist(data, {
        scope,
        ...(stage && { stage }),
        limit,
        ...(startKey && { startKey }),
      });
      const at = now();
      for (const entry of page.cases) {
        if (entry.stage === 'received') await ensureCaseReviewStarted(workflow, entry.reference);
      }
      return json(200, {
        cases: page.cases.map((entry) => ({
          ...entry,
          overdue: entry.nextDeadline !== null && isOverdue(entry.nextDeadline, at),
        })),
        next: encodeCursor(page.lastEvaluatedKey),
      });
    },
  };
}
