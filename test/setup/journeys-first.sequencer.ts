// Vitest starts the files it has timed slowest first, and the files it has not timed (a fresh clone)
// largest first. The page journeys (test/e2e) are small files that run longest (Chromium through every
// page, one file per mode), so they start first in any case: started last, they would run on alone at
// the end of the run.
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const isJourney = (file: TestSpecification) => file.moduleId.includes('/test/e2e/');

export default class JourneysFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    return [...sorted.filter(isJourney), ...sorted.filter((file) => !isJourney(file))];
  }
}
