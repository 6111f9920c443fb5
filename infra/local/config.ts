import { resolve } from 'node:path';

export interface LocalConfig {
  host: string;
  port: number;
  dynamodbPort: number;
  stepFunctionsPort: number;
  /** Only `npm run start:deployed` serves Secrets Manager (the deployed functions read their secrets). */
  secretsManagerPort: number;
  /** Only `npm run start:deployed` serves the Lambda API's Invoke for its deployed functions. */
  lambdaPort: number;
  /** The local S3 server (evidence files). */
  s3Port: number;
  dataDir: string;
  /** The police area's file (AREA_CONFIG_FILE) as an absolute path; Merseyside when absent. */
  areaConfigFile?: string;
  /** A DynamoDB already running (DYNAMODB_ENDPOINT), used instead of starting DynamoDB Local. */
  dynamodbEndpoint?: string;
  /** Put before every table's name (TABLE_PREFIX), so that several services can share one DynamoDB. */
  tablePrefix?: string;
  /** How often expired items are deleted (TTL_INTERVAL_SECONDS; DynamoDB's TTL is a few days' best effort). */
  timeToLiveIntervalSeconds?: number;
}

export class LocalConfigError extends Error {
  override name = 'LocalConfigError';
}

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new LocalConfigError(`${name} must be a port number from 1 to 65535, not "${raw}".`);
  }
  return value;
}

function endpoint(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (!URL.canParse(raw) || !['http:', 'https:'].includes(new URL(raw).protocol)) {
    throw new LocalConfigError(`${name} must be an http:// or https:// address, not "${raw}".`);
  }
  return raw;
}

// DynamoDB table names allow letters, digits, '_', '-' and '.'.
function tablePrefix(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (!/^[A-Za-z0-9_.-]+$/.test(raw)) {
    throw new LocalConfigError(`${name} may hold only letters, digits, '_', '-' and '.', not "${raw}".`);
  }
  return raw;
}

export const DEFAULT_TTL_INTERVAL_SECONDS = 3600;

function seconds(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new LocalConfigError(`${name} must be a whole number of seconds, at least 1, not "${raw}".`);
  }
  return value;
}

/** The local runtime's settings, from the environment variables the README lists. */
export function readLocalConfig(env: NodeJS.ProcessEnv = process.env): LocalConfig {
  return {
    host: '127.0.0.1',
    port: port(env, 'PORT', 3000),
    dynamodbPort: port(env, 'DYNAMODB_PORT', 8000),
    stepFunctionsPort: port(env, 'STEPFUNCTIONS_PORT', 8083),
    secretsManagerPort: port(env, 'SECRETSMANAGER_PORT', 8084),
    lambdaPort: port(env, 'LAMBDA_PORT', 8085),
    s3Port: port(env, 'S3_PORT', 8086),
    dataDir: resolve(env.DATA_DIR || '.data'),
    ...(env.AREA_CONFIG_FILE && { areaConfigFile: resolve(env.AREA_CONFIG_FILE) }),
    dynamodbEndpoint: endpoint(env, 'DYNAMODB_ENDPOINT'),
    tablePrefix: tablePrefix(env, 'TABLE_PREFIX'),
    timeToLiveIntervalSeconds: seconds(env, 'TTL_INTERVAL_SECONDS', DEFAULT_TTL_INTERVAL_SECONDS),
  };
}
