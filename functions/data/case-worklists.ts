// The worklists: a CSP's, an agency's or the PCC office's cases, oldest deadline first, read from the
// cases table's worklist indexes (never a scan), and the CSP's cases an officer may link.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { CaseStage } from '#core/stages.ts';
import { CLOSED_SORT } from '#data/case-items.ts';
import type { DataContext } from '#data/data-context.ts';
import { InvalidCursorError } from '#data/errors.ts';
import { queryAll } from '#data/paginated-reads.ts';
import { INDEX_BY_CSP, INDEX_BY_CSP_STAGE, INDEX_BY_PCC } from '#data/table-specs.ts';

/** Whose worklist: an officer's CSP, an agency's cases shared with it in its CSP, or the PCC's referrals. */
export type WorklistScope =
  | { readonly kind: 'csp'; readonly csp: string }
  | { readonly kind: 'agency'; readonly csp: string; readonly agency: string }
  | { readonly kind: 'pcc'; readonly pccArea: string };

export interface WorklistQuery {
  readonly scope: WorklistScope;
  /** Only cases at this stage; without it, every open case. `closed` lists closed cases, last closed last. */
  readonly stage?: CaseStage;
  readonly limit: number;
  /** The `lastEvaluatedKey` of the previous page. A key the query did not issue raises InvalidCursorError. */
  readonly startKey?: Record<string, unknown>;
}

export interface WorklistEntry {
  readonly reference: string;
  readonly csp: string;
  readonly stage: CaseStage;
  readonly receivedAt: string;
  /** Null for a closed case. */
  readonly nextDeadline: string | null;
  /** Its workflow stopped while it was open and the reconciler resumed it (data/case-attention.ts). */
  readonly needsAttention: boolean;
}

export interface WorklistPage {
  /** Oldest deadline first. An agency's page may hold fewer than `limit` even when more follow. */
  readonly cases: readonly WorklistEntry[];
  readonly lastEvaluatedKey?: Record<string, unknown>;
}

export async function queryWorklist(ctx: DataContext, query: WorklistQuery): Promise<WorklistPage> {
  const { scope, stage } = query;
  const names: Record<string, string> = {
    '#stage': 'stage',
    '#reference': 'reference',
    '#csp': 'csp',
    '#receivedAt': 'receivedAt',
    '#nextDeadline': 'nextDeadline',
    '#needsAttention': 'needsAttention',
  };
  const values: Record<string, unknown> = {};
  const filters: string[] = [];
  let index: string;
  let keyCondition: string;
  if (scope.kind === 'pcc') {
    index = INDEX_BY_PCC;
    keyCondition = 'pccQueue = :partition';
    values[':partition'] = scope.pccArea;
    if (stage === undefined) {
      keyCondition += ' AND deadlineKey < :closed';
      values[':closed'] = CLOSED_SORT;
    } else {
      filters.push('#stage = :stage');
      values[':stage'] = stage;
    }
  } else if (stage === undefined) {
    index = INDEX_BY_CSP;
    keyCondition = '#csp = :partition AND deadlineKey < :closed';
    values[':partition'] = scope.csp;
    values[':closed'] = CLOSED_SORT;
  } else {
    index = INDEX_BY_CSP_STAGE;
    keyCondition = 'cspStage = :partition';
    values[':partition'] = `${scope.csp}#${stage}`;
  }
  if (scope.kind === 'agency') {
    filters.push('contains(sharedWith, :agency)');
    values[':agency'] = scope.agency;
  }
  try {
    const page = await ctx.db.send(
      new QueryCommand({
        TableName: ctx.tables.cases,
        IndexName: index,
        KeyConditionExpression: keyCondition,
        ...(filters.length > 0 && { FilterExpression: filters.join(' AND ') }),
        ProjectionExpression: '#reference, #csp, #stage, #receivedAt, #nextDeadline, #needsAttention',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        Limit: query.limit,
        ExclusiveStartKey: query.startKey,
      }),
    );
    return {
      cases: (page.Items ?? []).map((item) => ({
        reference: item.reference as string,
        csp: item.csp as string,
        stage: item.stage as CaseStage,
        receivedAt: item.receivedAt as string,
        nextDeadline: (item.stage === 'closed' ? null : (item.nextDeadline as string | null)) ?? null,
        needsAttention: typeof item.needsAttention === 'object' && item.needsAttention !== null,
      })),
      ...(page.LastEvaluatedKey && { lastEvaluatedKey: page.LastEvaluatedKey }),
    };
  } catch (error) {
    if (query.startKey !== undefined && isValidationError(error))
      throw new InvalidCursorError({ cause: error });
    throw error;
  }
}

function isValidationError(error: unknown): boolean {
  return error instanceof Error && error.name === 'ValidationException';
}

/** A case as the search for linkable cases reads it from the worklist index. */
export interface CaseSummary {
  readonly reference: string;
  readonly stage: CaseStage;
  readonly receivedAt: string;
  /** First and last day an incident happened. */
  readonly incidentDates: { readonly from: string; readonly to: string };
}

/**
 * The CSP's open cases and those closed since `closedSince` (an ISO instant): two Queries of the
 * worklist index, never a scan. The index is eventually consistent: a case entered a moment ago may
 * be missing.
 */
export async function cspCases(ctx: DataContext, csp: string, closedSince: string): Promise<CaseSummary[]> {
  const query = (condition: string, values: Record<string, string>) =>
    queryAll(ctx, {
      TableName: ctx.tables.cases,
      IndexName: INDEX_BY_CSP,
      KeyConditionExpression: `#csp = :csp AND ${condition}`,
      ProjectionExpression: '#reference, #stage, receivedAt, incidentDates',
      ExpressionAttributeNames: { '#csp': 'csp', '#reference': 'reference', '#stage': 'stage' },
      ExpressionAttributeValues: { ':csp': csp, ...values },
    });
  const items = [
    ...(await query('deadlineKey < :closed', { ':closed': CLOSED_SORT })),
    ...(await query('deadlineKey BETWEEN :from AND :to', {
      ':from': `${CLOSED_SORT}#${closedSince}`,
      ':to': `${CLOSED_SORT}#~`,
    })),
  ];
  return items.map((item) => ({
    reference: item.reference as string,
    stage: item.stage as CaseStage,
    receivedAt: item.receivedAt as string,
    incidentDates: item.incidentDates as CaseSummary['incidentDates'],
  }));
}
