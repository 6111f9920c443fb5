// Each function's bundle as CDK builds it (infra/bundling.ts): its size against issue 15's targets, the
// modules that take most of it (from esbuild's metafile), and the time a fresh Node process takes to
// load it, with the AWS SDK it imports, beside the time to load an empty module. Beside each, the same
// function with the SDK bundled into its one file (the issue's other choice, at 600 and 700 KB), which
// the README weighs against taking the runtime's.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build, type Metafile } from 'esbuild';
import { bundleFunction, bundleOptions } from '#infra/bundling.ts';
import { copyPageFiles } from '#infra/constructs/service-function.ts';
import { type FunctionSpec, functionSpecs } from '#infra/functions.ts';
import { kb, ms, target, write } from '#test/bench/figures.ts';

const run = promisify(execFile);
const API_LIMIT = 300 * 1024;
const WORKFLOW_LIMIT = 400 * 1024;
const API_LIMIT_SDK_BUNDLED = 600 * 1024;
const WORKFLOW_LIMIT_SDK_BUNDLED = 700 * 1024;
const LOAD_LIMIT_MS = 80;
const WEB_FOLDER_LIMIT = 1024 * 1024;
/** What an API function's bundle imports from the runtime, to tell its share of a load time. */
const SDK_OF_AN_API_FUNCTION = ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb', '@aws-sdk/client-sfn'];
const LOADS = 5;
const TOP_MODULES = 5;
const RUNTIME_SDK = pathToFileURL(
  join(import.meta.dirname, '../../infra/local/deployed/runtime-sdk.ts'),
).href;

// A fresh process, as a cold start: the runtime's SDK provided, then the timed import of the module, its
// wall-clock time and the CPU time the process spent on it (which a loaded machine inflates far less).
const LOADER = `
const [module, runtimeSdk] = process.argv.slice(1);
(await import(runtimeSdk)).provideRuntimeSdk();
const start = performance.now();
const cpu = process.cpuUsage();
await import(module);
const { user, system } = process.cpuUsage(cpu);
process.stdout.write(JSON.stringify({ wall: performance.now() - start, cpu: (user + system) / 1000 }));
`;

interface LoadTime {
  readonly wall: number;
  readonly cpu: number;
}

// Enough settings for a module's top level (the handlers read the rest on their first call).
const LOAD_ENV = {
  PATH: process.env.PATH ?? '',
  AWS_REGION: 'eu-west-2',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  POWERTOOLS_METRICS_DISABLED: 'true',
  CASES_TABLE: 'cases',
  STATISTICS_TABLE: 'statistics',
  IDEMPOTENCY_TABLE: 'idempotency',
  EVIDENCE_BUCKET: 'evidence',
  STATE_MACHINE_ARN: 'arn:aws:states:eu-west-2:000000000000:stateMachine:case-review',
  STAFF_TOKEN_ISSUER: 'https://issuer.bench',
  STAFF_TOKEN_AUDIENCE: 'bench',
  STAFF_TOKEN_JWKS_URL: 'https://issuer.bench/jwks.json',
  WEB_SESSION_SECRET: Buffer.alloc(32, 7).toString('base64'),
  // The notifier one machine uses (the outbox), whose folder is named at load.
  DATA_DIR: tmpdir(),
  SITE_URL: 'https://asb.bench',
};

/** The load of the median of LOADS fresh processes, by wall-clock time. */
async function loadTime(file: string): Promise<LoadTime> {
  const times: LoadTime[] = [];
  for (let i = 0; i < LOADS; i += 1) {
    const { stdout } = await run(
      process.execPath,
      ['--input-type=module', '-e', LOADER, pathToFileURL(file).href, RUNTIME_SDK],
      // The pages' built files are in their bundle's folder, as Lambda's /var/task.
      { env: { ...LOAD_ENV, WEB_ROOT: dirname(file) } },
    ).catch((error: { stderr?: string }) => {
      throw new Error(`${file} did not load: ${(error.stderr ?? '').split('\n').slice(-12).join('\n')}`);
    });
    times.push(JSON.parse(stdout) as LoadTime);
  }
  const byWall = times.sort((a, b) => a.wall - b.wall);
  return byWall[Math.floor(byWall.length / 2)] as LoadTime;
}

function folderBytes(path: string, maps = false): number {
  return readdirSync(path, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && (maps || !entry.name.endsWith('.map')))
    .reduce((total, entry) => total + statSync(join(entry.parentPath, entry.name)).size, 0);
}

