// How a case's review goes on in another execution: its name, and the input that enters the wait the
// case is in. Used by the reconciler (a case whose execution stopped) and by HandOver (a long case
// passed on before AWS's one-year limit), so both resume a case the same way.
import type { CaseRecord, WaitStep } from '#core/case-record.ts';
import { clockOf } from '#core/case-transitions.ts';
import { firstReminderAt, REMINDER_INTERVAL_WORKING_DAYS } from '#core/deadlines.ts';
import type { CaseStage } from '#core/stages.ts';
import { workingDayDeadline } from '#core/working-days.ts';
import { WorkflowStateError } from '#data/errors.ts';
import { actionsWait, actionsWaitUntil, waitUntil } from '#workflow/workflow-step.ts';

/** The name of a case's `n`th execution: the reference, then `<reference>-2`, `-3`, … */
export function executionName(reference: string, n: number): string {
  return n === 1 ? reference : `${reference}-${n}`;
}

/** Which execution of `reference` `name` is (1 for the reference itself), or undefined if none. */
export function executionNumber(reference: string, name: string): number | undefined {
  if (name === reference) return 1;
  if (!name.startsWith(`${reference}-`)) return undefined;
  const suffix = name.slice(reference.length + 1);
  return /^[1-9][0-9]*$/.test(suffix) ? Number(suffix) : undefined;
}

const STAGE_WAITS: Readonly<Record<CaseStage, WaitStep | null>> = {
  // Not yet assessed: a new execution starts at AssessThreshold.
  received: null,
  'awaiting-threshold-decision': 'threshold-decision',
  'threshold-not-met': 'referral',
  'awaiting-review': 'review-outcome',
  'action-plan-consultation': 'action-plan',
  'review-complete': 'referral',
  'awaiting-pcc-decision': 'pcc-decision',
  closed: null,
};

/**
 * The wait a case is in. Read from its stage (and, at review-complete, whether it waits for its plan's
 * actions), not from the last wait registered: a step that applied a decision and then stopped has moved
 * the case on to the next wait.
 */
export function waitStepOf(record: Pick<CaseRecord, 'stage' | 'milestones'>): WaitStep | null {
  if (record.stage === 'review-complete' && record.milestones.actionsAwaitedAt !== undefined) {
    return 'actions-finished';
  }
  return STAGE_WAITS[record.stage];
}

/**
 * When the wait for `step` should next time out, as the step before it would have said: its deadline
 * (for a threshold decision entered late, its first reminder), or, once reminders have been sent in
 * this cycle, the next reminder after the latest one, so that going on in another execution neither
 * repeats a reminder nor skips one.
 */
function nextTimeout(record: CaseRecord, step: WaitStep, due: string, now: Date) {
  const prefix = `${step}#${record.cycle}#`;
  const latest = Object.entries(record.reminders)
    .filter(([key]) => key.startsWith(prefix))
    .map(([, sentAt]) => sentAt)
    .sort()
    .at(-1);
  const until = step === 'actions-finished' ? actionsWaitUntil : waitUntil;
  if (latest !== undefined) {
    const next = workingDayDeadline(new Date(latest), REMINDER_INTERVAL_WORKING_DAYS).toISOString();
    return until(next, now);
  }
  if (step === 'threshold-decision') return waitUntil(due, now, firstReminderAt(due, record.recordedAt));
  return until(due, now);
}

/**
 * The input of an execution that goes on with the case: the reference, the wait it is in and that
 * wait's timeout (no personal data); the reference alone for a case not yet assessed, which starts
 * afresh. The wait is the one the case's stage is in, unless the caller knows it (HandOver, about to
 * enter it). The state machine's first Choice (StartOrResume) enters that wait.
 */
export function resumeInput(
  record: CaseRecord,
  now: Date,
  step: WaitStep | null = waitStepOf(record),
): Record<string, string | number> {
  if (step === null) return { reference: record.reference };
  // Every action finished, the case not yet closed: the wait's registration completes it at once.
  if (step === 'actions-finished' && record.deadlines.actions === undefined) {
    return { reference: record.reference, resumeAt: step, ...actionsWait(record, now) };
  }
  const due = record.deadlines[clockOf(step)];
  if (due === undefined) throw new WorkflowStateError(record.reference, `no deadline for the ${step}`);
  return { reference: record.reference, resumeAt: step, ...nextTimeout(record, step, due, now) };
}

/**
 * The input of the execution the reconciler starts for a stopped case: at the step that failed when that
 * step sends letters (NeedsAttention's `redo`: it runs again, each message sent once), else as
 * `resumeInput` at the wait its stage is in.
 */
export function reconcilerInput(record: CaseRecord, now: Date): Record<string, string | number> {
  const redo = record.needsAttention?.redo;
  return redo === undefined ? resumeInput(record, now) : { reference: record.reference, resumeAt: redo };
}

/** The state machine and the name of an execution, from its ARN (`arn:aws:states:…:execution:<machine>:<name>`). */
export function parseExecutionArn(
  arn: string,
): { readonly stateMachineArn: string; readonly name: string } | undefined {
  const match = /^(arn:[^:]+:states:[^:]*:[^:]*):execution:([^:]+):([^:]+)$/.exec(arn);
  if (match === null) return undefined;
  const [, prefix, machine, name] = match as unknown as [string, string, string, string];
  return { stateMachineArn: `${prefix}:stateMachine:${machine}`, name };
}
