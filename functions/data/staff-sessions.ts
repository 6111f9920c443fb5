// Staff sessions that were signed out. A signed token stays valid until it expires, and API Gateway's
// JWT authorizer checks only its signature and expiry, so signing out leaves a record, keyed by the
// token's session id, that every function consults before it trusts a staff token. The record goes
// (DynamoDB TTL) once the token would have expired anyway.
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DataContext } from '#data/data-context.ts';

export interface SignedOutSessions {
  isSignedOut(sessionId: string): Promise<boolean>;
  /** `expiresAt`: the session's token's `exp` (epoch seconds); the record is kept until then. */
  recordSignOut(sessionId: string, expiresAt: number): Promise<void>;
}

const SESSION_PREFIX = 'STAFF-SESSION#';
const SIGNED_OUT_SK = 'SIGNED-OUT';
// DynamoDB deletes expired items within days, never before; kept a little past `exp` for clock skew.
const KEPT_PAST_EXPIRY_SECONDS = 300;

const key = (sessionId: string) => ({ pk: `${SESSION_PREFIX}${sessionId}`, sk: SIGNED_OUT_SK });

/** The records in the cases table, which every function that verifies staff tokens already reads. */
export function dynamoSignedOutSessions(data: DataContext): SignedOutSessions {
  return {
    async isSignedOut(sessionId) {
      const { Item } = await data.db.send(
        // Consistent: a request straight after signing out must already be refused.
        new GetCommand({ TableName: data.tables.cases, Key: key(sessionId), ConsistentRead: true }),
      );
      return Item !== undefined;
    },
    async recordSignOut(sessionId, expiresAt) {
      await data.db.send(
        new PutCommand({
          TableName: data.tables.cases,
          Item: { ...key(sessionId), expiresAt: expiresAt + KEPT_PAST_EXPIRY_SECONDS },
        }),
      );
    },
  };
}
