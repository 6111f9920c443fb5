// Server-rendered pages: Nunjucks with GOV.UK Frontend's macros. Autoescaping is on, so text a person
// typed is always escaped; templates pass it to macros as `text:`, never `html:`.
import nunjucks from 'nunjucks';
import type { WebPaths } from '../web-paths.ts';
import { registerFilters } from './filters.ts';

export type Renderer = (template: string, context: Record<string, unknown>) => string;

export function createRenderer(paths: WebPaths): Renderer {
  const environment = new nunjucks.Environment(
    new nunjucks.FileSystemLoader([paths.views, paths.govukRoot], { noCache: false }),
    { autoescape: true, throwOnUndefined: false, trimBlocks: true, lstripBlocks: true },
  );
  registerFilters(environment);
  return (template, context) => environment.render(template, context);
}
