// Starts the synthesis of the cloud assemblies the run's deployed-mode files need as the run starts, in
// the background, so that it overlaps with the other files instead of holding up the first file that
// needs it (a synthesis takes about 15 s of one core). A reporter, since that is what vitest tells the
// run's files before any starts; the files still ask `cloudAssembly()` themselves, which waits for this
// synthesis, finds its result in the cache, or (if this one failed) synthesises and reports the error.
import { readFileSync } from 'node:fs';
import type { Reporter, TestSpecification } from 'vitest/node';
import { cloudAssembly } from '#test/support/cloud-assembly.ts';
import { EXAMPLE_AREA_FILE } from '#test/support/example-area.ts';

// A file that runs the deployed mode names it (or every mode); with the example area, in that area.
const DEPLOYED_MODE = /SERVICE_MODES|'deployed'/;
const EXAMPLE_AREA = /EXAMPLE_AREA_FILE/;

export default class CloudAssemblyWarmUp implements Reporter {
  #synthesis: Promise<void> = Promise.resolve();

  onTestRunStart(specifications: readonly TestSpecification[]): void {
    const sources = specifications
      .map((specification) => readFileSync(specification.moduleId, 'utf8'))
      .filter((source) => DEPLOYED_MODE.test(source));
    if (sources.length === 0) return;
    const areas = [
      undefined,
      ...(sources.some((source) => EXAMPLE_AREA.test(source)) ? [EXAMPLE_AREA_FILE] : []),
    ];
    // One after the other: the files running meanwhile need the other core.
    this.#synthesis = (async () => {
      for (const area of areas) await cloudAssembly(area).catch(() => undefined);
    })();
  }

  async onTestRunEnd(): Promise<void> {
    await this.#synthesis;
  }
}
