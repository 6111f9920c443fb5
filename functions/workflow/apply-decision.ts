// ApplyDecision: a wait has received its decision; apply it to the case (stage, facts, deadlines,
// counts, timeline) and tell the people concerned, the applicant with reasons, the deadline, the
// escalation route and their contact. Returns stage facts only, and the next wait's timeout.

import { type ActionPlan, planOwners, planTally } from '#core/action-plan.ts';
import { requireCsp } from '#core/area-config.ts';
import type { CaseRecord } from '#core/case-record.ts';
import { WAIT_STEPS } from '#core/case-record.ts';
import { letterContact } from '#core/case-review.ts';
import { planOf } from '#core/case-review-state.ts';
import { applyDecision, finishPlan } from '#data/case-decisions.ts';
import { readReview } from '#data/case-review-records.ts';
import { getApplicant } from '#data/case-store.ts';
import { CaseNotFoundError, WorkflowStateError } from '#data/errors.ts';
import type { Notification } from '#shared/notifier.ts';
import { agencyRecipient, applicantRecipient, staffRecipient } from '#shared/recipients.ts';
import type { WorkflowDependencies } from '#workflow/dependencies.ts';
import {
  actionsWait,
  stringFields,
  waitUntil,
  workflowHandler,
  workflowStep,
} from '#workflow/workflow-step.ts';

/** What the state machine learns: where the case went, and when its next wait times out. */
export interface DecisionFacts {
  readonly stage: string;
  readonly met?: boolean;
  readonly recommendations?: boolean;
  readonly outcome?: 'review-stands' | 'refer-back';
  readonly timeoutSeconds?: number;
  readonly due?: string;
}

/**
 * The plan's last open action finished: the case closes (CloseDecided then tells the applicant and sets
 * the retention), or, when a note opened an action again meanwhile, goes on waiting.
 */
async function finishedActions(deps: WorkflowDependencies, reference: string): Promise<DecisionFacts> {
  const now = deps.clock();
  const { case: record, closed } = await finishPlan(deps.data, deps.area, reference, now);
  return closed ? { stage: record.stage } : { stage: record.stage, ...actionsWait(record, now) };
}

/** Each owner agency of a final plan is sent its own actions, at its mailbox (a draft tells nobody yet). */
function ownersTold(
  record: CaseRecord,
  plan: ActionPlan | null,
  key: string,
  cspName: string,
): Notification[] {
  if (plan === null || plan.status !== 'final') return [];
  return planOwners(plan).map((agency) => ({
    to: agencyRecipient(record, agency),
    template: 'actions-assigned',
    key,
    facts: {
      cspName,
      actions: plan.actions
        .filter((each) => each.owner === agency)
        .map(({ id, action, owner, dueBy }) => ({ id, action, owner, dueBy })),
    },
  }));
}

