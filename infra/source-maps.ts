// A bundle's source maps keep the service's own code only. Lambda runs each function with
// `--enable-source-maps` (infra/constructs/service-function.ts), so Node reads and parses the map of
// every module it loads at each cold start; mapped in full, the AWS SDK and the other packages inside a
// bundle made its maps two to three times the size of its code. A stack trace still names the service's
// files and lines; a frame inside a package keeps its place in the bundle, which the package's version
// (package-lock.json) identifies.
import { readFileSync, writeFileSync } from 'node:fs';
import { decode, encode, type SourceMapSegment } from '@jridgewell/sourcemap-codec';

/** The parts of a source map (version 3) this module reads and writes. */
interface SourceMap {
  readonly version: number;
  readonly sources: readonly string[];
  readonly names: readonly string[];
  readonly mappings: string;
  readonly sourcesContent?: readonly (string | null)[];
}

/**
 * `map` with only the mappings into the sources `keep` accepts: a range of generated code mapped to
 * another source becomes unmapped (not left to the mapping before it), and the sources and names no
 * mapping uses any more go. The mappings are read and written by the codec Rollup, Vite and vitest
 * share (@jridgewell/sourcemap-codec).
 */
export function keepSources(map: SourceMap, keep: (source: string) => boolean): SourceMap {
  const kept = map.sources.map((source) => keep(source));
  const sources = new Map<number, number>();
  const names = new Map<number, number>();
  const renumber = (numbers: Map<number, number>, index: number) => {
    const next = numbers.get(index) ?? numbers.size;
    numbers.set(index, next);
    return next;
  };
  const mappings = decode(map.mappings).map((line) =>
    line.map((segment): SourceMapSegment => {
      if (segment.length === 1 || !kept[segment[1]]) return [segment[0]];
      const [column, source, sourceLine, sourceColumn] = segment;
      const at = renumber(sources, source);
      return segment.length === 5
        ? [column, at, sourceLine, sourceColumn, renumber(names, segment[4])]
        : [column, at, sourceLine, sourceColumn];
    }),
  );
  const byNewIndex = <T>(numbers: Map<number, number>, values: readonly T[]) =>
    [...numbers].sort((a, b) => a[1] - b[1]).map(([old]) => values[old] as T);
  return {
    ...map,
    sources: byNewIndex(sources, map.sources),
    names: byNewIndex(names, map.names),
    mappings: encode(mappings),
    ...(map.sourcesContent && { sourcesContent: byNewIndex(sources, map.sourcesContent) }),
  };
}

/** A source of this project's own, not of an installed package. */
export const isOwnSource = (source: string) => !/(?:^|\/)node_modules\//.test(source);

/** Rewrites the map `file` to map the project's own sources only. */
export function keepOwnSources(file: string): void {
  const map = JSON.parse(readFileSync(file, 'utf8')) as SourceMap;
  writeFileSync(file, JSON.stringify(keepSources(map, isOwnSource)));
}
