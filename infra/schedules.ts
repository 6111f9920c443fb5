// The service's schedules, as the stack gives them to EventBridge Scheduler (infra/stacks/stateless-stack.ts)
// and `npm start` runs them on one machine (infra/local/schedules.ts): one definition, so a job cannot run
// at another time here than in AWS. `npm run start:deployed` reads the same from the template.
import { EVIDENCE_RETENTION_FUNCTION, type FunctionSpec, RECONCILER_FUNCTION } from '#infra/functions.ts';

export interface ServiceSchedule {
  /** The schedule's logical id in the stack, and its name on one machine. */
  readonly id: string;
  readonly description: string;
  readonly expression: string;
  readonly timeZone: string;
  readonly target: FunctionSpec;
  readonly maximumRetryAttempts: number;
}

export const DAILY_RECONCILIATION: ServiceSchedule = {
  id: 'DailyReconciliation',
  description: 'Resumes every open case whose workflow execution is not running',
  expression: 'cron(0 6 * * ? *)',
  timeZone: 'Europe/London',
  target: RECONCILER_FUNCTION,
  maximumRetryAttempts: 2,
};

export const DAILY_EVIDENCE_RETENTION: ServiceSchedule = {
  id: 'DailyEvidenceRetention',
  description: 'Deletes every version of the files of each case whose retention has ended',
  expression: 'cron(0 3 * * ? *)',
  timeZone: 'Europe/London',
  target: EVIDENCE_RETENTION_FUNCTION,
  maximumRetryAttempts: 2,
};

export const SERVICE_SCHEDULES: readonly ServiceSchedule[] = [DAILY_RECONCILIATION, DAILY_EVIDENCE_RETENTION];
