// The pages render their compiled templates, linking their built static files, which the local gateway
// serves: built once per run, from the files as they are now (infra/web-build.ts).
import { buildWeb } from '#infra/web-build.ts';

export default function setup(): void {
  buildWeb();
}
