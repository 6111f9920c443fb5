import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { defineConfig } from 'vitest/config';
import SlowFirstSequencer from './test/setup/slow-first.sequencer.ts';

// Node's compile cache (TypeScript stripped and V8 code) for every process the run starts: the workers,
// each service, its functions and scripts, the CDK synthesis. They load the same modules again and again
// (a service's start-up was mostly that), and each process adds what it compiled when it exits.
process.env.NODE_COMPILE_CACHE ??= resolve(import.meta.dirname, 'node_modules/.cache/node-compile-cache');

// The functions bundled once per run, from the sources as they are now, for every synthesis of the CDK app
// the run makes (the deployed mode's assemblies, the infra tests'): infra/constructs/service-function.ts.
if (process.env.ASB_BUNDLE_DIR === undefined) {
  const bundles = join(tmpdir(), `asb-bundles-${randomUUID()}`);
  process.env.ASB_BUNDLE_DIR = bundles;
  process.once('exit', () => rmSync(bundles, { recursive: true, force: true }));
}

// Files that run in this process alone (no DynamoDB, no service, no child process).
const IN_PROCESS = [
  'test/unit/**/*.test.ts',
  'test/shared/**/*.test.ts',
  'test/web/**/*.test.ts',
  'test/engine/interpreter-*.test.ts',
  'test/engine/runtime-definitions.test.ts',
];

// Every file shares worker processes instead of paying a fresh one each (its start, vitest's runtime and
// the packages every file imports, such as the AWS SDK: about 0.6 s of CPU a file), and loads the
// project's modules afresh, with process.env as it was before it.
const SHARED_WORKERS = {
  isolate: false,
  setupFiles: [
    'test/setup/fresh-modules.ts',
    'test/setup/own-environment.ts',
    'test/setup/metrics-output.ts',
  ],
};

export default defineConfig({
  test: {
    pool: 'forks',
    // Most files wait (on DynamoDB Local, a service, the workflow, Chromium) as much as they compute, so
    // three at a time keep two cores busy while the two browser journeys run; vitest's default on two
    // cores is one. Measured on a quiet two-core machine, fresh clone: 2 workers 203.9 s, 3 workers
    // 193.0 s, 4 workers 192.9 s with the slowest test at 38 s of its 60 s (more only adds contention).
    maxWorkers: 3,
    sequence: { sequencer: SlowFirstSequencer },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default', './test/setup/folder-times.reporter.ts', './test/setup/cloud-assembly.warm-up.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'in-process',
          include: IN_PROCESS,
          globalSetup: ['test/setup/web-build.global.ts'],
          ...SHARED_WORKERS,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: IN_PROCESS,
          // One DynamoDB Local for the whole run; each file makes its own tables in it.
          globalSetup: ['test/setup/web-build.global.ts', 'test/setup/dynamodb.global.ts'],
          ...SHARED_WORKERS,
        },
      },
    ],
  },
});
