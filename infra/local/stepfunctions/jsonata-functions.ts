// The functions Step Functions adds to JSONata ($partition, $range, $hash, $random, $uuid,
// $parse), and the clock and randomness of stock JSONata rebound to the StepContext so that an
// evaluation depends on nothing but its inputs. Step Functions leaves $eval out.
import { createHash } from 'node:crypto';
import type { StepContext } from './model.ts';

/** The most items $range may produce, as for States.ArrayRange. */
const MAX_RANGE_ITEMS = 1000;

const HASH_ALGORITHMS: { [name: string]: string } = {
  MD5: 'md5',
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

/** A JSONata function's complaint about its arguments; surfaces as States.QueryEvaluationError. */
class FunctionArgumentError extends Error {
  override name = 'FunctionArgumentError';
}

function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

function partition(array: unknown, chunkSize: unknown): unknown[][] {
  if (!Array.isArray(array))
    throw new FunctionArgumentError('$partition: the first argument must be an array');
  if (!isInteger(chunkSize) || chunkSize < 1) {
    throw new FunctionArgumentError('$partition: the chunk size must be a positive integer');
  }
  const chunks: unknown[][] = [];
  for (let start = 0; start < array.length; start += chunkSize)
    chunks.push(array.slice(start, start + chunkSize));
  return chunks;
}

function range(start: unknown, end: unknown, step: unknown): number[] {
  if (!isInteger(start) || !isInteger(end) || !isInteger(step)) {
    throw new FunctionArgumentError('$range: start, end and step must be integers');
  }
  if (step === 0) throw new FunctionArgumentError('$range: step must not be 0');
  const items: number[] = [];
  for (let value = start; step > 0 ? value <= end : value >= end; value += step) {
    if (items.length === MAX_RANGE_ITEMS) {
      throw new FunctionArgumentError(`$range: the result would exceed ${MAX_RANGE_ITEMS} items`);
    }
    items.push(value);
  }
  return items;
}

function hash(data: unknown, algorithm: unknown): string {
  if (typeof data !== 'string') throw new FunctionArgumentError('$hash: the data must be a string');
  const nodeAlgorithm = typeof algorithm === 'string' ? HASH_ALGORITHMS[algorithm] : undefined;
  if (nodeAlgorithm === undefined) {
    throw new FunctionArgumentError(
      `$hash: the algorithm must be one of ${Object.keys(HASH_ALGORITHMS).join(', ')}`,
    );
  }
  return createHash(nodeAlgorithm).update(data).digest('hex');
}

/** mulberry32: a small seeded generator, so that $random(seed) repeats for the same seed. */
function seededRandom(seed: number): number {
  let t = (seed + 0x6d2b79f5) >>> 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

function parse(text: unknown): unknown {
  if (typeof text !== 'string') throw new FunctionArgumentError('$parse: the argument must be a string');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new FunctionArgumentError(`$parse: the argument is not valid JSON`, { cause: error });
  }
}

/**
 * The bindings to add to every evaluation. `formatMillis` is JSONata's own $fromMillis, used
 * so that $now(picture, timezone) formats exactly as stock JSONata does.
 */
export function stepFunctionsBindings(
  ctx: StepContext,
  formatMillis: (millis: number, picture?: string, timezone?: string) => Promise<string>,
): { [name: string]: unknown } {
  return {
    partition,
    range,
    hash,
    random: (seed?: unknown): number => {
      if (seed === undefined) return ctx.random();
      if (!isInteger(seed)) throw new FunctionArgumentError('$random: the seed must be an integer');
      return seededRandom(seed);
    },
    uuid: (): string => ctx.newUuid(),
    parse,
    eval: (): never => {
      throw new FunctionArgumentError('$eval is not available in Step Functions; use $parse');
    },
    now: (picture?: string, timezone?: string): Promise<string> =>
      formatMillis(ctx.now().getTime(), picture, timezone),
    millis: (): number => ctx.now().getTime(),
  };
}
