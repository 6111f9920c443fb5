// How each function's code is built, for CDK (infra/constructs/service-function.ts) and for the bench's
// size figures alike: esbuild, minified ESM with `index.mjs` as the handler's module, for Node 24.
//
// The AWS SDK for JavaScript v3 is left out and taken from the Lambda runtime, which carries it
// (README "What it costs": a third of the bundle and its load time, against pinning its version).
// Its packages declare no side effects on import, so a bundle imports only the clients its function
// calls, not every client a shared module names. Everything else the function reaches is inside. A module reached only through a dynamic `import()`
// (the GOV.UK Notify client, functions/shared/notifier-from-env.ts) goes into a chunk of its own, loaded
// on first use, so a function that never sends through Notify neither loads nor parses it.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { type BuildOptions, build, type Metafile, type Plugin } from 'esbuild';

export const PROJECT_ROOT = join(import.meta.dirname, '..');

/** What the Lambda Node.js runtime provides, so the bundles import it rather than carry it. */
export const RUNTIME_PROVIDED = /^@aws-sdk\//;

const runtimeProvided: Plugin = {
  name: 'runtime-provided',
  setup(esbuild) {
    esbuild.onResolve({ filter: RUNTIME_PROVIDED }, ({ path }) => ({
      path,
      external: true,
      sideEffects: false,
    }));
  },
};

/** The handler as the template names it: `handler` exported by the bundle's `index.mjs`. */
export const HANDLER = 'index.handler';

// esbuild's ESM output cannot `require` Node's built-ins from the CommonJS packages it bundles
// (nunjucks, notifications-node-client) without a real `require` in scope.
const REQUIRE_SHIM =
  "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

export function bundleOptions(entry: string, outdir: string): BuildOptions {
  return {
    entryPoints: { index: join(PROJECT_ROOT, entry) },
    outdir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    mainFields: ['module', 'main'],
    plugins: [runtimeProvided],
    minify: true,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    sourcemap: true,
    sourcesContent: false,
    banner: { js: REQUIRE_SHIM },
    metafile: true,
    logLevel: 'warning',
  };
}

/** Builds the function whose handler module is `entry` (relative to the project root) into `outdir`. */
export async function bundleFunction(entry: string, outdir: string): Promise<Metafile> {
  const { metafile } = await build(bundleOptions(entry, outdir));
  if (!metafile) throw new Error(`esbuild gave no metafile for ${entry}`);
  return metafile;
}

/** One function to build: its handler module (relative to the project root) and its bundle's folder. */
export interface FunctionBuild {
  readonly entry: string;
  readonly outdir: string;
}

/** bundleFunction for each build, side by side: esbuild spreads them over the cores. */
export async function bundleFunctions(builds: readonly FunctionBuild[]): Promise<void> {
  await Promise.all(builds.map(({ entry, outdir }) => bundleFunction(entry, outdir)));
}

export class BundlingError extends Error {
  override name = 'BundlingError';
}

/** bundleFunctions for a caller that must wait (CDK's local bundling), in one process of its own. */
export function bundleFunctionsSync(builds: readonly FunctionBuild[]): void {
  const run = spawnSync(process.execPath, [import.meta.filename, JSON.stringify(builds)], {
    encoding: 'utf8',
  });
  if (run.status !== 0) {
    const entries = builds.map(({ entry }) => entry).join(', ');
    throw new BundlingError(`esbuild could not bundle ${entries}: ${run.error?.message ?? run.stderr}`);
  }
}

if (import.meta.main) {
  const [builds] = process.argv.slice(2);
  if (!builds) throw new BundlingError('Usage: node infra/bundling.ts \'[{"entry": …, "outdir": …}, …]\'');
  await bundleFunctions(JSON.parse(builds) as FunctionBuild[]);
}
