// What each function does with the service's own resources, read from its code paths (the
// functions/data/ modules its entry reaches: each DynamoDB operation on each table, whether it starts
// executions or answers a waiting step). The stacks grant exactly this, on the named tables and their
// indexes, and nothing else; the deployed mode's journey (test-results/deployed-aws-calls.md) lists
// each function's calls beside these grants, and the README's table of grants is held against the
// template by test/infra/deployment.test.ts.
import { casesTable, idempotencyTable, statisticsTable, type TableSpec } from '#data/table-specs.ts';

export type TableAction =
  | 'GetItem'
  | 'BatchGetItem'
  | 'Query'
  | 'ConditionCheckItem'
  | 'PutItem'
  | 'UpdateItem'
  | 'DeleteItem';

export interface FunctionGrants {
  /** Per table, the DynamoDB actions (a transaction's items count as the action of each item). */
  readonly tables: ReadonlyMap<TableSpec, readonly TableAction[]>;
  /** Starts a case's execution (idempotent by name) when the case is created or next touched. */
  readonly startsExecutions: boolean;
  /** Delivers a decision to the step waiting for it (SendTaskSuccess/SendTaskFailure). */
  readonly answersWaitingSteps: boolean;
  /**
   * Sends messages itself (through GOV.UK Notify or SES): the access code, which only a request has, and
   * what happens while no wait of the workflow is listening (an action of the plan finished, the review
   * meeting's invitations).
   */
  readonly notifies: boolean;
  /** Signs staff out of the user pool as it records their session signed out (the staff's pages). */
  readonly signsStaffOut: boolean;
  /**
   * The evidence bucket's objects it reads and writes, by key prefix (GetObject, PutObject), itself or
   * through the presigned links it signs, which S3 authorises as the signer.
   */
  readonly evidence?: {
    readonly read: readonly string[];
    readonly write: readonly string[];
    /** Deletes every version of objects under these (and lists the bucket's versions to find them). */
    readonly deleteVersions?: readonly string[];
  };
}

// A submission's idempotency record (data/idempotency.ts): put in the case's transaction, read by a repeat.
const IDEMPOTENCY: readonly TableAction[] = ['GetItem', 'PutItem'];

const grants = (
  tables: [TableSpec, readonly TableAction[]][],
  options: {
    startsExecutions?: boolean;
    answersWaitingSteps?: boolean;
    notifies?: boolean;
    signsStaffOut?: boolean;
    evidence?: FunctionGrants['evidence'];
  } = {},
): FunctionGrants => ({
  tables: new Map(tables),
  startsExecutions: options.startsExecutions ?? false,
  answersWaitingSteps: options.answersWaitingSteps ?? false,
  notifies: options.notifies ?? false,
  signsStaffOut: options.signsStaffOut ?? false,
  ...(options.evidence && { evidence: options.evidence }),
});

/** Signs uploads to uploads/ and downloads of the cleaned copies in clean/. */
const SIGNS_EVIDENCE_LINKS = { read: ['clean/'], write: ['uploads/'] } as const;

/**
 * By function id (infra/functions.ts). Every function that verifies staff tokens reads the cases
 * table's signed-out session records (GetItem); writing one is the pages' sign-out.
 */
