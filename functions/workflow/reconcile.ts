// The reconciler: finds every open case whose Step Functions execution is no longer running (it
// failed, timed out, was aborted, or ended with the case still open), marks the case as needing
// attention and resumes it at the human step it waits in, in a new execution `<reference>-<n>` whose
// input is the reference, that step and its deadline's timeout (no personal data). A case whose step
// that sends letters failed (NeedsAttention's `redo`, even once closed) resumes at that step instead,
// so that the applicant still hears of the decision or the closure. A decision recorded
// while the case was stranded is then delivered by RegisterTask as any decision recorded early. The
// mark is cleared once a later run finds the resumed execution running. Running it twice starts one
// execution: the second run finds `<reference>-<n>` running. Scheduled daily in AWS (EventBridge
// Scheduler) and run on demand with `npm run reconcile`.

import type { Metrics } from '@aws-lambda-powertools/metrics';
import { type ExecutionStatus, ListExecutionsCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { stateMachineArnFrom, unqualifiedStateMachineArn } from '#clients/state-machine.ts';
import { createStepFunctionsClient } from '#clients/stepfunctions.ts';
import type { AreaConfig } from '#core/area-config.ts';
import type { AttentionReason, CaseRecord } from '#core/case-record.ts';
import { type Clock, systemClock } from '#core/clock.ts';
import { clearNeedsAttention, markNeedsAttention } from '#data/case-attention.ts';
import { closeCase } from '#data/case-closure.ts';
import { getCase } from '#data/case-store.ts';
import { startExecution } from '#data/case-tasks.ts';
import { cspCases } from '#data/case-worklists.ts';
import { type DataContext, dataContextFrom } from '#data/data-context.ts';
import { areaConfigFromEnv } from '#shared/deployed-area.ts';
import { countCaseNeedingAttention } from '#shared/metrics.ts';
import { powertools, powertoolsFrom } from '#shared/powertools.ts';
import { retentionYearsFrom } from '#workflow/dependencies.ts';
import { executionName, executionNumber, reconcilerInput } from '#workflow/resume.ts';

export interface ReconcilerDependencies {
  readonly data: DataContext;
  readonly area: AreaConfig;
  readonly stepFunctions: SFNClient;
  /** Where executions start (the state machine's alias in AWS); they are listed on the state machine. */
  readonly stateMachineArn: string;
  readonly clock: Clock;
  /** CasesNeedingAttention: 1 for each case this run marks that was not marked already. */
  readonly metrics: Metrics;
  /** How long a closed case's data is kept, in years from its closure (CASE_RETENTION_YEARS). */
  readonly retentionYears: number;
}

/** What one run did, by case reference. */
export interface ReconcileReport {
  readonly checked: number;
  /** Stranded cases marked and resumed, each with the execution started for it. */
  readonly resumed: readonly { readonly reference: string; readonly execution: string }[];
  /** Cases whose execution had never started, started now. */
  readonly started: readonly string[];
  /** Cases whose resumed execution was running: their mark was removed. */
  readonly cleared: readonly string[];
  /** Closed cases without a retention date, given theirs. */
  readonly retained: readonly string[];
  /** Cases whose resumed execution failed at once: marked, and resumed 12 hours after that failure. */
  readonly held: readonly string[];
}

const REASONS: Partial<Record<ExecutionStatus, AttentionReason>> = {
  FAILED: 'execution-failed',
  TIMED_OUT: 'execution-timed-out',
  ABORTED: 'execution-aborted',
  SUCCEEDED: 'execution-ended',
};

/** What the reconciler needs of an execution: its status, and when it started and stopped. */
interface ListedExecution {
  readonly status: ExecutionStatus;
  readonly startDate?: Date;
  readonly stopDate?: Date;
}

/** Every execution of the state machine by name (AWS lists closed ones for 90 days). */
async function executionsByName(deps: ReconcilerDependencies): Promise<Map<string, ListedExecution>> {
  const listed = new Map<string, ListedExecution>();
  let nextToken: string | undefined;
  do {
    const page = await deps.stepFunctions.send(
      new ListExecutionsCommand({
        stateMachineArn: unqualifiedStateMachineArn(deps.stateMachineArn),
        maxResults: 1000,
        nextToken,
      }),
    );
    for (const { name, status, startDate, stopDate } of page.executions ?? []) {
      if (name !== undefined && status !== undefined) listed.set(name, { status, startDate, stopDate });
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return listed;
}

/**
 * The case's latest execution (the highest n listed); undefined when none is listed. An earlier
 * execution may have aged out of the list, so the numbers are not assumed to be contiguous.
 */
function latestExecution(
  executions: ReadonlyMap<string, ListedExecution>,
  reference: string,
): (ListedExecution & { readonly n: number }) | undefined {
  let latest: (ListedExecution & { n: number }) | undefined;
  for (const [name, execution] of executions) {
    const n = executionNumber(reference, name);
    if (n !== undefined && (latest === undefined || n > latest.n)) latest = { ...execution, n };
  }
  return latest;
}

const HOUR = 60 * 60 * 1000;

/**
 * A resumed execution that failed within an hour of starting fails on something resuming will not
 * mend (a step's data, a setting), and each failure runs the reconciler at once (the EventBridge rule):
 * resumed straight away, it would fail again in a loop. It is left, marked, until 12 hours after it
 * failed (a daily run, or one on demand once the cause is fixed, resumes it).
 */
function failingOnResume(latest: ListedExecution & { readonly n: number }, now: Date): boolean {
  const { startDate, stopDate } = latest;
  if (latest.n === 1 || latest.status !== 'FAILED' || startDate === undefined || stopDate === undefined) {
    return false;
  }
  return stopDate.getTime() - startDate.getTime() < HOUR && now.getTime() - stopDate.getTime() < 12 * HOUR;
}

async function reconcileCase(
  deps: ReconcilerDependencies,
  executions: ReadonlyMap<string, ListedExecution>,
  record: CaseRecord,
): Promise<
  { outcome: 'running' | 'cleared' | 'started' | 'held' } | { outcome: 'resumed'; execution: string }
> {
  const { reference } = record;
  const now = deps.clock();
  const latest = latestExecution(executions, reference);
  if (latest === undefined) {
    // Never started (StartExecution failed after the submission was stored), or its executions closed
    // so long ago that AWS no longer lists them: the case starts, at its wait if it has one.
    const started = await startExecution(
      deps.stepFunctions,
      deps.stateMachineArn,
      reference,
      reconcilerInput(record, now),
    );
    // 'exists': the request path started it a moment ago.
    return { outcome: started === 'started' ? 'started' : 'running' };
  }
  if (latest.status === 'RUNNING' || latest.status === 'PENDING_REDRIVE') {
    if (record.needsAttention === null) return { outcome: 'running' };
    return { outcome: (await clearNeedsAttention(deps.data, reference)) ? 'cleared' : 'running' };
  }
  // The state machine's catch-all marked it as it failed (and counted it): this run resumes it.
  const unresumed = record.needsAttention?.resumedBy === undefined ? record.needsAttention : null;
  const redo = record.needsAttention?.redo;
  if (failingOnResume(latest, now)) {
    if (unresumed === null) {
      const marked = await markNeedsAttention(deps.data, reference, {
        since: now.toISOString(),
        reason: 'execution-failed',
        ...(redo && { redo }),
      });
      if (marked) countCaseNeedingAttention(deps.metrics);
    }
    return { outcome: 'held' };
  }
  const execution = executionName(reference, latest.n + 1);
  const marked = await markNeedsAttention(deps.data, reference, {
    since: unresumed?.since ?? now.toISOString(),
    reason: REASONS[latest.status] ?? 'execution-failed',
    resumedBy: execution,
    ...(redo && { redo }),
  });
  // Closed in the meantime (with no letters left to send): nothing to resume.
  if (!marked) return { outcome: 'running' };
  if (unresumed === null) countCaseNeedingAttention(deps.metrics);
  // 'exists': a concurrent run started it a moment ago.
  await startExecution(deps.stepFunctions, deps.stateMachineArn, execution, reconcilerInput(record, now));
  return { outcome: 'resumed', execution };
}

/** How far back closed cases are checked for a retention date: as long as AWS lists closed executions. */
const CLOSED_WITHIN_MILLIS = 90 * 24 * 60 * 60 * 1000;

/**
 * Checks every open case of the area once, and gives its retention date to any case closed in the last
 * 90 days without one (the PCC's decision closed it, and its execution stopped before CloseDecided).
 */
export async function reconcileCases(deps: ReconcilerDependencies): Promise<ReconcileReport> {
  const resumed: { reference: string; execution: string }[] = [];
  const started: string[] = [];
  const cleared: string[] = [];
  const retained: string[] = [];
  const held: string[] = [];
  let checked = 0;
  const now = deps.clock();
  const closedSince = new Date(now.getTime() - CLOSED_WITHIN_MILLIS).toISOString();
  const executions = await executionsByName(deps);
  for (const csp of deps.area.csps) {
    for (const summary of await cspCases(deps.data, csp.id, closedSince)) {
      // The index may lag: the case item itself says whether it is open.
      const record = await getCase(deps.data, summary.reference, { consistent: true });
      if (record === undefined) continue;
      // Closed, with the letters of its last step still to send: resumed at that step, as an open case.
      const lettersOwed = record.stage === 'closed' && record.needsAttention?.redo !== undefined;
      if (record.stage === 'closed' && !lettersOwed) {
        if (record.expiresAt !== null) continue;
        await closeCase(deps.data, deps.area, record.reference, 'decided', {
          now,
          retentionYears: deps.retentionYears,
        });
        retained.push(record.reference);
        continue;
      }
      checked += 1;
      const result = await reconcileCase(deps, executions, record);
      if (result.outcome === 'resumed')
        resumed.push({ reference: record.reference, execution: result.execution });
      if (result.outcome === 'started') started.push(record.reference);
      if (result.outcome === 'cleared') cleared.push(record.reference);
      if (result.outcome === 'held') held.push(record.reference);
    }
  }
  return { checked, resumed, started, cleared, retained, held };
}

type Env = Readonly<Record<string, string | undefined>>;

/** From the environment: the tables, the area (AREA_CONFIG_FILE), STATE_MACHINE_ARN and the endpoints. */
export function reconcilerDependenciesFromEnv(env: Env = process.env): ReconcilerDependencies {
  return {
    data: dataContextFrom(env),
    area: areaConfigFromEnv(env),
    stepFunctions: createStepFunctionsClient(env),
    stateMachineArn: stateMachineArnFrom(env),
    clock: systemClock,
    metrics: powertoolsFrom('workflow', env).metrics,
    retentionYears: retentionYearsFrom(env),
  };
}

let fromEnv: ReconcilerDependencies | undefined;

/** The scheduled run (EventBridge Scheduler, daily): what it did is logged by reference only. */
export async function handler(): Promise<ReconcileReport> {
  fromEnv ??= reconcilerDependenciesFromEnv();
  const report = await reconcileCases(fromEnv);
  powertools('workflow').logger.info('Reconciled the open cases', { ...report });
  return report;
}
