// Vitest starts the files it has timed slowest first, and the files it has not timed (a fresh clone, CI)
// largest first. A file's size says little about how long it waits on what it starts, so files that start
// processes go first whatever their size, in this order: the page journeys (small files that drive
// Chromium through every page, one per mode), the files that start a JVM of their own or kill a process
// they started (the crash test, 145 lines, runs longest of the API files), then those that
// start a service or another child process. Started last by size, they ran on alone at the end of a
// fresh clone's run. Each group keeps vitest's order.
import { readFileSync } from 'node:fs';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const GROUPS: readonly ((file: TestSpecification, source: string) => boolean)[] = [
  (file) => file.moduleId.includes('/test/e2e/'),
  (_, source) => /ownDynamoDb|startDynamoDbLocal\(|\.kill\(/.test(source),
  (_, source) => /startLocalService\(|spawn\(|execFile/.test(source),
];

export default class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const group = (file: TestSpecification) => {
      const source = readFileSync(file.moduleId, 'utf8');
      const index = GROUPS.findIndex((inGroup) => inGroup(file, source));
      return index === -1 ? GROUPS.length : index;
    };
    const groups = new Map(sorted.map((file) => [file, group(file)]));
    return sorted.toSorted((a, b) => (groups.get(a) ?? 0) - (groups.get(b) ?? 0));
  }
}
