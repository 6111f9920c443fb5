// What the workflow's Lambda functions work with, built once per function instance from the
// environment, or passed in by tests (a fake clock, an outbox in a temporary directory).
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { InvalidSettingError } from '#clients/environment.ts';
import { stateMachineAliasFrom } from '#clients/state-machine.ts';
import { createStepFunctionsClient } from '#clients/stepfunctions.ts';
import type { AreaConfig } from '#core/area-config.ts';
import { type Clock, systemClock } from '#core/clock.ts';
import { stepFunctionsCallbacks, type TaskCallbacks } from '#data/case-tasks.ts';
import { type DataContext, dataContextFrom } from '#data/data-context.ts';
import { areaConfigFromEnv } from '#shared/deployed-area.ts';
import type { Notifier } from '#shared/notifier.ts';
import { notifierFromEnv } from '#shared/notifier-from-env.ts';
import { powertoolsFrom } from '#shared/powertools.ts';

export interface WorkflowDependencies {
  readonly data: DataContext;
  readonly area: AreaConfig;
  readonly notifier: Notifier;
  readonly callbacks: TaskCallbacks;
  /** Step Functions itself: HandOver starts the execution that goes on with a long case. */
  readonly stepFunctions: SFNClient;
  /**
   * The state machine's alias HandOver starts that execution on (STATE_MACHINE_ALIAS), so that it runs
   * the release deployed then; on the state machine itself when undefined. The alias's name, not its
   * ARN: the state machine names this function, so this function cannot name the state machine.
   */
  readonly stateMachineAlias?: string;
  readonly clock: Clock;
  /** The service's structured logs: references, steps and error kinds, never a case's details. */
  readonly logger: Logger;
  /** The service's CloudWatch metrics (EMF on standard output), such as OverdueTasks. */
  readonly metrics: Metrics;
  /** How long a closed case's data is kept, in years from its closure. */
  readonly retentionYears: number;
}

export const DEFAULT_RETENTION_YEARS = 6;

type Env = Readonly<Record<string, string | undefined>>;

/** CASE_RETENTION_YEARS, else DEFAULT_RETENTION_YEARS. */
export function retentionYearsFrom(env: Env): number {
  const raw = env.CASE_RETENTION_YEARS;
  if (raw === undefined || raw === '') return DEFAULT_RETENTION_YEARS;
  const years = Number(raw);
  if (!Number.isInteger(years) || years < 1 || years > 100) {
    throw new InvalidSettingError('CASE_RETENTION_YEARS', 'a whole number of years from 1 to 100');
  }
  return years;
}

/**
 * From the environment: the tables (CASES_TABLE, STATISTICS_TABLE), the endpoints, the area
 * (AREA_CONFIG_FILE, else Merseyside), the notifier (NOTIFIER: the outbox under DATA_DIR locally), the
 * logger and metrics (POWERTOOLS_SERVICE_NAME as their `service`), STATE_MACHINE_ALIAS and
 * CASE_RETENTION_YEARS.
 */
export function dependenciesFromEnv(env: Env = process.env): WorkflowDependencies {
  const stepFunctions = createStepFunctionsClient(env);
  const stateMachineAlias = stateMachineAliasFrom(env);
  const { logger, metrics } = powertoolsFrom('workflow', env);
  return {
    data: dataContextFrom(env),
    area: areaConfigFromEnv(env),
    notifier: notifierFromEnv(env, systemClock),
    callbacks: stepFunctionsCallbacks(stepFunctions),
    stepFunctions,
    ...(stateMachineAlias && { stateMachineAlias }),
    clock: systemClock,
    logger,
    metrics,
    retentionYears: retentionYearsFrom(env),
  };
}

let fromEnv: WorkflowDependencies | undefined;

/** The dependencies from the environment, built on first use (so importing a handler needs no settings). */
export function defaultDependencies(): WorkflowDependencies {
  fromEnv ??= dependenciesFromEnv();
  return fromEnv;
}
