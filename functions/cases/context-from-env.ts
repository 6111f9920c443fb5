// The case operations' context from the environment, as every function that runs them builds it once:
// the tables (CASES_TABLE, STATISTICS_TABLE, IDEMPOTENCY_TABLE), the endpoints, the area
// (AREA_CONFIG_FILE), the state machine (STATE_MACHINE_ARN) and the system clock.
import type { CaseContext } from '#cases/context.ts';
import { createStepFunctionsClient, stateMachineArnFrom } from '#clients/stepfunctions.ts';
import { systemClock } from '#core/clock.ts';
import { dataContextFrom } from '#data/data-context.ts';
import { idempotencyStoreFrom } from '#data/idempotency.ts';
import { areaConfigFromEnv } from '#shared/deployed-area.ts';

export function caseContextFromEnv(
  powertools: Pick<CaseContext, 'logger' | 'metrics'>,
  env: NodeJS.ProcessEnv = process.env,
): CaseContext {
  return {
    data: dataContextFrom(env),
    area: areaConfigFromEnv(env),
    clock: systemClock,
    workflow: { stepFunctions: createStepFunctionsClient(env), stateMachineArn: stateMachineArnFrom(env) },
    idempotencyStore: idempotencyStoreFrom(env),
    ...powertools,
  };
}