export const FUNCTION_GRANTS: Readonly<Record<string, FunctionGrants>> = {
  Health: grants([]),
  // A new case: its items, the year's counter and marker, the submission's idempotency record; the
  // acknowledgement sent with the access code, and the mark that it was.
  Applications: grants(
    [
      [casesTable, ['GetItem', 'PutItem']],
      [statisticsTable, ['PutItem', 'UpdateItem']],
      [idempotencyTable, IDEMPOTENCY],
    ],
    { startsExecutions: true, notifies: true },
  ),
  // Reads a case, its links, the worklists and the search; writes the audit of who read it, a new access
  // code (asked for, sent, first used), who the case is assigned to (the case item put again) and
  // staff's notes.
  Cases: grants([[casesTable, ['GetItem', 'BatchGetItem', 'Query', 'PutItem']]], {
    startsExecutions: true,
    notifies: true,
  }),
  // Records a decision (a transaction checked against the case) and delivers it to the waiting step; an
  // applicant's new access code becomes theirs when first used. An information request also updates
  // the case item's sharedWith in its transaction. A progress note that finishes an action tells the
  // applicant at once, and a review meeting arranged sends its invitations: no wait of the workflow
  // receives either.
  CaseActions: grants([[casesTable, ['GetItem', 'Query', 'ConditionCheckItem', 'PutItem', 'UpdateItem']]], {
    answersWaitingSteps: true,
    notifies: true,
  }),
  // Suggests and links cases: link groups are put, updated and deleted in one transaction.
  CaseLinks: grants([
    [
      casesTable,
      ['GetItem', 'BatchGetItem', 'Query', 'ConditionCheckItem', 'PutItem', 'UpdateItem', 'DeleteItem'],
    ],
  ]),
  // Adds files to a case (its count, the files, the timeline and audit in one transaction) and audits
  // each download; reads the case's files with their count (a Query) and removes the places of uploads
  // that never arrived, each with its count in a transaction.
  Evidence: grants([[casesTable, ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem']]], {
    evidence: SIGNS_EVIDENCE_LINKS,
  }),
  // The published counts, and an officer's sign-off of a return.
  Statistics: grants([
    [casesTable, ['GetItem']],
    [statisticsTable, ['Query', 'UpdateItem']],
  ]),
  // The resident's pages run in-process what the resident's API routes run (a submission, the case read
  // with an access code, an applicant's withdrawal, contact, involvement and answer to the plan, the
  // files, a new access code, the published counts), and keep drafts; none reads a worklist or links.
  ResidentPages: grants(
    [
      [casesTable, ['GetItem', 'Query', 'ConditionCheckItem', 'PutItem', 'UpdateItem', 'DeleteItem']],
      [statisticsTable, ['Query', 'PutItem', 'UpdateItem']],
      [idempotencyTable, IDEMPOTENCY],
    ],
    { startsExecutions: true, answersWaitingSteps: true, notifies: true, evidence: SIGNS_EVIDENCE_LINKS },
  ),
  // The staff's pages run every staff operation in-process (an application entered for a resident too),
  // and record a session signed out.
  StaffPages: grants(
    [
      [
        casesTable,
        ['GetItem', 'BatchGetItem', 'Query', 'ConditionCheckItem', 'PutItem', 'UpdateItem', 'DeleteItem'],
      ],
      [statisticsTable, ['Query', 'PutItem', 'UpdateItem']],
      [idempotencyTable, IDEMPOTENCY],
    ],
    {
      startsExecutions: true,
      answersWaitingSteps: true,
      notifies: true,
      signsStaffOut: true,
      evidence: SIGNS_EVIDENCE_LINKS,
    },
  ),
  AssessThreshold: grants([
    [casesTable, ['GetItem', 'BatchGetItem', 'Query', 'ConditionCheckItem', 'PutItem']],
  ]),
  RegisterTask: grants([[casesTable, ['GetItem', 'Query', 'UpdateItem']]]),
  ApplyDecision: grants([
    [casesTable, ['GetItem', 'Query', 'PutItem', 'UpdateItem']],
    [statisticsTable, ['UpdateItem']],
  ]),
  // Records each reminder on the case with its timeline event; reads the review's records, and the
  // agencies' responses (a Query) to remind only the information requests not answered.
  Remind: grants([[casesTable, ['GetItem', 'Query', 'PutItem', 'UpdateItem']]]),
  CloseCase: grants([
    [casesTable, ['GetItem', 'Query', 'PutItem', 'UpdateItem']],
    [statisticsTable, ['UpdateItem']],
  ]),
  // Marks the case whose step failed, or gives a case closed before the failure its retention date.
  NeedsAttention: grants([
    [casesTable, ['GetItem', 'Query', 'PutItem', 'UpdateItem']],
    [statisticsTable, ['UpdateItem']],
  ]),
  // Reads the case; starting the next execution is granted on its own (infra/stacks/stateless-stack.ts).
  HandOver: grants([[casesTable, ['GetItem']]]),
  // Checks an upload (its file's record read, its content and verdict written, a form's file counted in
  // a transaction with the case's count, after the places of uploads that never arrived are removed as
  // the Evidence function does) and writes the cleaned copy; a threat the local scan finds is on the
  // staff timeline (put with the verdict) and told to the officer.
  ProcessUpload: grants([[casesTable, ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem']]], {
    notifies: true,
    evidence: { read: ['uploads/'], write: ['clean/'] },
  }),
  // Records GuardDuty's verdict on a cleaned file; a threat as ProcessUpload's.
  ScanResult: grants([[casesTable, ['GetItem', 'PutItem', 'UpdateItem']]], { notifies: true }),
  // Lists the cases that have files, reads each case's retention, and deletes every version of the
  // files of a case whose retention has ended.
  EvidenceRetention: grants([[casesTable, ['GetItem']]], {
    evidence: { read: [], write: [], deleteVersions: ['uploads/', 'clean/'] },
  }),
  // Reads the worklists and the case, and marks it; gives a case closed without one its retention date
  // (as CloseCase: the case items and the year's counters). Starting executions is granted with
  // ListExecutions.
  Reconciler: grants([
    [casesTable, ['GetItem', 'Query', 'PutItem', 'UpdateItem']],
    [statisticsTable, ['UpdateItem']],
  ]),
};

export class MissingFunctionGrantsError extends Error {
  constructor(id: string) {
    super(
      `No grants are listed for the function ${id}: add what its code does to FUNCTION_GRANTS in infra/function-grants.ts`,
    );
    this.name = 'MissingFunctionGrantsError';
  }
}

export function grantsOf(id: string): FunctionGrants {
  const found = FUNCTION_GRANTS[id];
  if (!found) throw new MissingFunctionGrantsError(id);
  return found;
}
