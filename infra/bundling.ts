// How each function's code is built, for CDK (infra/constructs/service-function.ts) and for the bench's
// size figures alike: esbuild, minified ESM with `index.mjs` as the handler's module, for Node 24.
//
// The AWS SDK for JavaScript v3 is bundled, its version pinned by package-lock.json, rather than taken
// from the Lambda runtime: Node loads the runtime's copy file by file, all of each client, which alone
// took more than a cold start's whole allowance (README "What it costs"), while bundled it is
// tree-shaken to the operations a function sends. Everything else the function reaches is inside too
// (the GOV.UK Notify client is a few requests over Node's fetch, functions/shared/notify-client.ts).
// A module reached only through a dynamic `import()` goes into a chunk of its own beside `index.mjs`,
// loaded on first use: the clients a function rarely needs (functions/clients/on-first-use.ts). The SDK's
// default credential chain is only its environment link (functions/clients/environment-credentials.ts).
//
// A package with native code (sharp, whose libvips re-encodes photos) has its JavaScript bundled like any
// other, but not its builds for each platform (its optional dependencies, which hold the compiled code):
// those are left out, and only the build for Lambda's x86_64 Linux (the one npm installs on this kind of
// machine) is carried as installed in the bundle's node_modules. Node loading sharp's JavaScript file by
// file, with the packages it needs, was most of its cost at a cold start.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { type BuildOptions, build, type Metafile, type Plugin } from 'esbuild';
import { keepOwnSources } from '#infra/source-maps.ts';

export const PROJECT_ROOT = join(import.meta.dirname, '..');

/** The SDK's default credential chain in a bundle: the environment's, as Lambda gives them. */
const ENVIRONMENT_CREDENTIALS = join(PROJECT_ROOT, 'functions/clients/environment-credentials.ts');

/** The handler as the template names it: `handler` exported by the bundle's `index.mjs`. */
export const HANDLER = 'index.handler';

// esbuild's ESM output cannot `require` Node's built-ins from the CommonJS packages it bundles
// (nunjucks) without a real `require` in scope.
const REQUIRE_SHIM =
  "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

