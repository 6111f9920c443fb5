// The one place that builds the AWS SDK clients. Each endpoint comes from the environment when set
// (the local runtime sets DYNAMODB_ENDPOINT and STEPFUNCTIONS_ENDPOINT), otherwise the SDK's AWS
// default, so the same handlers talk to AWS or to the machine they run on.
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { casesTable, idempotencyTable, statisticsTable } from '#data/table-specs.ts';

/** Where the case data lives: the document client and the table names, passed into every data function. */
export interface DataContext {
  readonly db: DynamoDBDocumentClient;
  readonly tables: { readonly cases: string; readonly statistics: string };
}

export class MissingSettingError extends Error {
  readonly setting: string;

  constructor(setting: string) {
    super(`The environment variable ${setting} must be set`);
    this.name = 'MissingSettingError';
    this.setting = setting;
  }
}

export class InvalidSettingError extends Error {
  readonly setting: string;

  constructor(setting: string, expected: string) {
    super(`The environment variable ${setting} must be ${expected}`);
    this.name = 'InvalidSettingError';
    this.setting = setting;
  }
}

type Env = Readonly<Record<string, string | undefined>>;

function endpointFrom(env: Env, name: string): { endpoint?: string } {
  const endpoint = env[name];
  return endpoint ? { endpoint } : {};
}

/** The plain client, for libraries that want one (Powertools' idempotency persistence layer). */
export function createDynamoDbClient(env: Env = process.env): DynamoDBClient {
  return new DynamoDBClient(endpointFrom(env, 'DYNAMODB_ENDPOINT'));
}

/** The document client over `client`, as every part of the service marshals items (undefined left out). */
export function documentClientOf(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

export function createDocumentClient(env: Env = process.env): DynamoDBDocumentClient {
  return documentClientOf(createDynamoDbClient(env));
}

export function createStepFunctionsClient(env: Env = process.env): SFNClient {
  return new SFNClient(endpointFrom(env, 'STEPFUNCTIONS_ENDPOINT'));
}

/** The user pool's API, for signing staff out (only in AWS: the local runtime has no user pool). */
export function createCognitoClient(): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({});
}

export function createSesClient(): SESv2Client {
  return new SESv2Client({});
}

/** A secret's text from Secrets Manager (the Notify API key, the pages' session secret). */
export async function readSecretString(secretArn: string): Promise<string> {
  const client = new SecretsManagerClient({});
  try {
    const secret = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
    return secret.SecretString ?? '';
  } finally {
    client.destroy();
  }
}

function required(env: Env, name: string): string {
  const value = env[name];
  if (!value) throw new MissingSettingError(name);
  return value;
}

/** The table names from CASES_TABLE and STATISTICS_TABLE (set by CDK in AWS and by the local runtime). */
export function tableNamesFrom(env: Env = process.env): DataContext['tables'] {
  return { cases: required(env, casesTable.envVar), statistics: required(env, statisticsTable.envVar) };
}

/** The idempotency records' table (IDEMPOTENCY_TABLE). */
export function idempotencyTableFrom(env: Env = process.env): string {
  return required(env, idempotencyTable.envVar);
}

/** A DataContext from the environment: what a handler builds once, at module scope. */
export function dataContextFrom(env: Env = process.env): DataContext {
  return { db: createDocumentClient(env), tables: tableNamesFrom(env) };
}

/** The state machine that runs each case (STATE_MACHINE_ARN). */
export function stateMachineArnFrom(env: Env = process.env): string {
  return required(env, 'STATE_MACHINE_ARN');
}
