// Runs the operators' scripts against a running service, as an operator would: `npm run recount` on its
// DynamoDB, `npm run reconcile` on its ports; for its area unless `env` says otherwise.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { LocalService } from '#test/support/local-service.ts';

const projectRoot = resolve(import.meta.dirname, '../..');

export function runRecount(
  service: LocalService,
  year: string,
): Promise<{ code: number | null; output: string }> {
  return runScript(service, [
    'infra/scripts/recount.ts',
    '--year',
    year,
    '--endpoint',
    service.dynamodbEndpoint,
  ]);
}

export function runReconcile(
  service: LocalService,
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; output: string }> {
  return runScript(service, ['infra/scripts/reconcile.ts'], {
    DYNAMODB_PORT: new URL(service.dynamodbEndpoint).port,
    STEPFUNCTIONS_PORT: new URL(service.stepFunctionsEndpoint).port,
    ...env,
  });
}

function runScript(
  service: LocalService,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: projectRoot,
      env: { ...process.env, ...service.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('error', reject);
    child.once('exit', (code) => resolveRun({ code, output }));
  });
}
