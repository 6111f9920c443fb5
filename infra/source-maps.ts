// A bundle's source maps keep the service's own code only. Lambda runs each function with
// `--enable-source-maps` (infra/constructs/service-function.ts), so Node reads and parses the map of
// every module it loads at each cold start; mapped in full, the AWS SDK and the other packages inside a
// bundle made its maps two to three times the size of its code. A stack trace still names the service's
// files and lines; a frame inside a package keeps its place in the bundle, which the package's version
// (package-lock.json) identifies.
import { readFileSync, writeFileSync } from 'node:fs';

/** The parts of a source map (version 3) this module reads and writes. */
interface SourceMap {
  readonly version: number;
  readonly sources: readonly string[];
  readonly names: readonly string[];
  readonly mappings: string;
  readonly sourcesContent?: readonly (string | null)[];
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Map([...BASE64].map((character, value) => [character, value]));

/** A segment's fields as absolute values: column, then source, line, column and name, where mapped. */
type Segment = number[];

function decodeFields(text: string): number[] {
  const fields: number[] = [];
  let value = 0;
  let shift = 0;
  for (const character of text) {
    const digit = DIGIT.get(character);
    if (digit === undefined) throw new Error(`A source map's mappings hold ${character}, not base64`);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return fields;
}

function encodeField(field: number): string {
  let value = field < 0 ? (-field << 1) | 1 : field << 1;
  let text = '';
  do {
    const digit = value & 31;
    value >>>= 5;
    text += BASE64[value > 0 ? digit | 32 : digit];
  } while (value > 0);
  return text;
}

/** The mappings line by line, each segment's relative fields made absolute. */
function decodeMappings(mappings: string): Segment[][] {
  const previous = [0, 0, 0, 0, 0];
  return mappings.split(';').map((line) => {
    previous[0] = 0;
    return line === ''
      ? []
      : line.split(',').map((text) =>
          decodeFields(text).map((field, index) => {
            previous[index] = (previous[index] ?? 0) + field;
            return previous[index];
          }),
        );
  });
}

function encodeMappings(lines: readonly Segment[][]): string {
  const previous = [0, 0, 0, 0, 0];
  return lines
    .map((line) => {
      previous[0] = 0;
      return line
        .map((segment) =>
          segment
            .map((field, index) => {
              const text = encodeField(field - (previous[index] ?? 0));
              previous[index] = field;
              return text;
            })
            .join(''),
        )
        .join(',');
    })
    .join(';');
}

/**
 * `map` with only the mappings into the sources `keep` accepts: a range of generated code mapped to
 * another source becomes unmapped (not left to the mapping before it), and the sources and names no
 * mapping uses any more go.
 */
export function keepSources(map: SourceMap, keep: (source: string) => boolean): SourceMap {
  const sources = new Map<number, number>();
  const names = new Map<number, number>();
  const renumber = (numbers: Map<number, number>, index: number) => {
    const next = numbers.get(index) ?? numbers.size;
    numbers.set(index, next);
    return next;
  };
  const lines = decodeMappings(map.mappings).map((line) =>
    line.map(([column = 0, source, ...rest]): Segment => {
      if (source === undefined) return [column];
      if (!keep(map.sources[source] ?? '')) return [column];
      const [line = 0, sourceColumn = 0, name] = rest;
      const kept = [column, renumber(sources, source), line, sourceColumn];
      return name === undefined ? kept : [...kept, renumber(names, name)];
    }),
  );
  const byNewIndex = <T>(numbers: Map<number, number>, values: readonly T[]) =>
    [...numbers].sort((a, b) => a[1] - b[1]).map(([old]) => values[old] as T);
  return {
    ...map,
    sources: byNewIndex(sources, map.sources),
    names: byNewIndex(names, map.names),
    mappings: encodeMappings(lines),
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
