// The settings the SDK clients and the functions' contexts are built from: set by CDK in AWS and by the
// local runtime on one machine, read once per function instance.

export type Env = Readonly<Record<string, string | undefined>>;

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

export function requiredSetting(env: Env, name: string): string {
  const value = env[name];
  if (!value) throw new MissingSettingError(name);
  return value;
}

/**
 * The endpoint named by `name` when set (the local runtime sets DYNAMODB_ENDPOINT and
 * STEPFUNCTIONS_ENDPOINT), otherwise the SDK's AWS default: the same handlers talk to AWS or to the
 * machine they run on.
 */
export function endpointFrom(env: Env, name: string): { endpoint?: string } {
  const endpoint = env[name];
  return endpoint ? { endpoint } : {};
}
