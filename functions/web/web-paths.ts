import { join, resolve } from 'node:path';

/** What infra/web-build.ts writes for the pages, relative to the project root and to a bundle's root alike. */
export const WEB_BUILD = '.build/web';
/** The static files' names as the build gave them (infra/web-build.ts), in WEB_BUILD. */
export const ASSET_MANIFEST = 'asset-manifest.json';

/** The pages' two functions (infra/functions.ts): the resident's and the staff's. */
export type Door = 'resident' | 'staff';

/**
 * The views each door renders, by their folder under functions/web/views ('' for those at its top): the
 * build compiles each door's with the templates they name, and no other (infra/web-build.ts).
 */
export const DOOR_VIEWS: Readonly<Record<Door, readonly string[]>> = {
  resident: ['', 'apply', 'track', 'errors'],
  staff: ['staff', 'pcc', 'errors'],
};

/** A door's templates as the build compiled them (infra/web-build.ts), in WEB_BUILD. */
export const builtTemplates = (door: Door) => `templates.${door}.cjs`;

/** How the templates are compiled: the whitespace around block tags goes. */
export const TEMPLATE_OPTIONS = { trimBlocks: true, lstripBlocks: true } as const;

/**
 * Where the pages' built files are: in WEB_BUILD under the project's root, which a Lambda bundle copies
 * under its own and names in WEB_ROOT.
 */
export interface WebPaths {
  /** The door's compiled templates: a CommonJS module, template name to compiled template. */
  templates: string;
  /** The static files' manifest: logical name to the name they are served under, below /assets/. */
  assetManifest: string;
}

export function webPaths(
  door: Door,
  root: string = process.env.WEB_ROOT || resolve(import.meta.dirname, '../..'),
): WebPaths {
  return {
    templates: join(root, WEB_BUILD, builtTemplates(door)),
    assetManifest: join(root, WEB_BUILD, ASSET_MANIFEST),
  };
}
