// The case operations' context from the environment, as every function that runs them (the API's and
// the pages') builds it once: the tables (CASES_TABLE, STATISTICS_TABLE, IDEMPOTENCY_TABLE), the
// endpoints, the area (AREA_CONFIG_FILE), the state machine (STATE_MACHINE_ARN), the system clock, and
// the function kind's logger and metrics (POWERTOOLS_SERVICE_NAME). The Step Functions client is the
// caller's: the API's built with the function, the pages' loaded on first use.
import type { CaseContext, CaseContextWithoutWorkflow } from '#cases/context.ts';
import { stateMachineArnFrom } from '#clients/state-machine.ts';
import type { StepFunctionsSender } from '#clients/stepfunctions.ts';
import { systemClock } from '#core/clock.ts';
import { dataContextFrom } from '#data/data-context.ts';
import { idempotencyStoreFrom } from '#data/idempotency.ts';
import { areaConfigFromEnv } from '#shared/deployed-area.ts';
import { type FunctionKind, powertools } from '#shared/powertools.ts';

export function caseContextFromEnv(
  kind: Extract<FunctionKind, 'api' | 'web'>,
  stepFunctions: StepFunctionsSender,
  env: NodeJS.ProcessEnv = process.env,
): CaseContext {
  return {
    ...caseContextWithoutWorkflowFromEnv(kind, env),
    workflow: { stepFunctions, stateMachineArn: stateMachineArnFrom(env) },
  };
}

/** caseContextFromEnv without the workflow, for the functions that never reach it. */
export function caseContextWithoutWorkflowFromEnv(
  kind: Extract<FunctionKind, 'api' | 'web'>,
  env: NodeJS.ProcessEnv = process.env,
): CaseContextWithoutWorkflow {
  const { logger, metrics } = powertools(kind);
  return {
    data: dataContextFrom(env),
    area: areaConfigFromEnv(env),
    clock: systemClock,
    idempotencyStore: idempotencyStoreFrom(env),
    logger,
    metrics,
  };
}
