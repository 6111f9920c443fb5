// Server-rendered pages: Nunjucks with GOV.UK Frontend's macros, compiled at build (infra/web-build.ts)
// and loaded once. Autoescaping is on, so text a person typed is always escaped; templates pass it to
// macros as `text:`, never `html:`.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { posix } from 'node:path';
import nunjucks from 'nunjucks';
import type { WebPaths } from '../web-paths.ts';
import { registerFilters } from './filters.ts';

export type Renderer = (template: string, context: Record<string, unknown>) => string;

export class NotBuiltError extends Error {
  override name = 'NotBuiltError';
}

// The compiled templates by name. A name starting "./" or "../" is the naming template's neighbour, as
// the build resolved it (Nunjucks' own loaders would resolve it against the file system).
// Kept by the pair, as a page asks for the same few on every render (each GOV.UK macro includes its
// "./template.njk").
class BuiltTemplates extends nunjucks.PrecompiledLoader {
  readonly #resolved = new Map<string, string>();

  override resolve(from: string, to: string): string {
    const key = `${from}\n${to}`;
    let name = this.#resolved.get(key);
    if (name === undefined) {
      name = posix.join(posix.dirname(from), to);
      this.#resolved.set(key, name);
    }
    return name;
  }
}

export function createRenderer(paths: WebPaths): Renderer {
  const environment = new nunjucks.Environment(new BuiltTemplates(built(paths.templates, require)), {
    autoescape: true,
    throwOnUndefined: false,
  });
  registerFilters(environment);
  const served = built(paths.assetManifest, (file) => JSON.parse(readFileSync(file, 'utf8')));
  // A static file by the name it has in the repository, as the edge serves it (infra/web-build.ts).
  environment.addFilter('asset', (name: string) => {
    const file = served[name];
    if (!file) throw new NotBuiltError(`No static file ${name} was built`);
    return `/assets/${file}`;
  });
  return (template, context) => environment.render(template, context);
}

const require = createRequire(import.meta.url);

// biome-ignore lint/suspicious/noExplicitAny: the build's output, whose shape Nunjucks alone reads
function built(file: string, read: (file: string) => any) {
  try {
    return read(file);
  } catch (error) {
    throw new NotBuiltError(
      `The pages' templates and static files are not built (${file}): run node infra/web-build.ts`,
      {
        cause: error,
      },
    );
  }
}
