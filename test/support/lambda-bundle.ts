// A function's bundle from the cloud assembly, run as Lambda runs it, offline: in a process of its own,
// with the environment the template gives the function, the bundle's folder standing for /var/task,
// and each value CloudFormation would fill in (a Ref, an attribute, an import) a recognisable stand-in.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

const run = promisify(execFile);

/** Where Lambda unpacks the bundle; the template's paths under it point into the bundle. */
const TASK_ROOT = '/var/task';

const PSEUDO_PARAMETERS: Readonly<Record<string, string>> = {
  'AWS::Region': 'eu-west-2',
  'AWS::AccountId': '123456789012',
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
};

export class UnresolvableValueError extends Error {
  constructor(value: unknown) {
    super(`No stand-in for the template value ${JSON.stringify(value)}`);
    this.name = 'UnresolvableValueError';
  }
}

/**
 * A template value as a string: pseudo parameters as in eu-west-2, a resource's Ref as `ref-<id>` and
 * an attribute as `<id>.<attribute>.example` (lower case, so both serve in host names), an export as
 * `import-<name>`.
 */
export function standIn(value: unknown): string {
  if (typeof value === 'string') return value;
  const [entry] = Object.entries(value as Record<string, unknown>);
  const [intrinsic, argument] = entry ?? [];
  if (intrinsic === 'Ref' && typeof argument === 'string') {
    return PSEUDO_PARAMETERS[argument] ?? `ref-${argument}`.toLowerCase();
  }
  if (intrinsic === 'Fn::GetAtt' && Array.isArray(argument)) {
    return `${argument.join('.')}.example`.toLowerCase();
  }
  if (intrinsic === 'Fn::ImportValue' && typeof argument === 'string') return `import-${argument}`;
  if (intrinsic === 'Fn::Join' && Array.isArray(argument) && Array.isArray(argument[1])) {
    return argument[1].map(standIn).join(String(argument[0]));
  }
  throw new UnresolvableValueError(value);
}

/** The function's environment as Lambda would give it, with stand-ins and /var/task mapped to `bundle`. */
export function lambdaEnvironment(
  variables: Readonly<Record<string, unknown>>,
  bundle: string,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(variables).map(([name, value]) => {
      const text = standIn(value);
      return [
        name,
        text === TASK_ROOT || text.startsWith(`${TASK_ROOT}/`) ? bundle + text.slice(TASK_ROOT.length) : text,
      ];
    }),
  );
}

export interface BundleResponse {
  readonly statusCode: number;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

const RESULT = 'BUNDLE-RESULT ';

// Loads the bundle (its module scope runs, as at a cold start), with the AWS SDK it carries, and answers
// each event in turn.
const INVOKER = `
const [bundle, events] = process.argv.slice(1);
const { handler } = await import(bundle);
const context = { functionName: process.env.AWS_LAMBDA_FUNCTION_NAME, awsRequestId: 'request', getRemainingTimeInMillis: () => 10000 };
const results = [];
for (const event of JSON.parse(events)) results.push(await handler(event, context));
process.stdout.write('\\n${RESULT}' + JSON.stringify(results) + '\\n');
`;

/**
 * Runs the bundle's handler in a new Node process with only `env` (and what Lambda itself sets), one
 * cold start, answering `events`. A failure to load or answer rejects, with what the process printed.
 */
export async function invokeBundle(
  bundle: string,
  env: Readonly<Record<string, string>>,
  events: readonly APIGatewayProxyEventV2[],
): Promise<BundleResponse[]> {
  const { stdout } = await run(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      INVOKER,
      pathToFileURL(join(bundle, 'index.mjs')).href,
      JSON.stringify(events),
    ],
    {
      env: {
        PATH: process.env.PATH ?? '',
        AWS_REGION: 'eu-west-2',
        AWS_ACCESS_KEY_ID: 'stand-in',
        AWS_SECRET_ACCESS_KEY: 'stand-in',
        AWS_LAMBDA_FUNCTION_NAME: 'bundle-under-test',
        LAMBDA_TASK_ROOT: bundle,
        ...env,
      },
      cwd: bundle,
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  const line = stdout.split('\n').find((candidate) => candidate.startsWith(RESULT));
  if (line === undefined) throw new Error(`The bundle answered nothing:\n${stdout.slice(-3000)}`);
  return JSON.parse(line.slice(RESULT.length)) as BundleResponse[];
}
