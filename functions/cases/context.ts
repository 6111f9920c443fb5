// What the case operations work with, built once per function instance by its bootstrap (or by a test):
// the case data, the area, the clock, the workflow, the idempotency records, and the logger and metrics
// of the function they run in; the notifier too for the functions that send messages themselves.
// Nothing here knows which door a request came through.
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { StepFunctionsSender } from '#clients/stepfunctions.ts';
import type { AreaConfig } from '#core/area-config.ts';
import type { Clock } from '#core/clock.ts';
import type { DataContext } from '#data/data-context.ts';
import type { SubmissionRecords } from '#data/idempotency.ts';
import type { Notifier } from '#shared/notifier.ts';

/** The state machine that runs each case, and the client that starts it and hands it decisions. */
export interface WorkflowClient {
  readonly stepFunctions: StepFunctionsSender;
  readonly stateMachineArn: string;
}

export interface CaseContext {
  readonly data: DataContext;
  /** The police area the service runs for, with its CSPs. */
  readonly area: AreaConfig;
  readonly clock: Clock;
  readonly workflow: WorkflowClient;
  /** The records of submissions made with an idempotency key. */
  readonly idempotencyStore: SubmissionRecords;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

/**
 * The context of a function none of whose operations starts a case's workflow or hands it a decision
 * (links, evidence, statistics): without the Step Functions client, so its bundle leaves that client out.
 */
export type CaseContextWithoutWorkflow = Omit<CaseContext, 'workflow'>;

/**
 * For the operations that send what only a request has, the access code: a submission's acknowledgement
 * and a new code. Only their functions carry a notifier (and its client, bundled apart).
 */
export interface NotifyingCaseContext extends CaseContext {
  readonly notifier: Notifier;
}
