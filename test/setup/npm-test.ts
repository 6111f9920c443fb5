// `npm test`: the linter first (seconds, and the commonest failure), then the type checker alongside
// vitest, since neither fills both cores on its own. The type checker here is TypeScript's native port
// (tsgo, @typescript/native-preview): it reports what `tsc` reports on this tree for a third of the CPU;
// `npm run typecheck` stays `tsc`, the reference. The type checker's output waits until vitest is
// done, so the two never interleave. Prints how long each took and the whole run's wall time, and exits
// non-zero when any of them failed. Arguments go to vitest: `npm test -- test/unit`.
import { spawn } from 'node:child_process';

interface Outcome {
  readonly code: number;
  readonly seconds: number;
  readonly output: string;
}

function run(command: string, args: readonly string[], options: { quiet?: boolean } = {}): Promise<Outcome> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', options.quiet ? 'pipe' : 'inherit', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer) => {
      output += chunk.toString();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', options.quiet ? keep : (chunk: Buffer) => process.stderr.write(chunk));
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      resolve({ code: code ?? (signal ? 1 : 0), seconds: (performance.now() - started) / 1000, output }),
    );
  });
}

const seconds = (outcome: Outcome) =>
  `${outcome.seconds.toFixed(1)} s${outcome.code === 0 ? '' : ' (failed)'}`;
const started = performance.now();

const lint = await run('biome', ['check', '.']);
let typecheck: Outcome | undefined;
let vitest: Outcome | undefined;
if (lint.code === 0) {
  // At a lower priority: it finishes long before vitest does, so vitest's files should have the cores first.
  const typechecking = run(
    'nice',
    ['-n', '10', 'tsgo', '--noEmit', '--tsBuildInfoFile', 'node_modules/.cache/tsgo.tsbuildinfo'],
    { quiet: true },
  );
  vitest = await run('vitest', ['run', ...process.argv.slice(2)]);
  typecheck = await typechecking;
  process.stdout.write(typecheck.output);
}

const wall = (performance.now() - started) / 1000;
process.stdout.write(
  [
    '',
    `lint ${seconds(lint)}`,
    ...(typecheck && vitest
      ? [`typecheck ${seconds(typecheck)} (alongside vitest)`, `vitest ${seconds(vitest)}`]
      : []),
    `npm test ${wall.toFixed(1)} s wall`,
    '',
  ].join('\n'),
);
process.exitCode = [lint, typecheck, vitest].some((outcome) => outcome !== undefined && outcome.code !== 0)
  ? 1
  : 0;
