// Runs `npm run recount` against a running service's DynamoDB, as an operator would, for its area.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { LocalService } from '#test/support/local-service.ts';

const projectRoot = resolve(import.meta.dirname, '../..');

export function runRecount(
  service: LocalService,
  year: string,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(
      process.execPath,
      ['infra/scripts/recount.ts', '--year', year, '--endpoint', service.dynamodbEndpoint],
      {
        cwd: projectRoot,
        env: { ...process.env, ...service.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
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
