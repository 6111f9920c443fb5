// What the pages need built before they run: their templates, compiled, and their static files for the
// edge.
//
// The templates (this service's views and the GOV.UK Frontend macros they reach) are compiled by Nunjucks
// here, minified, into one CommonJS module per door (.build/web/templates.<door>.cjs, the views of that
// door's folders and what they reach) that its pages load once (functions/web/render/renderer.ts): no page
// waits for a template to compile, each page function's bundle carries only its own door's templates, and
// Nunjucks' runtime without its compiler (infra/bundling.ts).
//
// The static files: the pages' stylesheet, compiled from Sass (functions/web/assets/app.scss: GOV.UK
// Frontend's core and only the components the views use), their scripts, bundled with only the GOV.UK
// Frontend modules they import (app.mjs: those of the components the views use), both checked against the
// views, and GOV.UK Frontend's images go into one flat folder, each named by a hash of its content
// (app.css becomes app.<hash>.css), so that CloudFront and browsers keep them for a year without asking
// again (infra/constructs/web-distribution.ts puts the folder in S3 behind /assets/*; the local gateway
// serves the same folder with the same headers). A file that names another (the stylesheet an image, the
// web manifest its icons) names it by its hashed name, so its own hash changes with what it names. The pages link the files through the
// manifest written beside the folder (functions/web/render/renderer.ts): logical name to hashed name.
//
// It runs before anything serves the pages: `npm start` (both modes), the tests' global set-up, and
// synthesis. Runs at once write the same names with the same content, each file written whole (a temporary
// file renamed), so none of them sees half a file.
import { createHash, randomUUID } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, extname, join, posix, relative } from 'node:path';
import { buildSync, transformSync } from 'esbuild';
import nunjucks from 'nunjucks';
import { compile, info as sassVersion } from 'sass';
import {
  ASSET_MANIFEST,
  builtTemplates,
  DOOR_VIEWS,
  type Door,
  TEMPLATE_OPTIONS,
  WEB_BUILD,
} from '#web/web-paths.ts';

const PROJECT_ROOT = join(import.meta.dirname, '..');

/** The folder of hashed files in WEB_BUILD, and the path they are served under. */
export const ASSETS = 'assets';

/** The folder of hashed files the build writes under `root`. */
export function assetsFolder(root: string = PROJECT_ROOT): string {
  return join(root, WEB_BUILD, ASSETS);
}

/** Every file has a hash in its name, so none ever changes: a year, and never revalidated. */
export const ASSET_CACHE_CONTROL = 'public, max-age=31536000, immutable';