/** The handler module's inputs by package (or by folder of this project), largest first. */
function topModules(metafile: Metafile): string {
  const output = Object.entries(metafile.outputs).find(([path]) => path.endsWith('/index.mjs'))?.[1];
  const byPackage = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
    const name =
      /^(?:.*\/)?node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? path.split('/').slice(0, 2).join('/');
    byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
  }
  return [...byPackage]
    .sort((a, b) => b[1] - a[1])
    .slice(0, TOP_MODULES)
    .map(([name, bytes]) => `${name} ${kb(bytes)}`)
    .join(', ');
}

const isWorkflow = (spec: FunctionSpec) => spec.workflow || spec.routes.length === 0;
const limitOf = (spec: FunctionSpec) => (isWorkflow(spec) ? WORKFLOW_LIMIT : API_LIMIT);
const limitWithSdkOf = (spec: FunctionSpec) =>
  isWorkflow(spec) ? WORKFLOW_LIMIT_SDK_BUNDLED : API_LIMIT_SDK_BUNDLED;

/**
 * The function with the AWS SDK inside its one `index.mjs` (no chunks), as a deployment pinning it would
 * be, beside the native packages carried in the bundle `asBuilt`.
 */
async function bundleWithSdk(spec: FunctionSpec, outdir: string, asBuilt: string): Promise<string> {
  await build({ ...bundleOptions({ ...spec, outdir }), plugins: [], splitting: false });
  if (spec.nativePackages) symlinkSync(join(asBuilt, 'node_modules'), join(outdir, 'node_modules'));
  return join(outdir, 'index.mjs');
}

const loadFigure = (time: LoadTime, floor: LoadTime) =>
  `${ms(time.wall)}, +${ms(time.wall - floor.wall)} over the empty module (CPU ${ms(time.cpu)}, +${ms(time.cpu - floor.cpu)})`;

export async function bundles(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'asb-bench-bundles-'));
  try {
    write('Bundles (infra/bundling.ts, as CDK builds them): index.mjs, the folder without maps, top modules');
    const loads: { spec: FunctionSpec; file: string; withSdk: string }[] = [];
    for (const spec of functionSpecs) {
      const outdir = join(root, spec.id);
      const metafile = await bundleFunction({ ...spec, outdir });
      const pages = spec.entry.startsWith('functions/web/');
      if (pages) copyPageFiles(outdir);
      const file = join(outdir, 'index.mjs');
      const size = statSync(file).size;
      const withSdk = await bundleWithSdk(spec, join(root, `${spec.id}-sdk`), outdir);
      if (pages) copyPageFiles(dirname(withSdk));
      loads.push({ spec, file, withSdk });
      write(
        `   ${spec.id.padEnd(16)} ${kb(size).padStart(7)}  folder ${kb(folderBytes(outdir)).padStart(7)}`,
      );
      write(`      ${topModules(metafile)}`);
      write(
        `      with the SDK bundled: ${kb(statSync(withSdk).size)} (the issue allows ${kb(limitWithSdkOf(spec))} so)`,
      );
      target({
        name: `bundle ${spec.id}`,
        figure: kb(size),
        target: `<= ${kb(limitOf(spec))}, SDK from the runtime`,
        met: size <= limitOf(spec),
      });
      if (pages) {
        const folder = folderBytes(outdir, true);
        target({
          name: `the ${spec.id} function's folder`,
          figure: `${kb(folder)}, every file in it (a source map too, if it had one)`,
          target: `<= ${kb(WEB_FOLDER_LIMIT)}`,
          met: folder <= WEB_FOLDER_LIMIT,
        });
      }
    }
    write();
    const empty = join(root, 'empty.mjs');
    writeFileSync(empty, 'export {};\n');
    const floor = await loadTime(empty);
    write(
      `Module load in a fresh Node ${process.versions.node} (median of ${LOADS}, the SDK it imports included)`,
    );
    write(`   empty module ${ms(floor.wall)} (the floor), ${ms(floor.cpu)} of CPU`);
    const sdk = join(root, 'sdk.mjs');
    writeFileSync(sdk, SDK_OF_AN_API_FUNCTION.map((name) => `import '${name}';\n`).join(''));
    write(
      `   the SDK an API function imports (${SDK_OF_AN_API_FUNCTION.join(', ')}), alone: ${ms((await loadTime(sdk)).wall)}`,
    );
    for (const { spec, file, withSdk } of loads) {
      const time = await loadTime(file);
      target({
        name: `load ${spec.id}`,
        figure: loadFigure(time, floor),
        target: `<= +${LOAD_LIMIT_MS} ms`,
        met: time.wall - floor.wall <= LOAD_LIMIT_MS,
      });
      write(`      with the SDK bundled: ${loadFigure(await loadTime(withSdk), floor)}`);
    }
    write();
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
