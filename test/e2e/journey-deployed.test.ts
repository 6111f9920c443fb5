// The pages' whole journey (journey.ts) against `npm run start:deployed`, which runs the cloud assembly
// CDK synthesises: its bundles, the template's settings and IAM policies.
import { describePageJourney } from '#test/e2e/journey.ts';

describePageJourney('deployed');