/** The content type of each kind of file the folder holds; the build refuses any other. */
export const ASSET_TYPES: Readonly<Record<string, string>> = {
  '.css': 'text/css; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

const TEXT = new Set(['.css', '.mjs', '.json', '.svg']);

const GOVUK_TEMPLATES = 'node_modules/govuk-frontend/dist';
const GOVUK_FRONTEND = `${GOVUK_TEMPLATES}/govuk`;
const SERVICE_ASSETS = 'functions/web/assets';
const VIEWS = 'functions/web/views';

/** A file to build: its logical name (as the pages and the other files name it), where it is, and its
 * content where the build made it. */
interface SourceFile {
  readonly name: string;
  readonly path: string;
  readonly content?: Buffer;
}

function sources(root: string): SourceFile[] {
  const inFolder = (folder: string, prefix = '') =>
    readdirSync(join(root, folder), { withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => ({ name: `${prefix}${entry.name}`, path: join(root, folder, entry.name) }));
  const used = componentsTheViewsUse(root);
  return [
    ...inFolder(SERVICE_ASSETS).map((file) => {
      const extension = extname(file.name);
      if (extension === '.scss') {
        const name = `${basename(file.name, extension)}.css`;
        return { name, path: file.path, content: stylesheet(root, file.path, used) };
      }
      return extension === '.mjs' ? { ...file, content: script(root, file.path, used) } : file;
    }),
    { name: 'manifest.json', path: join(root, GOVUK_FRONTEND, 'assets/manifest.json') },
    ...inFolder(`${GOVUK_FRONTEND}/assets/images`, 'images/'),
  ];
}

export class WebBuildError extends Error {
  override name = 'WebBuildError';
}

/** Each GOV.UK Frontend component a view uses, by its macro or its classes, and the first view to use it. */
function componentsTheViewsUse(root: string): ReadonlyMap<string, string> {
  const components = readdirSync(join(root, GOVUK_FRONTEND, 'components'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
  const use = new RegExp(
    `govuk/components/(${components.join('|')})/macro\\.njk|\\bgovuk-(${components.join('|')})(?=__|--|[^\\w-])`,
    'g',
  );
  const used = new Map<string, string>();
  for (const view of viewNames(join(root, VIEWS))) {
    for (const [, macro, classed] of readFileSync(join(root, VIEWS, view), 'utf8').matchAll(use)) {
      const component = (macro ?? classed) as string;
      if (!used.has(component)) used.set(component, `${VIEWS}/${view}`);
    }
  }
  return used;
}

// A component's styles as a URL the compiler loaded (its mixins alone, which another component may load,
// are not its styles).
const COMPONENT_STYLES = /\/govuk\/components\/([a-z-]+)\/_index\.scss$/;

/**
 * A stylesheet of the service's, compiled (GOV.UK Frontend's Sass loaded as `govuk/...`, its warnings
 * about its own code left to it). The pages link the one, so it must style every GOV.UK Frontend
 * component a view uses: the build refuses it otherwise, naming the view.
 */
function stylesheet(root: string, path: string, used: ReadonlyMap<string, string>): Buffer {
  const { css, loadedUrls } = compile(path, {
    loadPaths: [join(root, GOVUK_TEMPLATES)],
    style: 'compressed',
    // Served as UTF-8 (ASSET_TYPES), so no byte order mark to say so.
    charset: false,
    quietDeps: true,
  });
  const styled = new Set(loadedUrls.map((url) => COMPONENT_STYLES.exec(url.pathname)?.[1]));
  for (const [component, view] of used) {
    if (!styled.has(component)) {
      throw new WebBuildError(
        `${view} uses GOV.UK Frontend's ${component}, whose styles ${relative(root, path)} does not load`,
      );
    }
  }
  return Buffer.from(css);
}

// A component's script as a module of the bundle.
const COMPONENT_SCRIPT = /govuk\/components\/([a-z-]+)\/\1\.mjs$/;
/** The script every page loads. */
const PAGES_SCRIPT = 'app.mjs';

/**
 * A script of the service's, bundled with the GOV.UK Frontend modules it imports (only those: GOV.UK
 * Frontend's own bundle sets up every component it has) and minified. Every page loads app.mjs, so it must
 * set up every component a view uses that has a script: the build refuses it otherwise, naming the view.
 */
function script(root: string, path: string, used: ReadonlyMap<string, string>): Buffer {
  const { outputFiles, metafile } = buildSync({
    entryPoints: [path],
    bundle: true,
    minify: true,
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  // Every module esbuild read, less those of which nothing is left in the bundle.
  const output = Object.values(metafile.outputs)[0]?.inputs ?? {};
  const bundled = new Set(
    Object.entries(output)
      .filter(([, { bytesInOutput }]) => bytesInOutput > 0)
      .map(([input]) => COMPONENT_SCRIPT.exec(input)?.[1]),
  );
  if (basename(path) === PAGES_SCRIPT) {
    for (const [component, view] of used) {
      const hasScript = existsSync(join(root, GOVUK_FRONTEND, 'components', component, `${component}.mjs`));
      if (hasScript && !bundled.has(component)) {
        throw new WebBuildError(
          `${view} uses GOV.UK Frontend's ${component}, whose script ${relative(root, path)} does not set up`,
        );
      }
    }
  }
  return Buffer.from((outputFiles[0] as { contents: Uint8Array }).contents);
}

/** Logical name to hashed file name, as the manifest holds it. */
export type AssetManifest = Readonly<Record<string, string>>;

function fingerprint(files: readonly SourceFile[]): Map<string, { file: string; content: Buffer }> {
  const byName = new Map(files.map((file) => [file.name, file]));
  const escaped = [...byName.keys()]
    .sort((a, b) => b.length - a.length)
    .map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  // A name as a stylesheet's url() or the web manifest's "src" writes it.
  const reference = new RegExp(`(/assets/|")(${escaped.join('|')})(?=[)"'\\s])`, 'g');
  const built = new Map<string, { file: string; content: Buffer }>();
  const building = new Set<string>();

  const build = (name: string): string => {
    const done = built.get(name);
    if (done) return done.file;
    const source = byName.get(name);
    if (!source) throw new WebBuildError(`No static file is named ${name}`);
    if (building.has(name)) throw new WebBuildError(`${name} names itself through the files it names`);
    building.add(name);
    const extension = extname(name);
    if (!ASSET_TYPES[extension]) throw new WebBuildError(`${source.path}: no content type for ${extension}`);
    let content = source.content ?? readFileSync(source.path);
    if (TEXT.has(extension)) {
      content = Buffer.from(
        content
          .toString('utf8')
          .replace(reference, (_, prefix: string, named: string) =>
            named === name ? `${prefix}${named}` : `${prefix}${build(named)}`,
          ),
      );
    }
    const hash = createHash('sha256').update(content).digest('hex').slice(0, 12);
    const file = `${basename(name, extension)}.${hash}${extension}`;
    built.set(name, { file, content });
    building.delete(name);
    return file;
  };
  for (const name of byName.keys()) build(name);
  return built;
}

function writeWhole(path: string, content: Buffer | string): void {
  const temporary = `${path}.${randomUUID()}.tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, path);
}

/**
 * Builds the pages' static files into `<root>/.build/web` (the project's own by default) and returns the
 * manifest; files of earlier builds that this one does not name are removed.
 */
export function buildWebAssets(root: string = PROJECT_ROOT): AssetManifest {
  const out = join(root, WEB_BUILD);
  const folder = assetsFolder(root);
  mkdirSync(folder, { recursive: true });
  const built = fingerprint(sources(root));
  const files = new Set<string>();
  for (const [name, { file, content }] of built) {
    if (files.has(file)) throw new WebBuildError(`Two static files would both be ${file} (${name})`);
    files.add(file);
    if (!existsSync(join(folder, file))) writeWhole(join(folder, file), content);
  }
  const manifest: AssetManifest = Object.fromEntries([...built].map(([name, { file }]) => [name, file]));
  writeWhole(join(out, ASSET_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  for (const stale of readdirSync(folder)) {
    // Another run's file being written is not stale.
    if (!files.has(stale) && !stale.endsWith('.tmp')) rmSync(join(folder, stale), { force: true });
  }
  return manifest;
}

const DOORS = Object.keys(DOOR_VIEWS) as Door[];
// A template another names by a literal: {% extends %}, {% include %}, {% import %}, {% from %}.
const NAMED_TEMPLATE = /env\.getTemplate\("((?:[^"\\]|\\.)*)"/g;

function viewNames(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.njk'))
    .map((entry) => posix.join(posix.relative(folder, entry.parentPath).split('\\').join('/'), entry.name))
    .sort();
}

const compiling = new nunjucks.Environment([], TEMPLATE_OPTIONS);

// The compiled template itself, without Nunjucks' wrapping for a browser's global (its types give one
// template where Nunjucks passes the list of them).
const compiledCode = (templates: unknown) => (templates as [{ template: string }])[0].template;

// Compiled code calls these functions of Nunjucks' runtime by their full names thousands of times
// (`runtime.contextOrFrameLookup(context, frame, "name")`: a sixth of the module), and reads the
// environment's autoescaping at each value it writes and its filters at each use. Every render and
// import enters a template through its root function before any of its blocks or macros runs, so each
// root hands the runtime and the environment to the module, which names these once by locals the
// minifier shortens.
const RUNTIME_CALLS = ['contextOrFrameLookup', 'memberLookup', 'suppressValue', 'callWrap'] as const;
const RUNTIME_CALL = new RegExp(`\\bruntime\\.(${RUNTIME_CALLS.join('|')})\\(`, 'g');
const AUTOESCAPE = /\benv\.opts\.autoescape\b/g;
const HAS_OWN = /\bObject\.prototype\.hasOwnProperty\.call\(/g;
const FILTER_CALL = /\benv\.getFilter\(("(?:[^"\\\n]|\\.)*")\)\.call\(context, /g;
const ROOT = 'function root(env, context, frame, runtime, cb) {\n';

// Code Nunjucks writes out whole at each use, in lines of its own (so no view's text, which it writes as
// one-line string literals, can read as it), and the module's function that does the same.
const STATEMENTS: readonly { readonly code: RegExp; readonly by: string }[] = [
  // `{% set %}` of a name that an importing template may take.
  {
    code: /frame\.set\(("(?:[^"\\\n]|\\.)*"), (t_\d+), true\);\nif\(frame\.topLevel\) \{\ncontext\.setVariable\(\1, \2\);\n\}\nif\(frame\.topLevel\) \{\ncontext\.addExport\(\1, \2\);\n\}\n/g,
    by: '$$set(frame, context, $1, $2);\n',
  },
  // A name that `{% from %}` imports, taken from what the template exports, or the import's error.
  {
    code: /if\(Object\.prototype\.hasOwnProperty\.call\((t_\d+), "([A-Za-z_$][\w$]*)"\)\) \{\nvar (t_\d+) = \1\.\2;\n\} else \{\ncb\(new Error\("cannot import '\2'"\)\); return;\n\}\n/g,
    by: 'var $3 = $$exported($1, "$2", cb);\nif ($3 === $$NOT_EXPORTED) return;\n',
  },
  // The `loop` variables of each turn of a `{% for %}`.
  {
    code: /frame\.set\("loop\.index", (t_\d+) \+ 1\);\nframe\.set\("loop\.index0", \1\);\nframe\.set\("loop\.revindex", (t_\d+) - \1\);\nframe\.set\("loop\.revindex0", \2 - \1 - 1\);\nframe\.set\("loop\.first", \1 === 0\);\nframe\.set\("loop\.last", \1 === \2 - 1\);\nframe\.set\("loop\.length", \2\);\n/g,
    by: '$$loop(frame, $1, $2);\n',
  },
];

const RUNTIME_LOCALS = `var ${RUNTIME_CALLS.map((call) => `$${call}`).join(', ')}, $autoescape;
function $runtime(runtime, env) {
${RUNTIME_CALLS.map((call) => `  $${call} = runtime.${call};`).join('\n')}
  $autoescape = env.opts.autoescape;
}
var $hasOwn = Function.prototype.call.bind(Object.prototype.hasOwnProperty);
var $NOT_EXPORTED = {};
function $exported(exported, name, cb) {
  if ($hasOwn(exported, name)) return exported[name];
  cb(new Error("cannot import '" + name + "'"));
  return $NOT_EXPORTED;
}
function $filter(env, name, context, ...args) {
  return env.getFilter(name).call(context, ...args);
}
function $set(frame, context, name, value) {
  frame.set(name, value, true);
  if (frame.topLevel) {
    context.setVariable(name, value);
    context.addExport(name, value);
  }
}
function $loop(frame, i, length) {
  frame.set("loop.index", i + 1);
  frame.set("loop.index0", i);
  frame.set("loop.revindex", length - i);
  frame.set("loop.revindex0", length - i - 1);
  frame.set("loop.first", i === 0);
  frame.set("loop.last", i === length - 1);
  frame.set("loop.length", length);
}
`;

function withRuntimeLocals(name: string, source: string, code: string): string {
  // Text of a view that reads as such code would be rewritten with the code.
  if ([RUNTIME_CALL, AUTOESCAPE, HAS_OWN, FILTER_CALL].some((code) => new RegExp(code.source).test(source)))
    throw new WebBuildError(`${name} writes a call of Nunjucks' runtime as text`);
  if (!code.startsWith(ROOT)) throw new WebBuildError(`${name} compiled without its root function first`);
  const body = STATEMENTS.reduce(
    (text, { code: statement, by }) => text.replace(statement, by),
    code.slice(ROOT.length),
  )
    .replace(RUNTIME_CALL, (_, call: string) => `$${call}(`)
    .replace(AUTOESCAPE, '$autoescape')
    .replace(FILTER_CALL, '$$filter(env, $1, context, ')
    .replace(HAS_OWN, '$hasOwn(');
  return `${ROOT}$runtime(runtime, env);\n${body}`;
}

/** Where a view is, as DOOR_VIEWS names folders: its first folder under the views, '' at their top. */
const folderOf = (view: string) => (view.includes('/') ? (view.split('/')[0] as string) : '');

/**
 * Compiles every view of the service and every GOV.UK Frontend template they reach, once, and writes each
 * door's into `<root>/.build/web/templates.<door>.cjs`: the views of its folders (DOOR_VIEWS) and the
 * templates they name, by the names the pages render them by (a view's path under functions/web/views,
 * GOV.UK Frontend's as `govuk/...`). Returns each door's names.
 */
export function buildWebTemplates(root: string = PROJECT_ROOT): Record<Door, string[]> {
  const folders = [join(root, VIEWS), join(root, GOVUK_TEMPLATES)];
  const views = viewNames(folders[0] as string);
  const compiled = new Map<string, { readonly code: string; readonly named: readonly string[] }>();
  const compile = (name: string) => {
    const done = compiled.get(name);
    if (done) return done;
    const file = folders.map((folder) => join(folder, name)).find((path) => existsSync(path));
    if (!file) throw new WebBuildError(`No template ${name}`);
    const source = readFileSync(file, 'utf8');
    const code = withRuntimeLocals(
      name,
      source,
      nunjucks.precompileString(source, { name, env: compiling, wrapper: compiledCode }),
    );
    const named = [...code.matchAll(NAMED_TEMPLATE)].map(([, literal = '']) => {
      const named = JSON.parse(`"${literal}"`) as string;
      // As renderer.ts resolves them: "./" and "../" from the naming template's folder.
      return /^\.\.?\//.test(named) ? posix.join(posix.dirname(name), named) : named;
    });
    const template = { code, named };
    compiled.set(name, template);
    return template;
  };
  const byDoor = {} as Record<Door, string[]>;
  for (const door of DOORS) {
    const reached = new Set<string>();
    const pending = views.filter((view) => DOOR_VIEWS[door].includes(folderOf(view)));
    for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
      if (reached.has(name)) continue;
      reached.add(name);
      pending.push(...compile(name).named);
    }
    byDoor[door] = [...reached].sort();
  }
  mkdirSync(join(root, WEB_BUILD), { recursive: true });
  for (const door of DOORS) {
    const source = `${RUNTIME_LOCALS}module.exports = {\n${byDoor[door]
      .map((name) => `${JSON.stringify(name)}: (function() {\n${compiled.get(name)?.code}\n})(),`)
      .join('\n')}\n};\n`;
    const { code } = transformSync(source, { minify: true, format: 'cjs', target: 'node24', loader: 'js' });
    writeWhole(join(root, WEB_BUILD, builtTemplates(door)), code);
  }
  return byDoor;
}

// What the build reads: this module, the service's views and static files, and GOV.UK Frontend's
// version (its templates and files change only with it); and the version of Sass compiling the stylesheet.
const BUILD_INPUTS = [
  'infra/web-build.ts',
  VIEWS,
  SERVICE_ASSETS,
  'node_modules/govuk-frontend/package.json',
];
const INPUTS_HASH = 'inputs.sha256';

function inputsHash(root: string): string {
  const hash = createHash('sha256').update(sassVersion).update('\0');
  for (const input of BUILD_INPUTS) {
    const path = join(root, input);
    const files = statSync(path).isDirectory()
      ? readdirSync(path, { recursive: true, withFileTypes: true })
          .filter((entry) => entry.isFile())
          .map((entry) => join(entry.parentPath, entry.name))
          .sort()
      : [path];
    for (const file of files)
      hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

function readIfBuilt(root: string, inputs: string): AssetManifest | undefined {
  const out = join(root, WEB_BUILD);
  try {
    if (readFileSync(join(out, INPUTS_HASH), 'utf8') !== inputs) return undefined;
    const manifest = JSON.parse(readFileSync(join(out, ASSET_MANIFEST), 'utf8')) as AssetManifest;
    const complete =
      DOORS.every((door) => existsSync(join(out, builtTemplates(door)))) &&
      Object.values(manifest).every((file) => existsSync(join(assetsFolder(root), file)));
    return complete ? manifest : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Everything the pages need built, their templates and their static files; nothing is built again while
 * what the build reads is unchanged (every service a test run starts asks, and compiling the templates
 * takes about a second).
 */
export function buildWeb(root: string = PROJECT_ROOT): AssetManifest {
  const inputs = inputsHash(root);
  const built = readIfBuilt(root, inputs);
  if (built) return built;
  buildWebTemplates(root);
  const manifest = buildWebAssets(root);
  writeWhole(join(root, WEB_BUILD, INPUTS_HASH), inputs);
  return manifest;
}

if (import.meta.main) {
  const manifest = buildWeb();
  process.stdout.write(
    `Built the pages' templates and ${Object.keys(manifest).length} static files into ${WEB_BUILD}\n`,
  );
}
