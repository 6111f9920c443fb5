// Server-rendered pages: Nunjucks with GOV.UK Frontend's macros. Autoescaping is on, so text a person
// typed is always escaped; templates pass it to macros as `text:`, never `html:`.
import { readFileSync } from 'node:fs';
import nunjucks from 'nunjucks';
import type { WebPaths } from '../web-paths.ts';
import { registerFilters } from './filters.ts';

export type Renderer = (template: string, context: Record<string, unknown>) => string;

export class MissingAssetError extends Error {
  override name = 'MissingAssetError';
}

export function createRenderer(paths: WebPaths): Renderer {
  const environment = new nunjucks.Environment(
    new nunjucks.FileSystemLoader([paths.views, paths.govukRoot], { noCache: false }),
    { autoescape: true, throwOnUndefined: false, trimBlocks: true, lstripBlocks: true },
  );
  registerFilters(environment);
  const served = assetNames(paths.assetManifest);
  // A static file by the name it has in the repository, as the edge serves it (infra/web-build.ts).
  environment.addFilter('asset', (name: string) => {
    const file = served[name];
    if (!file) throw new MissingAssetError(`No static file ${name} was built`);
    return `/assets/${file}`;
  });
  return (template, context) => environment.render(template, context);
}

function assetNames(manifest: string): Readonly<Record<string, string>> {
  try {
    return JSON.parse(readFileSync(manifest, 'utf8')) as Record<string, string>;
  } catch (error) {
    throw new MissingAssetError(
      `The pages' static files are not built (${manifest}): run node infra/web-build.ts`,
      { cause: error },
    );
  }
}
