// What IAM checks for a call to each service the functions use, as the Service Authorization Reference
// lists it: the action per operation, and the resource ARN the request names (a table, or its index
// for a Query or Scan on one; each item's table and action inside a transaction or batch; the state
// machine or execution; the secret).
import type { AuthorisationRequest } from '#local/deployed/iam.ts';

type Body = Record<string, unknown>;

export interface ArnContext {
  readonly region: string;
  readonly accountId: string;
}

/** `DynamoDB_20120810.PutItem` → `PutItem`, for the JSON protocols' X-Amz-Target header. */
export function operationOf(target: string | string[] | undefined, prefix: string): string | undefined {
  const value = Array.isArray(target) ? target[0] : target;
  return value?.startsWith(prefix) ? value.slice(prefix.length) : undefined;
}

function tableArn(name: unknown, arns: ArnContext): string {
  const table = String(name);
  return table.startsWith('arn:')
    ? table
    : `arn:aws:dynamodb:${arns.region}:${arns.accountId}:table/${table}`;
}

const TRANSACT_WRITE_ACTIONS: Readonly<Record<string, string>> = {
  ConditionCheck: 'dynamodb:ConditionCheckItem',
  Put: 'dynamodb:PutItem',
  Update: 'dynamodb:UpdateItem',
  Delete: 'dynamodb:DeleteItem',
};

export function dynamoDbRequests(operation: string, body: Body, arns: ArnContext): AuthorisationRequest[] {
  const action = `dynamodb:${operation}`;
  switch (operation) {
    case 'BatchGetItem':
    case 'BatchWriteItem':
      return Object.keys((body.RequestItems as Body | undefined) ?? {}).map((table) => ({
        action,
        resource: tableArn(table, arns),
      }));
    case 'TransactWriteItems':
      return ((body.TransactItems as Body[] | undefined) ?? []).flatMap((item) =>
        Object.entries(item).map(([kind, request]) => ({
          action: TRANSACT_WRITE_ACTIONS[kind] ?? `dynamodb:${kind}`,
          resource: tableArn((request as Body).TableName, arns),
        })),
      );
    case 'TransactGetItems':
      return ((body.TransactItems as { Get?: Body }[] | undefined) ?? []).map((item) => ({
        action: 'dynamodb:GetItem',
        resource: tableArn(item.Get?.TableName, arns),
      }));
    default: {
      if (body.TableName === undefined) return [{ action, resource: '*' }];
      const table = tableArn(body.TableName, arns);
      const index = typeof body.IndexName === 'string' ? `${table}/index/${body.IndexName}` : table;
      return [{ action, resource: operation === 'Query' || operation === 'Scan' ? index : table }];
    }
  }
}

/** The state machine an execution ARN belongs to. */
export function stateMachineOfExecution(executionArn: string): string {
  const parts = executionArn.split(':');
  return [...parts.slice(0, 5), 'stateMachine', parts[6]].join(':');
}

export async function stepFunctionsRequests(
  operation: string,
  body: Body,
  stateMachineOfToken: (token: string) => Promise<string | undefined>,
): Promise<AuthorisationRequest[]> {
  const action = `states:${operation}`;
  if (operation.startsWith('SendTask')) {
    const machine = await stateMachineOfToken(String(body.taskToken ?? ''));
    // An unknown token gets the engine's own InvalidToken answer, as AWS gives it.
    return machine ? [{ action, resource: machine }] : [];
  }
  if (body.executionArn !== undefined) return [{ action, resource: String(body.executionArn) }];
  if (body.stateMachineArn === undefined) return [{ action, resource: '*' }];
  // A version or alias is authorised on the state machine itself, its qualifier a (multivalued)
  // condition key (Step Functions' "Authorization for versions and aliases").
  const [machine, qualifier] = splitQualifier(String(body.stateMachineArn));
  return [
    {
      action,
      resource: machine,
      ...(qualifier !== undefined && { context: { 'states:StateMachineQualifier': [qualifier] } }),
    },
  ];
}

/** `…:stateMachine:<name>:<qualifier>` → the state machine's ARN and the qualifier. */
function splitQualifier(arn: string): [string, string | undefined] {
  const parts = arn.split(':');
  return [parts.slice(0, 7).join(':'), parts[7]];
}

export function secretsManagerRequests(
  operation: string,
  body: Body,
  secretArnOf: (id: string) => string | undefined,
): AuthorisationRequest[] {
  const id = typeof body.SecretId === 'string' ? body.SecretId : undefined;
  return [{ action: `secretsmanager:${operation}`, resource: (id && secretArnOf(id)) ?? id ?? '*' }];
}
