// After the run, how long each test folder took: from its first file's start to its last file's end
// (files of different folders overlap, so the spans add up to more than the run), and how many files.
import type { Reporter, TestModule } from 'vitest/node';

export default class FolderTimesReporter implements Reporter {
  readonly #spans = new Map<string, { start: number; end: number; files: number }>();
  readonly #starts = new Map<string, number>();

  onTestModuleStart(module: TestModule): void {
    this.#starts.set(module.moduleId, performance.now());
  }

  onTestModuleEnd(module: TestModule): void {
    const start = this.#starts.get(module.moduleId) ?? performance.now();
    const folder = module.relativeModuleId.split('/').slice(0, 2).join('/');
    const span = this.#spans.get(folder);
    this.#spans.set(folder, {
      start: Math.min(span?.start ?? start, start),
      end: Math.max(span?.end ?? 0, performance.now()),
      files: (span?.files ?? 0) + 1,
    });
  }

  onTestRunEnd(): void {
    if (this.#spans.size === 0) return;
    const rows = [...this.#spans].sort(([, a], [, b]) => b.end - b.start - (a.end - a.start));
    const width = Math.max(...rows.map(([folder]) => folder.length));
    process.stdout.write('Time per folder (first file started to last file ended):\n');
    for (const [folder, span] of rows) {
      const seconds = ((span.end - span.start) / 1000).toFixed(1).padStart(6);
      process.stdout.write(`  ${folder.padEnd(width)} ${seconds} s  ${span.files} files\n`);
    }
  }
}
