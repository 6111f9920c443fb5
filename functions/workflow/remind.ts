// Remind: a decision's deadline passed while its wait went on. The responsible officer (the PCC's
// office for the PCC's decision) is reminded; from the second reminder on, the officer's manager is
// told it is overdue too. Returns when to remind next, and the wait resumes: a case never stalls
// silently and never dies of a deadline. Each reminder also counts 1 in the OverdueTasks metric, which
// the operators' alarm watches. An officer who has not finalised the plan is told whether the victim
// answered the draft. While the case waits for its plan's actions, each overdue action is
// reminded to its owner agency, and from its second reminder on to the officer too; the next timeout is
// the next reminder or the next action due, whichever comes first. While the case waits for its review,
// each information request not answered by its day is reminded to its agency, and one reminder interval
// later to the officer; the wait for the review times out at whichever comes first of its own deadline
// (or next reminder) and the next request reminder, and is armed again through here when the requests
// change (then its own deadline may not have passed yet, and only what is due is sent). In the referral
// window and while the PCC's office decides, each overdue action is reminded to its owner when its day
// ends and one reminder interval later to its owner and the officer; those waits time out at whichever
// comes first of their own deadline (or next reminder) and the next action reminder, and the referral
// window's end is said (`windowEnded`) for CloseAfterReferralWindow, as it is never reminded of.

import { openActions, type PlanAction } from '#core/action-plan.ts';
import { requireCsp } from '#core/area-config.ts';
import type { CaseRecord } from '#core/case-record.ts';
import { pendingRequestReminders } from '#core/case-review.ts';
import { planOf } from '#core/case-review-state.ts';
import { clockOf } from '#core/case-transitions.ts';
import { REMINDER_INTERVAL_WORKING_DAYS } from '#core/deadlines.ts';
import { endOfUkDay } from '#core/local-date.ts';
import { workingDayDeadline } from '#core/working-days.ts';
import {
  actionRemindersOf,
  recordActionReminders,
  recordActionRemindersSent,
  recordReminder,
  recordRequestReminders,
  requestRemindersOf,
} from '#data/case-reminders.ts';
import { readReview } from '#data/case-review-records.ts';
import { countOverdueTask } from '#shared/metrics.ts';
import type { Notification, ReminderStep } from '#shared/notifier.ts';
import { agencyRecipient, staffRecipient } from '#shared/recipients.ts';
import type { WorkflowDependencies } from '#workflow/dependencies.ts';
import {
  actionsWaitUntil,
  stringFields,
  waitUntil,
  workflowHandler,
  workflowStep,
} from '#workflow/workflow-step.ts';

const REMINDED_STEPS = [
  'threshold-decision',
  'referral',
  'review-outcome',
  'action-plan',
  'pcc-decision',
  'actions-finished',
] as const satisfies readonly (ReminderStep | 'referral' | 'actions-finished')[];

/**
 * An overdue action reminded: to its owner, and after its first reminder to the officer too, each under
 * the id of its own instant (`at`: the timeout of the wait for the actions, or when the reminder fell due
 * before it), so that a retried step sends each once.
 */
async function notifyActionOverdue(
  deps: WorkflowDependencies,
  record: CaseRecord,
  action: PlanAction,
  at: { readonly owner: string; readonly officer: string | null },
) {
  const key = (instant: string) => `${record.cycle}#${action.id}#${instant}`;
  const facts = {
    action: { id: action.id, action: action.action, owner: action.owner, dueBy: action.dueBy },
  };
  await deps.notifier.notify({
    to: agencyRecipient(record, action.owner),
    template: 'action-overdue',
    key: key(at.owner),
    facts: { ...facts, to: 'agency' },
  });
  if (at.officer !== null) {
    await deps.notifier.notify({
      to: staffRecipient('officer', record),
      template: 'action-overdue',
      key: key(at.officer),
      facts: { ...facts, to: 'officer' },
    });
  }
}

/**
 * In the referral window and before the PCC's office: the overdue actions' reminders due now, sent, then
 * recorded (a run that failed in between sends them again under the same ids, which the notifiers send
 * once); returns when the next falls due.
 */
async function remindPlanActions(deps: WorkflowDependencies, reference: string, now: Date) {
  const { case: record, due, next } = await actionRemindersOf(deps.data, reference, now);
  // The officer's under the id of the action's day, as a reminder for a timeout then would have it: the wait
  // for the actions, reminding at once of an action overdue when it begins, does not tell them again.
  for (const { action, at, first } of due) {
    const dayEnded = endOfUkDay(action.dueBy).toISOString();
    await notifyActionOverdue(deps, record, action, { owner: at, officer: first ? null : dayEnded });
  }
  const recorded = await recordActionRemindersSent(deps.data, reference, due, now);
  if (recorded.length > 0) countOverdueTask(deps.metrics);
  return next;
}

