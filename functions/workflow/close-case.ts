// CloseCase: the case ends, because its referral window ended, it was withdrawn, or a decision already
// closed it (the PCC's office let the outcome stand, or the plan's last action finished). Sets the
// retention time on all of the case's data and tells the applicant (how the plan's actions ended, and
// their contact), and, for a withdrawal, the officer.
// Once they are told, a mark that the case needs attention (a step of it failed, this one perhaps, since
// resumed) is removed. When the referral window ends with an action of the plan open, the case stays
// open and the state machine waits for its actions instead (the timeout returned). An execution of the
// previous release's definition has no such wait: it goes from here to its end state, which reads
// `closure` (null: still open), so it ends, and the reconciler resumes the case in the actions' wait.

import { planTally } from '#core/action-plan.ts';
import { requireCsp } from '#core/area-config.ts';
import { letterContact } from '#core/case-review.ts';
import { planOf } from '#core/case-review-state.ts';
import { clearNeedsAttention } from '#data/case-attention.ts';
import { closeCase } from '#data/case-closure.ts';
import { readReview } from '#data/case-review-records.ts';
import { getApplicant } from '#data/case-store.ts';
import { CaseNotFoundError, WorkflowStateError } from '#data/errors.ts';
import { applicantRecipient, staffRecipient } from '#shared/recipients.ts';
import type { WorkflowDependencies } from '#workflow/dependencies.ts';
import { actionsWait, stringFields, workflowHandler, workflowStep } from '#workflow/workflow-step.ts';

const CLOSING_STEPS = ['referral-window-ended', 'withdrawn', 'decided'] as const;

export function createCloseCaseHandler(deps: WorkflowDependencies) {
  return workflowStep(
    (event) => stringFields(event, { reference: 'any', closing: CLOSING_STEPS }),
    async ({ reference, closing }) => {
      const record = await closeCase(deps.data, deps.area, reference, closing, {
        now: deps.clock(),
        retentionYears: deps.retentionYears,
      });
      if (record.stage !== 'closed') {
        return { stage: record.stage, closure: null, ...actionsWait(record, deps.clock()) };
      }
      if (record.closure === null) throw new WorkflowStateError(reference, 'closed without a closure');
      const applicant = await getApplicant(deps.data, reference);
      if (applicant === undefined) throw new CaseNotFoundError(reference);
      const { reason } = record.closure;
      const review = (await readReview(deps.data, reference)).state;
      await deps.notifier.notify({
        to: applicantRecipient(record, applicant),
        template: 'case-closed',
        key: '1',
        facts: {
          reason,
          plan: planTally(planOf(review, record.cycle)),
          contact: letterContact(requireCsp(deps.area, record.csp), review.contact),
        },
      });
      if (reason === 'withdrawn') {
        await deps.notifier.notify({
          to: staffRecipient('officer', record),
          template: 'case-withdrawn',
          key: '1',
          facts: {
            ...(record.withdrawal?.reason !== undefined && { reason: record.withdrawal.reason }),
            fearOfReprisal: record.withdrawal?.fearOfReprisal === true,
          },
        });
      }
      if (record.needsAttention !== null) await clearNeedsAttention(deps.data, reference);
      return { stage: record.stage, closure: reason };
    },
  );
}

export const handler = workflowHandler(createCloseCaseHandler);
