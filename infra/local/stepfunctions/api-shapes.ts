// The Step Functions API as the runtime takes and answers it (timestamps as ISO text; the protocol
// server turns them into epoch seconds), and the checks AWS makes on its members.

import { ValidationException } from './errors.ts';
import type { ExecutionStatus, HistoryEvent } from './model.ts';
import type { ExecutionSummary } from './store.ts';

export const STATUSES: readonly ExecutionStatus[] = [
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
  'TIMED_OUT',
  'ABORTED',
];
const DEFAULT_PAGE = 100;
const MAX_PAGE = 1000;

export interface StartExecutionInput {
  stateMachineArn: string;
  name?: string;
  /** JSON text; `{}` when absent. */
  input?: string;
}

export interface ExecutionDescription extends ExecutionSummary {
  input: string;
  inputDetails: { included: boolean };
  output?: string;
  outputDetails?: { included: boolean };
  error?: string;
  cause?: string;
}

export interface StateMachineSummary {
  stateMachineArn: string;
  name: string;
  type: 'STANDARD';
  creationDate: string;
}

export interface StateMachineDescription extends StateMachineSummary {
  status: 'ACTIVE';
  definition: string;
  roleArn: string;
}

export interface ListExecutionsInput {
  stateMachineArn: string;
  statusFilter?: ExecutionStatus;
  maxResults?: number;
  nextToken?: string;
}

export interface GetExecutionHistoryInput {
  executionArn: string;
  maxResults?: number;
  nextToken?: string;
  reverseOrder?: boolean;
  /** Default true; false leaves out every event's input and output. */
  includeExecutionData?: boolean;
}

/** maxResults as AWS reads it: absent or 0 means 100, at most 1000. */
export function pageSize(maxResults: number | undefined): number {
  if (maxResults === undefined || maxResults === 0) return DEFAULT_PAGE;
  if (!Number.isInteger(maxResults) || maxResults < 0 || maxResults > MAX_PAGE) {
    throw new ValidationException(`maxResults must be between 0 and ${MAX_PAGE}.`);
  }
  return maxResults;
}

export function checkErrorAndCause(error: string | undefined, cause: string | undefined): void {
  if (error !== undefined && error.length > 256) throw new ValidationException('error is longer than 256.');
  if (cause !== undefined && cause.length > 32_768)
    throw new ValidationException('cause is longer than 32768.');
}

export function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** An event as GetExecutionHistory gives it with includeExecutionData false: no inputs, no outputs. */
export function withoutExecutionData(event: HistoryEvent): HistoryEvent {
  const stripped: HistoryEvent = { ...event };
  for (const [key, value] of Object.entries(event)) {
    if (!key.endsWith('EventDetails') || !value || typeof value !== 'object') continue;
    const {
      input: _input,
      inputDetails: _inputDetails,
      output: _output,
      outputDetails: _outputDetails,
      ...rest
    } = value as Record<string, unknown>;
    stripped[key] = rest;
  }
  return stripped;
}
