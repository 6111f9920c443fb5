// Every time-driven event of an execution is an absolute time kept in its record: the Wait or
// back-off timer, the task's TimeoutSeconds and HeartbeatSeconds, and the execution's end (its own
// TimeoutSeconds, and never later than AWS's maximum duration). The store indexes the earliest of
// them; the runtime asks which one fell due.

import type { ExecutionRecord, Signal } from './model.ts';
import { MAX_EXECUTION_MILLIS } from './quotas.ts';

interface Deadline {
  at: number;
  signal: Signal;
}

function deadlines(record: ExecutionRecord): Deadline[] {
  if (record.status !== 'RUNNING') return [];
  const found: Deadline[] = [];
  // The execution's timeout comes first on a tie: it ends everything the others would resume.
  const longest = Date.parse(record.startDate) + MAX_EXECUTION_MILLIS;
  const timeout = record.timeoutAt === undefined ? longest : Date.parse(record.timeoutAt);
  found.push({ at: Math.min(timeout, longest), signal: { type: 'execution-timed-out' } });
  const pending = record.pending;
  if (pending?.kind === 'timer') {
    found.push({ at: Date.parse(pending.dueAt), signal: { type: 'timer-fired', pendingId: pending.id } });
  }
  if ((pending?.kind === 'invoke' || pending?.kind === 'callback') && pending.timeoutAt) {
    found.push({
      at: Date.parse(pending.timeoutAt),
      signal: { type: 'task-timed-out', pendingId: pending.id, error: 'States.Timeout' },
    });
  }
  if (pending?.kind === 'callback' && pending.heartbeatAt) {
    found.push({
      at: Date.parse(pending.heartbeatAt),
      signal: { type: 'task-timed-out', pendingId: pending.id, error: 'States.HeartbeatTimeout' },
    });
  }
  return found;
}

/** The earliest absolute time at which something happens to this execution without outside help. */
export function nextDeadline(record: ExecutionRecord): Date | undefined {
  let earliest: number | undefined;
  for (const { at } of deadlines(record)) if (earliest === undefined || at < earliest) earliest = at;
  return earliest === undefined ? undefined : new Date(earliest);
}

/** The signal for the earliest deadline that has passed at `now`, if any has. */
export function dueSignal(record: ExecutionRecord, now: Date): Signal | undefined {
  let due: Deadline | undefined;
  for (const deadline of deadlines(record)) {
    if (deadline.at <= now.getTime() && (due === undefined || deadline.at < due.at)) due = deadline;
  }
  return due?.signal;
}
