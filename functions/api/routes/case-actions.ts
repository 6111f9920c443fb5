// The six actions of contract.md, "Actions": POST /api/cases/{reference}/<action>. Each is recorded in
// one conditional transaction (so concurrent duplicates have one effect), then handed to the case's
// waiting workflow, which moves the stage.
import { setTimeout as sleep } from 'node:timers/promises';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type * as z from 'zod';
import { authoriseCaseAction, type CaseAccessFacts } from '#api/authorisation.ts';
import { requestedReference } from '#api/case-path.ts';
import type { ApiContext, WorkflowContext } from '#api/dependencies.ts';
import type { Caller } from '#api/http/caller.ts';
import type { RouteHandler, Routes } from '#api/http/http-handler.ts';
import { logger, metrics } from '#api/http/powertools.ts';
import { readJsonBody } from '#api/http/request-body.ts';
import { json } from '#api/http/responses.ts';
import { parseInput } from '#api/http/validation.ts';
import type { DecisionBody } from '#core/case-record.ts';
import { ConflictError, InvalidInputError, NotAllowedError, NotFoundError } from '#core/errors.ts';
import {
  agencyResponseSchema,
  pccDecisionSchema,
  referralSchema,
  reviewOutcomeSchema,
  thresholdDecisionSchema,
  withdrawSchema,
} from '#core/schemas.ts';
import { type CaseAction, type CaseStage, nextStage, type StageEvent } from '#core/stages.ts';
import { type ActionResult, recordAction, recordAgencyResponse } from '#data/case-decisions.ts';
import { getCaseForAccess } from '#data/case-store.ts';
import { type Delivery, deliverPendingAction, stepFunctionsCallbacks } from '#data/case-tasks.ts';
import type { DataContext } from '#data/clients.ts';

const REDELIVERY_PAUSES_MS = [200, 500, 1000];

const DOING: Readonly<Record<CaseAction, string>> = {
  'threshold-decision': 'record the threshold decision',
  'agency-responses': 'add an agency response',
  'review-outcome': 'record the review outcome',
  referral: "ask for a review by the PCC's office",
  'pcc-decision': "record the PCC's decision",
  withdraw: 'withdraw the application',
};

const DECISION: Readonly<Record<CaseAction, string>> = {
  'threshold-decision': 'threshold decision',
  'agency-responses': 'response from this agency',
  'review-outcome': 'review outcome',
  referral: 'request for a PCC review',
  'pcc-decision': 'PCC decision',
  withdraw: 'withdrawal',
};

async function accessFacts(data: DataContext, reference: string): Promise<CaseAccessFacts> {
  const found = await getCaseForAccess(data, reference);
  if (found === undefined) throw new NotFoundError('There is no case with this reference.');
  return found;
}

/** The 409s: the case is not where the action can happen, or this step already has another answer. */
function conflict(action: CaseAction, result: ActionResult): ConflictError {
  return result.outcome === 'different'
    ? new ConflictError(
        `A different ${DECISION[action]} has already been recorded for this case, so this one was not. The case's stage is ${result.stage}.`,
        result.stage,
      )
    : new ConflictError(
        `You cannot ${DOING[action]} while the case's stage is ${result.stage}.`,
        result.stage,
      );
}

/** The stage a decision moves the case to, which the response shows before the workflow gets there. */
function stageAfter(decision: DecisionBody, stage: CaseStage): CaseStage {
  const event: StageEvent =
    decision.kind === 'threshold-decision'
      ? { type: 'threshold-decision', met: decision.body.met }
      : decision.kind === 'pcc-decision'
        ? { type: 'pcc-decision', outcome: decision.body.outcome }
        : { type: decision.kind };
  return nextStage(stage, event).stage;
}

interface ActionRequest {
  readonly caller: Caller;
  readonly reference: string;
  readonly body: unknown;
  readonly facts: CaseAccessFacts;
}

