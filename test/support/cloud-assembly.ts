// The cloud assembly the deployed-mode tests run, synthesised once per set of sources: kept under
// node_modules/.cache, keyed by a hash of everything `cdk synth` reads (the CDK app, the functions,
// the state machine, the lock file, the area file), so a run synthesises only when the sources
// changed, and test files running in parallel wait for the one synthesis instead of repeating it.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { synthesise } from '#local/deployed/synthesise.ts';

const projectRoot = resolve(import.meta.dirname, '../..');
const CACHE = join(projectRoot, 'node_modules/.cache/asb-cloud-assembly');
const INPUTS = ['functions', 'infra', 'statemachines', 'package-lock.json', 'cdk.json'];
// The one-machine runtime is not part of what CDK synthesises.
const NOT_INPUTS = [join(projectRoot, 'infra/local')];
const STALE_LOCK_MS = 10 * 60_000;
// Assemblies of older sources are removed once a new one is made; the other areas' of this run stay.
const KEEP_MS = 60 * 60_000;

function* files(path: string): Generator<string> {
  if (NOT_INPUTS.includes(path)) return;
  if (statSync(path).isDirectory()) {
    for (const entry of readdirSync(path).sort()) yield* files(join(path, entry));
  } else yield path;
}

function sourceHash(areaConfigFile: string | undefined): string {
  const hash = createHash('sha256');
  for (const input of INPUTS) {
    for (const file of files(join(projectRoot, input))) {
      hash.update(relative(projectRoot, file)).update('\0').update(readFileSync(file)).update('\0');
    }
  }
  if (areaConfigFile) hash.update('area\0').update(readFileSync(areaConfigFile));
  return hash.digest('hex').slice(0, 16);
}

/** The folder of a cloud assembly synthesised from the current sources (with the area file, if given). */
export async function cloudAssembly(areaConfigFile?: string): Promise<string> {
  const directory = join(CACHE, sourceHash(areaConfigFile));
  const lock = `${directory}.lock`;
  mkdirSync(CACHE, { recursive: true });
  for (;;) {
    if (existsSync(join(directory, 'manifest.json'))) return directory;
    try {
      mkdirSync(lock);
    } catch {
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS) {
        rmSync(lock, { recursive: true, force: true });
      }
      await sleep(500);
      continue;
    }
    try {
      const partial = `${directory}.partial`;
      rmSync(partial, { recursive: true, force: true });
      // Without CDK's CloudFormation checks (3 s of CPU instead of 11 s a synthesis): they only warn,
      // and test/infra/deployment.test.ts holds the same templates to them.
      await synthesise({ outdir: partial, validate: false, ...(areaConfigFile && { areaConfigFile }) });
      renameSync(partial, directory);
      for (const entry of readdirSync(CACHE)) {
        const path = join(CACHE, entry);
        if (path !== directory && Date.now() - statSync(path).mtimeMs > KEEP_MS) {
          rmSync(path, { recursive: true, force: true });
        }
      }
      return directory;
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}