// An SDK client's schemas name a trait by a computed key, `{ [_h]: ["POST", "/v2/email/outbound-emails"] }`,
// `_h` being a string constant of the same module ("http"). esbuild cannot tell that such a key has no
// side effect, so it kept every schema holding one, and all they name: a REST service's whole model (SES's
// 47 KB, where sending an email needs a few). The constant's text written as the key makes the same object
// and lets esbuild leave out the schemas of the commands a function never sends.
const SDK_SCHEMAS = /[\\/]@aws-sdk[\\/]client-[^\\/]+[\\/]dist-es[\\/]schemas[\\/]schemas_\d+\.js$/;
const STRING_CONSTANT = /^const (_\w+) = ("[^"\\\n]*");$/gm;
const COMPUTED_KEY = /([{,]\s*)\[(_\w+)\]:/g;

const literalSchemaKeys: Plugin = {
  name: 'literal-schema-keys',
  setup(esbuild) {
    esbuild.onLoad({ filter: SDK_SCHEMAS }, async ({ path }) => {
      const source = await readFile(path, 'utf8');
      const constants = new Map([...source.matchAll(STRING_CONSTANT)].map(([, name, text]) => [name, text]));
      const contents = source.replace(COMPUTED_KEY, (key, before: string, name: string) => {
        const text = constants.get(name);
        return text === undefined ? key : `${before}${text}:`;
      });
      return { contents, loader: 'js' };
    });
  },
};

/** One function to build: its handler module (relative to the project root) and its bundle's folder. */
export interface FunctionBuild {
  readonly entry: string;
  readonly outdir: string;
  readonly nativePackages?: readonly string[];
  /** False for a bundle without its source map (infra/functions.ts says which, and why). */
  readonly sourceMap?: boolean;
}

export function bundleOptions({
  entry,
  outdir,
  nativePackages = [],
  sourceMap = true,
}: FunctionBuild): BuildOptions {
  return {
    entryPoints: { index: join(PROJECT_ROOT, entry) },
    outdir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    mainFields: ['module', 'main'],
    // The pages render only templates compiled at build (infra/web-build.ts): Nunjucks' runtime without
    // its compiler, lexer and parser, and without the file-system loaders' watcher.
    alias: {
      nunjucks: 'nunjucks/browser/nunjucks-slim.js',
      '@aws-sdk/credential-provider-node': ENVIRONMENT_CREDENTIALS,
    },
    external: nativePackages.flatMap(platformBuilds),
    minify: true,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    sourcemap: sourceMap,
    sourcesContent: false,
    banner: { js: REQUIRE_SHIM },
    metafile: true,
    logLevel: 'warning',
    plugins: [literalSchemaKeys],
  };
}

/**
 * Builds the function whose handler module is `entry` (relative to the project root) into `outdir`,
 * with its native packages as installed in `outdir/node_modules`.
 */
export async function bundleFunction(functionBuild: FunctionBuild): Promise<Metafile> {
  const { entry, outdir, nativePackages = [] } = functionBuild;
  const { metafile: built } = await build(bundleOptions(functionBuild));
  if (!built) throw new Error(`esbuild gave no metafile for ${entry}`);
  const metafile = withoutOrphanChunks(built, relative(process.cwd(), join(outdir, 'index.mjs')));
  for (const output of Object.keys(metafile.outputs)) if (output.endsWith('.map')) keepOwnSources(output);
  const carried = new Set<string>();
  for (const build of nativePackages.flatMap(platformBuilds)) {
    if (isForLambda(lockedPackage(build) ?? {})) carryPackage(build, join(outdir, 'node_modules'), carried);
  }
  return metafile;
}

/**
 * Removes the chunks that nothing in the bundle imports, with their maps, and returns the metafile of what
 * is left. esbuild makes a chunk of every `import()` in a module it reads, even when it leaves out the
 * code holding it: the SDK's browser user agent parser (bowser, 34 KB) is such a chunk in every bundle of
 * an SDK client, and no code of the function can ever load it.
 */
function withoutOrphanChunks(metafile: Metafile, index: string): Metafile {
  const outputs = metafile.outputs;
  if (!(index in outputs)) throw new BundlingError(`esbuild wrote no ${index}`);
  const reached = new Set<string>();
  const next = [index];
  for (let path = next.pop(); path !== undefined; path = next.pop()) {
    if (reached.has(path)) continue;
    reached.add(path);
    for (const { path: imported } of outputs[path]?.imports ?? [])
      if (imported in outputs) next.push(imported);
  }
  const kept: Metafile['outputs'] = {};
  for (const [path, output] of Object.entries(outputs)) {
    const code = path.endsWith('.map') ? path.slice(0, -'.map'.length) : path;
    if (reached.has(code) || !code.endsWith('.mjs')) kept[path] = output;
    else rmSync(path);
  }
  return { ...metafile, outputs: kept };
}

/** bundleFunction for each build, side by side: esbuild spreads them over the cores. */
export async function bundleFunctions(builds: readonly FunctionBuild[]): Promise<void> {
  await Promise.all(builds.map(bundleFunction));
}

export class BundlingError extends Error {
  override name = 'BundlingError';
}

/** The platform a carried package's build must be for: Lambda's x86_64 Linux (glibc). */
export const LAMBDA_PLATFORM = { os: 'linux', cpu: 'x64', libc: 'glibc' } as const;

interface LockedPackage {
  readonly dependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
  readonly os?: readonly string[];
  readonly cpu?: readonly string[];
  readonly libc?: readonly string[];
}

let lockedPackages: Record<string, LockedPackage> | undefined;

/** The package as package-lock.json records it (its platform, whether or not it is installed here). */
function lockedPackage(name: string): LockedPackage | undefined {
  lockedPackages ??= (
    JSON.parse(readFileSync(join(PROJECT_ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, LockedPackage>;
    }
  ).packages;
  return lockedPackages[`node_modules/${name}`];
}

/** The builds of native package `name` for each platform: its optional dependencies. */
function platformBuilds(name: string): string[] {
  const builds = Object.keys(lockedPackage(name)?.optionalDependencies ?? {});
  if (builds.length === 0) throw new BundlingError(`${name} names no platform builds in package-lock.json`);
  return builds;
}

const isForLambda = (locked: LockedPackage) =>
  (locked.os ?? [LAMBDA_PLATFORM.os]).includes(LAMBDA_PLATFORM.os) &&
  (locked.cpu ?? [LAMBDA_PLATFORM.cpu]).includes(LAMBDA_PLATFORM.cpu) &&
  (locked.libc ?? [LAMBDA_PLATFORM.libc]).includes(LAMBDA_PLATFORM.libc);

/**
 * Copies the installed package `name` into `modules`, with its dependencies and those of its optional
 * dependencies that are built for Lambda (@img/sharp-linux-x64's libvips), none for another platform. A build for Lambda that is not installed (npm on another kind of machine skips it)
 * fails the bundling, naming the command that installs it.
 */
function carryPackage(name: string, modules: string, carried: Set<string>): void {
  if (carried.has(name)) return;
  carried.add(name);
  const installed = join(PROJECT_ROOT, 'node_modules', name);
  if (!existsSync(installed)) {
    throw new BundlingError(
      `${name} is not installed here for ${LAMBDA_PLATFORM.os}-${LAMBDA_PLATFORM.cpu}: run npm install --os=${LAMBDA_PLATFORM.os} --cpu=${LAMBDA_PLATFORM.cpu} --libc=${LAMBDA_PLATFORM.libc}`,
    );
  }
  cpSync(installed, join(modules, name), { recursive: true });
  const locked = lockedPackage(name) ?? {};
  for (const dependency of Object.keys(locked.dependencies ?? {})) carryPackage(dependency, modules, carried);
  for (const optional of Object.keys(locked.optionalDependencies ?? {})) {
    const entry = lockedPackage(optional);
    if (entry && isForLambda(entry)) carryPackage(optional, modules, carried);
  }
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
