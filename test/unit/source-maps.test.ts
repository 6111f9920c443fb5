import { SourceMap } from 'node:module';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { isOwnSource, keepSources } from '#infra/source-maps.ts';

// A handler of the project's own calling an installed package, bundled as infra/bundling.ts does.
const FILES: Record<string, string> = {
  '/project/handler.js': [
    "import { pairOf } from 'pkg';",
    'export function handler(value) {',
    '  const pair = pairOf(value);',
    '  return pair.length;',
    '}',
  ].join('\n'),
  '/project/node_modules/pkg/index.js': [
    'export function pairOf(item) {',
    '  const copied = structuredClone(item);',
    '  return [item, copied];',
    '}',
  ].join('\n'),
};

async function bundled(): Promise<{ code: string; map: ConstructorParameters<typeof SourceMap>[0] }> {
  const { outputFiles } = await build({
    entryPoints: ['/project/handler.js'],
    bundle: true,
    format: 'esm',
    minify: true,
    sourcemap: 'external',
    sourcesContent: false,
    write: false,
    outdir: '/project/out',
    absWorkingDir: '/project',
    plugins: [
      {
        name: 'in-memory',
        setup(esbuild) {
          esbuild.onResolve({ filter: /^pkg$/ }, () => ({ path: '/project/node_modules/pkg/index.js' }));
          esbuild.onResolve({ filter: /^\// }, ({ path }) => ({ path }));
          esbuild.onLoad({ filter: /.*/ }, ({ path }) => ({ contents: FILES[path] ?? '', loader: 'js' }));
        },
      },
    ],
  });
  const text = (suffix: string) => outputFiles.find(({ path }) => path.endsWith(suffix))?.text ?? '';
  return { code: text('.js'), map: JSON.parse(text('.js.map')) };
}

/** Every generated position of `code` with what `map` says it came from. */
function positions(code: string, map: SourceMap) {
  return code.split('\n').flatMap((line, lineNumber) =>
    [...line].map((_, column) => {
      const entry = map.findEntry(lineNumber, column) as { originalSource?: string };
      return { lineNumber, column, entry };
    }),
  );
}

describe('keepSources', () => {
  it('maps the project’s own code exactly as before', async () => {
    // Prepare
    const { code, map } = await bundled();

    // Act
    const kept = new SourceMap(keepSources(map, isOwnSource) as typeof map);

    // Assess
    const before = positions(code, new SourceMap(map)).filter(
      ({ entry }) => entry.originalSource !== undefined && isOwnSource(entry.originalSource),
    );
    expect(before.length).toBeGreaterThan(0);
    for (const { lineNumber, column, entry } of before) {
      expect(kept.findEntry(lineNumber, column)).toEqual(entry);
    }
  });

  it('leaves the code of installed packages unmapped, and keeps no source or name only they used', async () => {
    // Prepare
    const { code, map } = await bundled();

    // Act
    const trimmed = keepSources(map, isOwnSource);

    // Assess
    const fromPackage = positions(code, new SourceMap(map)).filter(
      ({ entry }) => entry.originalSource?.includes('node_modules/') === true,
    );
    expect(fromPackage.length).toBeGreaterThan(0);
    const kept = new SourceMap(trimmed as typeof map);
    for (const { lineNumber, column } of fromPackage) {
      expect(
        (kept.findEntry(lineNumber, column) as { originalSource?: string }).originalSource,
      ).toBeUndefined();
    }
    expect(trimmed.sources).toEqual(map.sources.filter(isOwnSource));
    expect(map.names).toContain('copied');
    expect(trimmed.names).not.toContain('copied');
  });

  it('changes nothing when every source is kept', async () => {
    // Prepare
    const { code, map } = await bundled();

    // Act
    const kept = new SourceMap(keepSources(map, () => true) as typeof map);

    // Assess
    const original = new SourceMap(map);
    for (const { lineNumber, column, entry } of positions(code, original)) {
      expect(kept.findEntry(lineNumber, column)).toEqual(entry);
    }
  });
});
