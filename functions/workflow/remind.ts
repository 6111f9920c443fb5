// Remind: a decision's deadline passed while its wait went on. The responsible officer (the PCC's
// office for the PCC's decision) is reminded; from the second reminder on, the officer's manager is
// told it is overdue too. Returns when to remind next, and the wait resumes: a case never stalls
// silently and never dies of a deadline. Each reminder also counts 1 in the OverdueTasks metric, which
// the operators' alarm watches.
import { requireCsp } from '#core/area-config.ts';
import { clockOf } from '#core/case-transitions.ts';
import { REMINDER_INTERVAL_WORKING_DAYS } from '#core/deadlines.ts';
import { workingDayDeadline } from '#core/working-days.ts';
import { recordReminder } from '#data/case-reminders.ts';
import { countOverdueTask } from '#shared/metrics.ts';
import type { Notification, ReminderStep } from '#shared/notifier.ts';
import { staffRecipient } from '#shared/recipients.ts';
import type { WorkflowDependencies } from '#workflow/dependencies.ts';
import { stringFields, waitUntil, workflowHandler, workflowStep } from '#workflow/workflow-step.ts';

const REMINDED_STEPS = [
  'threshold-decision',
  'review-outcome',
  'action-plan',
  'pcc-decision',
] as const satisfies readonly ReminderStep[];

export function createRemindHandler(deps: WorkflowDependencies) {
  return workflowStep(
    (event) => stringFields(event, { reference: 'any', step: REMINDED_STEPS, due: 'any' }),
    async ({ reference, step, due }) => {
      const now = deps.clock();
      const { case: record, first, alreadySent } = await recordReminder(deps.data, reference, step, due, now);
      // Counted when the reminder is first recorded, so a retried step does not count it twice.
      if (!alreadySent) countOverdueTask(deps.metrics);
      // The messages name the deadline that was missed, not the previous reminder's.
      const missed = record.deadlines[clockOf(step)] ?? due;
      const nextReminder = workingDayDeadline(now, REMINDER_INTERVAL_WORKING_DAYS).toISOString();
      const responsible = staffRecipient(step === 'pcc-decision' ? 'pcc' : 'officer', record);
      const key = `${record.cycle}#${due}`;
      const notifications: Notification[] = [
        { to: responsible, template: 'decision-reminder', key, facts: { step, due: missed, nextReminder } },
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
      return waitUntil(nextReminder, now);
    },
  );
}

export const handler = workflowHandler(createRemindHandler);
