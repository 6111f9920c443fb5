import { join, resolve } from 'node:path';

/** What infra/web-build.ts writes for the pages, relative to the project root and to a bundle's root alike. */
export const WEB_BUILD = '.build/web';
/** The static files' names as the build gave them (infra/web-build.ts), in WEB_BUILD. */
export const ASSET_MANIFEST = 'asset-manifest.json';

/**
 * Where the pages' templates and built files are. In the repository they sit beside this module, in
 * node_modules and in WEB_BUILD; a Lambda bundle copies the same folders under one root and names it in
 * WEB_ROOT.
 */
export interface WebPaths {
  /** This service's templates. */
  views: string;
  /** GOV.UK Frontend's `dist` folder: its Nunjucks macros live under `govuk/`. */
  govukRoot: string;
  /** The static files' manifest: logical name to the name they are served under, below /assets/. */
  assetManifest: string;
}

export function webPaths(
  root: string = process.env.WEB_ROOT || resolve(import.meta.dirname, '../..'),
): WebPaths {
  return {
    views: join(root, 'functions/web/views'),
    govukRoot: join(root, 'node_modules/govuk-frontend/dist'),
    assetManifest: join(root, WEB_BUILD, ASSET_MANIFEST),
  };
}