async function remindActions(deps: WorkflowDependencies, reference: string, due: string) {
  const now = deps.clock();
  const { case: record, reminders, notBefore } = await recordActionReminders(deps.data, reference, due, now);
  for (const { action, first } of reminders) {
    await notifyActionOverdue(deps, record, action, { owner: due, officer: first ? null : due });
  }
  if (reminders.length > 0) countOverdueTask(deps.metrics);
  const review = (await readReview(deps.data, reference)).state;
  const later = openActions(planOf(review, record.cycle))
    .map((action) => endOfUkDay(action.dueBy).toISOString())
    .filter((end) => Date.parse(end) > now.getTime());
  const next = [
    ...later,
    ...notBefore,
    ...(reminders.length > 0 ? [workingDayDeadline(now, REMINDER_INTERVAL_WORKING_DAYS).toISOString()] : []),
  ].sort()[0];
  return actionsWaitUntil(next ?? now.toISOString(), now);
}

/**
 * The information requests' reminders due now, each to whom it is for, then recorded; returns when the
 * next one falls due. Sent before they are recorded, so that a run that failed in between sends them
 * when it runs again, under the same message ids, which the notifiers send once.
 */
async function remindRequests(deps: WorkflowDependencies, reference: string, now: Date) {
  const { case: record, reminders } = await requestRemindersOf(deps.data, reference);
  const { due, next } = pendingRequestReminders(reminders, record.reminders, now);
  for (const { to, agency, dueBy } of due) {
    await deps.notifier.notify({
      to: to === 'agency' ? agencyRecipient(record, agency) : staffRecipient('officer', record),
      template: 'request-overdue',
      key: `${record.cycle}#${agency}#${dueBy}`,
      facts: { to, agency, dueBy },
    });
  }
  const recorded = await recordRequestReminders(deps.data, reference, due, now);
  if (recorded.length > 0) countOverdueTask(deps.metrics);
  return next;
}

/** The earlier of two instants, the second optional. */
const earlier = (a: string, b: string | null) => (b !== null && b < a ? b : a);

export function createRemindHandler(deps: WorkflowDependencies) {
  return workflowStep(
    (event) => stringFields(event, { reference: 'any', step: REMINDED_STEPS, due: 'any' }),
    async ({ reference, step, due }) => {
      if (step === 'actions-finished') return remindActions(deps, reference, due);
      const now = deps.clock();
      // The referral window ended (its own deadline, never reminded of): CloseAfterReferralWindow is next.
      if (step === 'referral' && Date.parse(due) <= now.getTime()) {
        return { ...waitUntil(due, now), windowEnded: true };
      }
      const sooner =
        step === 'review-outcome'
          ? await remindRequests(deps, reference, now)
          : step === 'referral' || step === 'pcc-decision'
            ? await remindPlanActions(deps, reference, now)
            : null;
      if (step === 'referral') return { ...waitUntil(due, now, earlier(due, sooner)), windowEnded: false };
      // Armed again, or timed out for a request or an action, before the wait's own deadline: nothing
      // more is due.
      if ((step === 'review-outcome' || step === 'pcc-decision') && Date.parse(due) > now.getTime()) {
        return waitUntil(due, now, earlier(due, sooner));
      }
      const { case: record, first, alreadySent } = await recordReminder(deps.data, reference, step, due, now);
      // Counted when the reminder is first recorded, so a retried step does not count it twice.
      if (!alreadySent) countOverdueTask(deps.metrics);
      // The messages name the deadline that was missed, not the previous reminder's.
      const missed = record.deadlines[clockOf(step)] ?? due;
      const nextReminder = workingDayDeadline(now, REMINDER_INTERVAL_WORKING_DAYS).toISOString();
      const responsible = staffRecipient(step === 'pcc-decision' ? 'pcc' : 'officer', record);
      const key = `${record.cycle}#${due}`;
      // The final plan's reminder says whether the victim answered the draft it is waiting on.
      const plan =
        step === 'action-plan' ? planOf((await readReview(deps.data, reference)).state, record.cycle) : null;
      const answered = plan === null ? {} : { answered: plan.response !== null };
      const notifications: Notification[] = [
        {
          to: responsible,
          template: 'decision-reminder',
          key,
          facts: { step, due: missed, nextReminder, ...answered },
        },
      ];
      if (!first) {
        notifications.push({
          to: staffRecipient(step === 'pcc-decision' ? 'pcc' : 'manager', record),
          template: 'overdue-escalation',
          key,
          facts: { step, due: missed, cspName: requireCsp(deps.area, record.csp).name },
        });
      }
      for (const notification of notifications) await deps.notifier.notify(notification);
      return waitUntil(nextReminder, now, earlier(nextReminder, sooner));
    },
  );
}

export const handler = workflowHandler(createRemindHandler);
