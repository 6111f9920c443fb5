import { resolve } from 'node:path';

export interface LocalConfig {
  host: string;
  port: number;
  dynamodbPort: number;
  stepFunctionsPort: number;
  dataDir: string;
  /** The police area's file (AREA_CONFIG_FILE) as an absolute path; Merseyside when absent. */
  areaConfigFile?: string;
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

/** The local runtime's settings, from the environment variables the README lists. */
export function readLocalConfig(env: NodeJS.ProcessEnv = process.env): LocalConfig {
  return {
    host: '127.0.0.1',
    port: port(env, 'PORT', 3000),
    dynamodbPort: port(env, 'DYNAMODB_PORT', 8000),
    stepFunctionsPort: port(env, 'STEPFUNCTIONS_PORT', 8083),
    dataDir: resolve(env.DATA_DIR || '.data'),
    ...(env.AREA_CONFIG_FILE && { areaConfigFile: resolve(env.AREA_CONFIG_FILE) }),
  };
}
