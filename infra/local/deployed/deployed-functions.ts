// The deployed functions of a cloud assembly, each in its own sandbox with the environment Lambda
// would give it: the template's variables (resolved to the local resources), Lambda's own variables,
// credentials of its own role, and the local endpoints of the services it calls.
//
// A few of the template's settings name AWS-hosted services that have no local counterpart at the same
// address; where the template sets one, it is replaced by the local stand-in, and nowhere else (a
// setting the template lacks stays missing and fails here as it would in AWS):
//   STAFF_TOKEN_ISSUER, STAFF_TOKEN_JWKS_URL  the user pool → the local token issuer
//   STAFF_SIGN_IN_URL                         the hosted sign-in → the local role picker (STAFF_SIGN_IN=local)
//   SITE_URL                                  the CloudFront address → the local gateway
//   NOTIFIER (govuk-notify, ses)              GOV.UK Notify or SES → the outbox under DATA_DIR
//   EVIDENCE_BUCKET                           S3 → the local S3 server (S3_ENDPOINT, by path)
import { randomBytes } from 'node:crypto';
import type { DeployedFunction } from '#local/deployed/cloud-assembly.ts';
import type { Caller } from '#local/deployed/iam.ts';
import { createLambdaHost, type LambdaHost } from '#local/deployed/lambda-host.ts';

/** Where Lambda unpacks a bundle; the template's paths under it point into the asset folder here. */
const TASK_ROOT = '/var/task';

export interface LocalServices {
  readonly region: string;
  readonly apiUrl: string;
  readonly dataDir: string;
  readonly dynamodbEndpoint: string;
  readonly stepFunctionsEndpoint: string;
  readonly secretsManagerEndpoint: string;
  readonly s3Endpoint: string;
}

function withStandIns(environment: Record<string, string>, local: LocalServices): Record<string, string> {
  const result = { ...environment };
  if ('STAFF_TOKEN_ISSUER' in result) result.STAFF_TOKEN_ISSUER = `${local.apiUrl}/local`;
  if ('STAFF_TOKEN_JWKS_URL' in result) result.STAFF_TOKEN_JWKS_URL = `${local.apiUrl}/local/jwks.json`;
  if ('STAFF_SIGN_IN_URL' in result) result.STAFF_SIGN_IN = 'local';
  if ('SITE_URL' in result) result.SITE_URL = local.apiUrl;
  if ('NOTIFIER' in result) Object.assign(result, { NOTIFIER: 'outbox', DATA_DIR: local.dataDir });
  if ('EVIDENCE_BUCKET' in result) result.S3_ENDPOINT = local.s3Endpoint;
  return result;
}

/** The environment the function's sandbox gets. */
export function lambdaEnvironment(
  fn: DeployedFunction,
  caller: Caller,
  local: LocalServices,
): Record<string, string> {
  const fromTemplate = Object.fromEntries(
    Object.entries(fn.environment).map(([name, value]) => [
      name,
      value === TASK_ROOT || value.startsWith(`${TASK_ROOT}/`)
        ? fn.codeDirectory + value.slice(TASK_ROOT.length)
        : value,
    ]),
  );
  return {
    ...withStandIns(fromTemplate, local),
    // What the Lambda runtime sets in every function.
    AWS_REGION: local.region,
    AWS_DEFAULT_REGION: local.region,
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: fn.name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.name}`,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    LAMBDA_TASK_ROOT: fn.codeDirectory,
    _HANDLER: fn.handler,
    LANG: 'en_US.UTF-8',
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    AWS_ACCESS_KEY_ID: caller.accessKeyId,
    AWS_SECRET_ACCESS_KEY: caller.secretAccessKey,
    AWS_SESSION_TOKEN: randomBytes(24).toString('base64'),
    // The SDK's own settings for other endpoints: the handlers' code is unchanged.
    AWS_ENDPOINT_URL_DYNAMODB: local.dynamodbEndpoint,
    AWS_ENDPOINT_URL_SFN: local.stepFunctionsEndpoint,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: local.secretsManagerEndpoint,
  };
}

export function createDeployedFunctions(
  functions: readonly DeployedFunction[],
  callers: ReadonlyMap<string, Caller>,
  local: LocalServices,
  output: (functionName: string) => (line: string) => void,
): Map<string, LambdaHost> {
  const hosts = new Map<string, LambdaHost>();
  for (const fn of functions) {
    const caller = callers.get(fn.name);
    if (!caller) throw new Error(`No credentials were made for ${fn.name}`);
    hosts.set(
      fn.name,
      createLambdaHost({
        name: fn.name,
        arn: fn.arn,
        codeDirectory: fn.codeDirectory,
        handler: fn.handler,
        environment: lambdaEnvironment(fn, caller, local),
        timeoutSeconds: fn.timeoutSeconds,
        memorySize: fn.memorySize,
        onOutput: output(fn.name),
      }),
    );
  }
  return hosts;
}
