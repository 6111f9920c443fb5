// DynamoDB Local listens on every interface and has no option to change it. LoopbackDynamoDbLocal.java
// starts its server bound to 127.0.0.1; it is compiled once per source and jar, into node_modules'
// cache (outside the tree, owned by the project rather than a shared temporary folder).
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const projectRoot = resolve(import.meta.dirname, '../..');
const SOURCE = join(import.meta.dirname, 'LoopbackDynamoDbLocal.java');

export const LOOPBACK_MAIN_CLASS = basename(SOURCE, '.java');
export const DEFAULT_LAUNCHER_CACHE = join(projectRoot, 'node_modules', '.cache', 'dynamodb-local-loopback');

export type LoopbackLauncher =
  | { available: true; classDirectory: string }
  | { available: false; reason: string };

export class LoopbackLauncherBuildError extends Error {
  override name = 'LoopbackLauncherBuildError';
}

/**
 * The folder holding the compiled launcher for this DynamoDB Local jar, compiling it when it is not
 * there yet. Without a Java compiler it is unavailable, with the reason to tell the person running it.
 */
export async function loopbackLauncher(options: {
  jar: string;
  cacheRoot?: string;
  javac?: string;
}): Promise<LoopbackLauncher> {
  const cacheRoot = options.cacheRoot ?? DEFAULT_LAUNCHER_CACHE;
  const key = createHash('sha256').update(readFileSync(SOURCE)).update(resolve(options.jar)).digest('hex');
  const classDirectory = join(cacheRoot, key.slice(0, 16));
  if (existsSync(join(classDirectory, `${LOOPBACK_MAIN_CLASS}.class`))) {
    return { available: true, classDirectory };
  }
  mkdirSync(cacheRoot, { recursive: true });
  // Parallel starts (test workers) each compile into their own folder; the first rename wins.
  const building = await mkdtemp(join(cacheRoot, 'building-'));
  try {
    // --release 17: the classes run on Java 17, DynamoDB Local's minimum, whichever JDK compiles them.
    await run(options.javac ?? 'javac', ['--release', '17', '-d', building, '-cp', options.jar, SOURCE]);
  } catch (error) {
    rmSync(building, { recursive: true, force: true });
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return {
        available: false,
        reason: 'no Java compiler (javac) was found to build its loopback launcher',
      };
    }
    throw new LoopbackLauncherBuildError(`The loopback launcher did not compile: ${String(error)}`, {
      cause: error,
    });
  }
  try {
    await rename(building, classDirectory);
  } catch (error) {
    await rm(building, { recursive: true, force: true });
    if (!existsSync(join(classDirectory, `${LOOPBACK_MAIN_CLASS}.class`))) throw error;
  }
  return { available: true, classDirectory };
}
