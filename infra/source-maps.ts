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
const DIGIT = new Int8Array(128).fill(-1);
for (let value = 0; value < BASE64.length; value += 1) DIGIT[BASE64.charCodeAt(value)] = value;
const COMMA = 44;
const SEMICOLON = 59;

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

/**
 * `map` with only the mappings into the sources `keep` accepts: a range of generated code mapped to
 * another source becomes unmapped (not left to the mapping before it), and the sources and names no
 * mapping uses any more go. One pass over the mappings, as a bundle's run to megabytes.
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
  // The segment being read (absolute values; a field absent from a segment keeps its last value), and
  // the last values written, which the next segment written is relative to.
  const read = [0, 0, 0, 0, 0];
  const written = [0, 0, 0, 0, 0];
  const output: string[] = [];
  const text = map.mappings;
  let fields = 0;
  let value = 0;
  let shift = 0;
  let separator = '';
  const writeSegment = () => {
    if (fields === 0) return;
    let segment = encodeField((read[0] ?? 0) - (written[0] ?? 0));
    written[0] = read[0] ?? 0;
    if (fields >= 4 && kept[read[1] ?? 0]) {
      const numbers = [renumber(sources, read[1] ?? 0), read[2] ?? 0, read[3] ?? 0];
      if (fields === 5) numbers.push(renumber(names, read[4] ?? 0));
      numbers.forEach((field, index) => {
        segment += encodeField(field - (written[index + 1] ?? 0));
        written[index + 1] = field;
      });
    }
    output.push(separator, segment);
    separator = ',';
    fields = 0;
  };
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code === COMMA || code === SEMICOLON) {
      writeSegment();
      if (code === SEMICOLON) {
        output.push(';');
        separator = '';
        read[0] = 0;
        written[0] = 0;
      }
      continue;
    }
    const digit = code < 128 ? (DIGIT[code] ?? -1) : -1;
    if (digit < 0) throw new Error(`A source map's mappings hold ${text[index]}, not base64`);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      read[fields] = (read[fields] ?? 0) + (value & 1 ? -(value >>> 1) : value >>> 1);
      fields += 1;
      value = 0;
      shift = 0;
    }
  }
  writeSegment();
  const byNewIndex = <T>(numbers: Map<number, number>, values: readonly T[]) =>
    [...numbers].sort((a, b) => a[1] - b[1]).map(([old]) => values[old] as T);
  return {
    ...map,
    sources: byNewIndex(sources, map.sources),
    names: byNewIndex(names, map.names),
    mappings: output.join(''),
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
