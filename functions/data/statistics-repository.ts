// Reads the published counters and records a CSP's sign-off of its annual return. The counters are
// written by the case's counting transactions (case-repository.ts); this module only reads them, and
// writes the sign-off fields of a row.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { COUNT_COLUMNS, type CountColumn, type CspTally, type SignOff } from '#core/counting.ts';
import {
  CHANGED_AT,
  counterAttribute,
  rowKey,
  SIGNED_OFF_AT,
  SIGNED_OFF_BY,
  yearMarkerKey,
  yearPartition,
  yearsPartition,
} from '#data/statistics-keys.ts';

export interface YearCounters {
  /** One tally per CSP that has a counter row for the year. */
  readonly tallies: ReadonlyMap<string, CspTally>;
  readonly signOffs: readonly SignOff[];
}

type Item = Record<string, unknown>;

const MAX_CONFLICT_ATTEMPTS = 5;

const count = (value: unknown): number => (typeof value === 'number' ? value : 0);
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** A reporting year's counters and sign-offs for every CSP of the area: one Query. */
export async function readYearCounters(
  client: DynamoDBDocumentClient,
  table: string,
  pccArea: string,
  year: string,
): Promise<YearCounters> {
  const items: Item[] = [];
  let startKey: Item | undefined;
  // A year has one item per CSP, so this is one page; the loop only guards against a page limit.
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': yearPartition(pccArea, year) },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);

  const tallies = new Map<string, CspTally>();
  const signOffs: SignOff[] = [];
  for (const item of items) {
    const csp = String(item.sk);
    const counts = Object.fromEntries(
      COUNT_COLUMNS.map((column) => [column, count(item[counterAttribute(column)])]),
    ) as Record<CountColumn, number>;
    tallies.set(csp, { counts, lastChangedAt: text(item[CHANGED_AT]) ?? null });
    const signedOffAt = text(item[SIGNED_OFF_AT]);
    if (signedOffAt !== undefined) signOffs.push({ csp, year, at: signedOffAt });
  }
  return { tallies, signOffs };
}

/** The reporting years with any data (cases or a sign-off), oldest first: one Query. */
export async function listYears(
  client: DynamoDBDocumentClient,
  table: string,
  pccArea: string,
): Promise<string[]> {
  const years: string[] = [];
  let startKey: Item | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': yearsPartition(pccArea) },
        ProjectionExpression: 'sk',
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    years.push(...(page.Items ?? []).map((item) => String(item.sk)));
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return years.sort();
}

export interface ReturnSignOff {
  readonly pccArea: string;
  readonly year: string;
  readonly csp: string;
  /** ISO-8601 UTC, the same form as the counters' `changedAt`, so the two compare as strings. */
  readonly at: string;
  /** The signing officer's subject (not their name: the statistics table holds no personal data). */
  readonly by: string;
}

/**
 * Signs off a CSP's return for a year. A row not yet signed off, or changed since it was, takes the new
 * sign-off; signing off an unchanged row again changes nothing (`changed: false`). A CSP with no
 * applications that year gets a row of zeros this way, and the year is listed.
 */
export async function signOffReturn(
  client: DynamoDBDocumentClient,
  table: string,
  signOff: ReturnSignOff,
): Promise<{ changed: boolean }> {
  const command = new TransactWriteCommand({
    TransactItems: [
      {
        Update: {
          TableName: table,
          Key: rowKey(signOff.pccArea, signOff.year, signOff.csp),
          UpdateExpression: 'SET #signedOffAt = :at, #signedOffBy = :by',
          ConditionExpression: 'attribute_not_exists(#signedOffAt) OR #changedAt > #signedOffAt',
          ExpressionAttributeNames: {
            '#signedOffAt': SIGNED_OFF_AT,
            '#signedOffBy': SIGNED_OFF_BY,
            '#changedAt': CHANGED_AT,
          },
          ExpressionAttributeValues: { ':at': signOff.at, ':by': signOff.by },
        },
      },
      {
        Update: {
          TableName: table,
          Key: yearMarkerKey(signOff.pccArea, signOff.year),
          UpdateExpression: 'SET #year = if_not_exists(#year, :year)',
          ExpressionAttributeNames: { '#year': 'year' },
          ExpressionAttributeValues: { ':year': signOff.year },
        },
      },
    ],
  });
  for (let attempt = 1; ; attempt += 1) {
    try {
      await client.send(command);
      return { changed: true };
    } catch (error) {
      const reasons = error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []) : [];
      if (reasons[0]?.Code === 'ConditionalCheckFailed') return { changed: false };
      // A case being counted into the same row at the same moment: try again, as DynamoDB advises.
      const conflict = reasons.some((reason) => reason.Code === 'TransactionConflict');
      if (!conflict || attempt >= MAX_CONFLICT_ATTEMPTS) throw error;
    }
  }
}
