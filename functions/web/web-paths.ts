import { join, resolve } from 'node:path';

/**
 * Where the pages' templates and static files are. In the repository they sit beside this module and in
 * node_modules; a Lambda bundle copies the same folders under one root and names it in WEB_ROOT.
 */
export interface WebPaths {
  /** This service's templates. */
  views: string;
  /** This service's own stylesheet and script. */
  ownAssets: string;
  /** GOV.UK Frontend's `dist` folder: its Nunjucks macros live under `govuk/`. */
  govukRoot: string;
  /** GOV.UK Frontend's compiled stylesheet and script. */
  govukDist: string;
  /** GOV.UK Frontend's fonts, images and manifest. */
  govukAssets: string;
}

export function webPaths(
  root: string = process.env.WEB_ROOT || resolve(import.meta.dirname, '../..'),
): WebPaths {
  const govukRoot = join(root, 'node_modules/govuk-frontend/dist');
  return {
    views: join(root, 'functions/web/views'),
    ownAssets: join(root, 'functions/web/assets'),
    govukRoot,
    govukDist: join(govukRoot, 'govuk'),
    govukAssets: join(govukRoot, 'govuk/assets'),
  };
}
