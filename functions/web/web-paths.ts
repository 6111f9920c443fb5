import { join, resolve } from 'node:path';

/** What infra/web-build.ts writes for the pages, relative to the project root and to a bundle's root alike. */
export const WEB_BUILD = '.build/web';
/** The static files' names as the build gave them (infra/web-build.ts), in WEB_BUILD. */
export const ASSET_MANIFEST = 'asset-manifest.json';
/** The templates as the build compiled them (infra/web-build.ts), in WEB_BUILD. */
export const BUILT_TEMPLATES = 'templates.cjs';

/** How the templates are compiled: the whitespace around block tags goes. */
export const TEMPLATE_OPTIONS = { trimBlocks: true, lstripBlocks: true } as const;

/**
 * Where the pages' built files are: in WEB_BUILD under the project's root, which a Lambda bundle copies
 * under its own and names in WEB_ROOT.
 */
export interface WebPaths {
  /** The compiled templates: a CommonJS module, template name to compiled template. */
  templates: string;
  /** The static files' manifest: logical name to the name they are served under, below /assets/. */
  assetManifest: string;
}

export function webPaths(
  root: string = process.env.WEB_ROOT || resolve(import.meta.dirname, '../..'),
): WebPaths {
  return {
    templates: join(root, WEB_BUILD, BUILT_TEMPLATES),
    assetManifest: join(root, WEB_BUILD, ASSET_MANIFEST),
  };
}