export function caseActionRoutes(context: ApiContext, workflow: WorkflowContext): Routes {
  const { data, identify, now } = context;
  const callbacks = stepFunctionsCallbacks(workflow.stepFunctions);

  /**
   * Hands the recorded decision to the waiting workflow. Between a wait's timeout and its next wait the
   * case has no open token; the next wait's RegisterTask delivers the decision itself, and a few later
   * tries here cover the moment in between as well.
   */
  const deliver = async (reference: string): Promise<Delivery> => {
    let delivery = await deliverPendingAction(data, callbacks, reference);
    for (const pause of REDELIVERY_PAUSES_MS) {
      if (delivery !== 'left-to-workflow') break;
      await sleep(pause);
      delivery = await deliverPendingAction(data, callbacks, reference);
    }
    return delivery;
  };

  /** Identify, read the body, find the case: the steps every action shares, in the order errors are told. */
  const prepare = async (event: APIGatewayProxyEventV2): Promise<ActionRequest> => {
    const caller = await identify(event);
    const body = readJsonBody(event);
    const reference = requestedReference(event);
    return { caller, reference, body, facts: await accessFacts(data, reference) };
  };

  const decisionRoute =
    <S extends z.ZodType>(
      action: DecisionBody['kind'],
      schema: (at: Date) => S,
      decide: (body: z.output<S>) => DecisionBody,
    ): RouteHandler =>
    async (event) => {
      const { caller, reference, body, facts } = await prepare(event);
      const actor = authoriseCaseAction(action, caller, facts);
      const at = now();
      const decision = decide(parseInput(schema(at), body));
      const result = await recordAction(data, reference, decision, actor, at);
      if (result.outcome === 'invalid') throw new InvalidInputError(result.issues);
      if (result.outcome === 'different' || result.outcome === 'wrong-stage') throw conflict(action, result);
      // A repeat is delivered too: the first request may have stopped between recording and delivering.
      const delivery = await deliver(reference);
      if (delivery !== 'delivered') {
        logger.info('Decision left for the workflow to deliver', { reference, action, delivery });
      }
      const changed = result.outcome === 'recorded';
      if (changed) metrics.addMetric('DecisionsRecorded', MetricUnit.Count, 1);
      return json(200, {
        reference,
        action,
        changed,
        stage: changed ? stageAfter(decision, result.stage) : result.stage,
      });
    };

  return {
    'POST /api/cases/{reference}/threshold-decision': decisionRoute(
      'threshold-decision',
      () => thresholdDecisionSchema,
      (body) => ({ kind: 'threshold-decision', body }),
    ),
    'POST /api/cases/{reference}/review-outcome': decisionRoute(
      'review-outcome',
      (at) => reviewOutcomeSchema({ now: at }),
      (body) => ({ kind: 'review-outcome', body }),
    ),
    'POST /api/cases/{reference}/referral': decisionRoute(
      'referral',
      () => referralSchema,
      (body) => ({ kind: 'referral', body }),
    ),
    'POST /api/cases/{reference}/pcc-decision': decisionRoute(
      'pcc-decision',
      () => pccDecisionSchema,
      (body) => ({ kind: 'pcc-decision', body }),
    ),
    'POST /api/cases/{reference}/withdraw': decisionRoute(
      'withdraw',
      () => withdrawSchema,
      (body) => ({ kind: 'withdraw', body }),
    ),

    'POST /api/cases/{reference}/agency-responses': async (event) => {
      const { caller, reference, body, facts } = await prepare(event);
      const actor = authoriseCaseAction('agency-responses', caller, facts);
      const response = parseInput(agencyResponseSchema, body);
      if (actor.role === 'agency' && actor.agency !== response.agency) {
        throw new NotAllowedError('You can only send the response of your own agency.');
      }
      const result = await recordAgencyResponse(data, reference, response, actor, now());
      if (result.outcome === 'different' || result.outcome === 'wrong-stage') {
        throw conflict('agency-responses', result);
      }
      return json(200, {
        reference,
        action: 'agency-responses',
        changed: result.outcome === 'recorded',
        stage: result.stage,
      });
    },
  };
}
