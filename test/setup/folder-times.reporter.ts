// After the run, the time each test folder took: the sum of its files' run times (each from its start
// to its end, hooks included), and the span from its first file's start to its last file's end. Files
// run side by side, so the spans overlap and add up to more than the run.
import type { Reporter, TestModule } from 'vitest/node';

interface FolderTime {
  start: number;
  end: number;
  total: number;
  files: number;
}

export default class FolderTimesReporter implements Reporter {
  readonly #folders = new Map<string, FolderTime>();
  readonly #starts = new Map<string, number>();

  onTestModuleStart(module: TestModule): void {
    this.#starts.set(module.moduleId, performance.now());
  }

  onTestModuleEnd(module: TestModule): void {
    const end = performance.now();
    const start = this.#starts.get(module.moduleId) ?? end;
    const folder = module.relativeModuleId.split('/').slice(0, 2).join('/');
    const time = this.#folders.get(folder) ?? { start, end, total: 0, files: 0 };
    this.#folders.set(folder, {
      start: Math.min(time.start, start),
      end: Math.max(time.end, end),
      total: time.total + (end - start),
      files: time.files + 1,
    });
  }

  onTestRunEnd(): void {
    if (this.#folders.size === 0) return;
    const rows = [...this.#folders].sort(([, a], [, b]) => b.total - a.total);
    const title = 'Time per folder';
    const width = Math.max(title.length - 2, ...rows.map(([folder]) => folder.length));
    const seconds = (millis: number) => `${(millis / 1000).toFixed(1)} s`;
    const line = (first: string, files: string, summed: string, span: string) =>
      `${first.padEnd(width + 2)}${files.padStart(6)}${summed.padStart(10)}${span.padStart(15)}\n`;
    process.stdout.write(line(title, 'files', 'summed', 'first to last'));
    for (const [folder, time] of rows) {
      process.stdout.write(
        line(`  ${folder}`, String(time.files), seconds(time.total), seconds(time.end - time.start)),
      );
    }
  }
}
