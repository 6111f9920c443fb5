// What every section of `npm run bench` shares: timing, percentiles, bounded request loops, and the
// targets of issue 15, each printed beside the floor measured in the same run.
import { performance } from 'node:perf_hooks';

export const write = (line = '') => process.stdout.write(`${line}\n`);
export const ms = (value: number) => `${value.toFixed(1)} ms`;
export const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;

export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

export async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

/** `total` calls of `run` by `workers` callers at once (a fixed count): each call's time, and the calls per second. */
export async function concurrently(
  total: number,
  workers: number,
  run: (index: number) => Promise<unknown>,
): Promise<{ readonly times: number[]; readonly perSecond: number }> {
  let next = 0;
  const times: number[] = [];
  const start = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < total) {
        const index = next;
        next += 1;
        times.push(await timed(() => run(index)));
      }
    }),
  );
  return { times, perSecond: total / ((performance.now() - start) / 1000) };
}

/** One figure of issue 15 against its target. */
export interface Target {
  readonly name: string;
  /** The figure with its floor, as printed. */
  readonly figure: string;
  /** The target, as printed. */
  readonly target: string;
  readonly met: boolean;
}

export const targets: Target[] = [];

export function target(entry: Target): void {
  targets.push(entry);
  write(`   ${entry.met ? 'MET    ' : 'NOT MET'} ${entry.name}: ${entry.figure} (target ${entry.target})`);
}

export function summary(): void {
  write('Targets (issue 15), each beside its floor from this run:');
  for (const entry of targets) {
    write(
      `  ${entry.met ? '[met]    ' : '[NOT met]'} ${entry.name}: ${entry.figure}; target ${entry.target}`,
    );
  }
  write(`  ${targets.filter((entry) => entry.met).length} of ${targets.length} met.`);
}
