// The pages' whole journey (journey.ts) against `npm start`, which runs the TypeScript sources.
import { describePageJourney } from '#test/e2e/journey.ts';

describePageJourney('source');
