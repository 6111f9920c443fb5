// The reconciler: finds every open case whose Step Functions execution is no longer running (it
// failed, timed out, was aborted, or ended with the case still open), marks the case as needing
// attention and resumes it at the human step it waits in, in a new execution `<reference>-<n>` whose
// input is the reference, that step and its deadline's timeout (no personal data). A decision recorded
// while the case was stranded is then delivered by RegisterTask as any decision recorded early. The
// mark is cleared once a later run finds the resumed execution running. Running it twice starts one
// execution: the second run finds `<reference>-<n>` running. Scheduled daily in AWS (EventBridge
// Scheduler) and run on demand with `npm run reconcile`.

import type { Metrics } from '@aws-lambda-powertools/metrics';
import { type ExecutionStatus, ListExecutionsCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { createStepFunctionsClient, stateMachineArnFrom } from '#clients/stepfunctions.ts';
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
import { executionName, executionNumber, resumeInput } from '#workflow/resume.ts';

export interface ReconcilerDependencies {
  readonly data: DataContext;
  readonly area: AreaConfig;
  readonly stepFunctions: SFNClient;
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
}

const REASONS: Partial<Record<ExecutionStatus, AttentionReason>> = {
  FAILED: 'execution-failed',
  TIMED_OUT: 'execution-timed-out',
  ABORTED: 'execution-aborted',
  SUCCEEDED: 'execution-ended',
};

/** Every execution of the state machine by name, with its status (AWS lists closed ones for 90 days). */
async function executionsByName(deps: ReconcilerDependencies): Promise<Map<string, ExecutionStatus>> {
  const statuses = new Map<string, ExecutionStatus>();
  let nextToken: string | undefined;
  do {
    const page = await deps.stepFunctions.send(
      new ListExecutionsCommand({ stateMachineArn: deps.stateMachineArn, maxResults: 1000, nextToken }),
    );
    for (const execution of page.executions ?? []) {
      if (execution.name !== undefined && execution.status !== undefined) {
        statuses.set(execution.name, execution.status);
      }
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return statuses;
}

/**
 * The case's latest execution (the highest n listed) and its status; undefined when none is listed. An
 * earlier execution may have aged out of the list, so the numbers are not assumed to be contiguous.
 */
function latestExecution(
  executions: ReadonlyMap<string, ExecutionStatus>,
  reference: string,
): { readonly n: number; readonly status: ExecutionStatus } | undefined {
  let latest: { n: number; status: ExecutionStatus } | undefined;
  for (const [name, status] of executions) {
    const n = executionNumber(reference, name);
    if (n !== undefined && (latest === undefined || n > latest.n)) latest = { n, status };
  }
  return latest;
}

async function reconcileCase(
  deps: ReconcilerDependencies,
  executions: ReadonlyMap<string, ExecutionStatus>,
  record: CaseRecord,
): Promise<{ outcome: 'running' | 'cleared' | 'started' } | { outcome: 'resumed'; execution: string }> {
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
      resumeInput(record, now),
    );
    // 'exists': the request path started it a moment ago.
    return { outcome: started === 'started' ? 'started' : 'running' };
  }
  if (latest.status === 'RUNNING' || latest.status === 'PENDING_REDRIVE') {
    if (record.needsAttention === null) return { outcome: 'running' };
    return { outcome: (await clearNeedsAttention(deps.data, reference)) ? 'cleared' : 'running' };
  }
  const execution = executionName(reference, latest.n + 1);
  // The state machine's catch-all marked it as it failed (and counted it): this run resumes it.
  const unresumed = record.needsAttention?.resumedBy === undefined ? record.needsAttention : null;
  const marked = await markNeedsAttention(deps.data, reference, {
    since: unresumed?.since ?? now.toISOString(),
    reason: REASONS[latest.status] ?? 'execution-failed',
    resumedBy: execution,
  });
  // Closed in the meantime: nothing to resume.
  if (!marked) return { outcome: 'running' };
  if (unresumed === null) countCaseNeedingAttention(deps.metrics);
  // 'exists': a concurrent run started it a moment ago.
  await startExecution(deps.stepFunctions, deps.stateMachineArn, execution, resumeInput(record, now));
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
  let checked = 0;
  const now = deps.clock();
  const closedSince = new Date(now.getTime() - CLOSED_WITHIN_MILLIS).toISOString();
  const executions = await executionsByName(deps);
  for (const csp of deps.area.csps) {
    for (const summary of await cspCases(deps.data, csp.id, closedSince)) {
      // The index may lag: the case item itself says whether it is open.
      const record = await getCase(deps.data, summary.reference, { consistent: true });
      if (record === undefined) continue;
      if (record.stage === 'closed') {
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
    }
  }
  return { checked, resumed, started, cleared, retained };
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