export function createApplyDecisionHandler(deps: WorkflowDependencies) {
  return workflowStep(
    (event) => stringFields(event, { reference: 'any', step: WAIT_STEPS }),
    async ({ reference, step }): Promise<DecisionFacts> => {
      if (step === 'actions-finished') return finishedActions(deps, reference);
      const { case: record, action } = await applyDecision(
        deps.data,
        deps.area,
        reference,
        step,
        deps.clock(),
      );
      const applicant = await getApplicant(deps.data, reference);
      if (applicant === undefined) throw new CaseNotFoundError(reference);
      const csp = requireCsp(deps.area, record.csp);
      const cspName = csp.name;
      const applicantTo = applicantRecipient(record, applicant);
      const review = (await readReview(deps.data, reference)).state;
      const contact = letterContact(csp, review.contact);
      const key = String(action.cycle);
      const next = record.nextDeadline;
      const requireNext = (): string => {
        if (next === null) throw new WorkflowStateError(reference, `no deadline after the ${step}`);
        return next;
      };
      const notifications: Notification[] = [];
      let facts: DecisionFacts;
      switch (action.kind) {
        case 'threshold-decision': {
          const { body } = action;
          const due = requireNext();
          notifications.push(
            body.met
              ? {
                  to: applicantTo,
                  template: 'threshold-met',
                  key,
                  facts: { route: body.route, reason: body.reason, reviewDue: due, cspName, contact },
                }
              : {
                  to: applicantTo,
                  template: 'threshold-not-met',
                  key,
                  facts: { reason: body.reason, referralDeadline: due, cspName, contact },
                },
          );
          facts = { stage: record.stage, met: body.met, ...waitUntil(due, deps.clock()) };
          break;
        }
        case 'review-outcome': {
          const { body } = action;
          const due = requireNext();
          const plan = planOf(review, action.cycle);
          notifications.push(
            plan?.status === 'draft' && plan.respondBy !== null
              ? {
                  to: applicantTo,
                  template: 'draft-action-plan',
                  key,
                  facts: {
                    outcome: { heldOn: body.heldOn, summary: body.summary, findings: body.findings },
                    actions: body.recommendations,
                    respondBy: plan.respondBy,
                    contact,
                  },
                }
              : {
                  to: applicantTo,
                  template: 'review-outcome',
                  key,
                  facts: {
                    heldOn: body.heldOn,
                    summary: body.summary,
                    ...(body.findings !== undefined && { findings: body.findings }),
                    recommendations: body.recommendations,
                    referralDeadline: due,
                    cspName,
                    contact,
                  },
                },
          );
          notifications.push(...ownersTold(record, plan, key, cspName));
          facts = {
            stage: record.stage,
            recommendations: body.recommendations.length > 0,
            ...waitUntil(due, deps.clock()),
          };
          break;
        }
        case 'action-plan': {
          const due = requireNext();
          notifications.push(...ownersTold(record, planOf(review, action.cycle), key, cspName));
          notifications.push({
            to: applicantTo,
            template: 'final-action-plan',
            key,
            facts: {
              actions: action.body.recommendations,
              changes: action.body.changes,
              referralDeadline: due,
              contact,
            },
          });
          facts = { stage: record.stage, ...waitUntil(due, deps.clock()) };
          break;
        }
        case 'referral': {
          const due = requireNext();
          notifications.push(
            {
              to: applicantTo,
              template: 'referral-received',
              key,
              facts: { pccDecisionDue: due, contact },
            },
            {
              to: staffRecipient('pcc', record),
              template: 'new-referral',
              key,
              facts: { cspName, pccDecisionDue: due },
            },
          );
          facts = { stage: record.stage, ...waitUntil(due, deps.clock()) };
          break;
        }
        case 'pcc-decision': {
          const { outcome, reason } = action.body;
          const plan = planTally(planOf(review, action.cycle));
          if (outcome === 'refer-back') {
            const due = requireNext();
            notifications.push(
              {
                to: applicantTo,
                template: 'pcc-decision',
                key,
                facts: { outcome, reason, reviewDue: due, plan, contact },
              },
              {
                to: staffRecipient('officer', record),
                template: 'referred-back',
                key,
                facts: { reviewDue: due, reason },
              },
            );
            facts = { stage: record.stage, outcome, ...waitUntil(due, deps.clock()) };
          } else {
            notifications.push({
              to: applicantTo,
              template: 'pcc-decision',
              key,
              facts: { outcome, reason, plan, contact },
            });
            // With an action of the plan open, the case waits for its actions before it closes.
            facts =
              record.stage === 'closed'
                ? { stage: record.stage, outcome }
                : { stage: record.stage, outcome, ...actionsWait(record, deps.clock()) };
          }
          break;
        }
        case 'withdraw':
          throw new WorkflowStateError(reference, 'a withdrawal is applied by CloseCase');
      }
      for (const notification of notifications) await deps.notifier.notify(notification);
      return facts;
    },
  );
}

export const handler = workflowHandler(createApplyDecisionHandler);
