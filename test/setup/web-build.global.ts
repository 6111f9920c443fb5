// The pages render links to their built static files and the local gateway serves them: built once per
// run, from the files as they are now (infra/web-build.ts).
import { buildWebAssets } from '#infra/web-build.ts';

export default function setup(): void {
  buildWebAssets();
}
