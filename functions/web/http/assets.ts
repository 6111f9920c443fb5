// GET /assets/{proxy+}: GOV.UK Frontend's stylesheet, script, fonts and images, and this service's own
// few files. Only named files are served, from two folders, so a path can never leave them.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { WebPaths } from '../web-paths.ts';
import type { PageResponse } from './response.ts';

const TYPES: Readonly<Record<string, string>> = {
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  json: 'application/manifest+json',
  woff2: 'font/woff2',
  woff: 'font/woff',
  svg: 'image/svg+xml',
  png: 'image/png',
  ico: 'image/x-icon',
};

// Fonts and images carry a content hash or never change; the stylesheet and scripts change with a release.
const LONG_CACHE = 'public, max-age=31536000, immutable';
const SHORT_CACHE = 'public, max-age=3600';

const SAFE_PATH = /^(?:(fonts|images)\/)?[a-z0-9][a-z0-9.-]*\.([a-z0-9]+)$/;

interface Asset {
  file: string;
  type: string;
  cache: string;
}

function locate(paths: WebPaths, proxy: string): Asset | undefined {
  const match = SAFE_PATH.exec(proxy);
  const folder = match?.[1];
  const type = match?.[2] && TYPES[match[2]];
  if (!match || !type || proxy.includes('..')) return undefined;
  if (folder) return { file: join(paths.govukAssets, proxy), type, cache: LONG_CACHE };
  if (proxy === 'manifest.json') return { file: join(paths.govukAssets, proxy), type, cache: SHORT_CACHE };
  if (proxy.startsWith('govuk-frontend.min.'))
    return { file: join(paths.govukDist, proxy), type, cache: SHORT_CACHE };
  return { file: join(paths.ownAssets, proxy), type, cache: SHORT_CACHE };
}

export function createAssetServer(paths: WebPaths): (proxy: string) => Promise<PageResponse | undefined> {
  const cache = new Map<string, Buffer>();
  return async (proxy) => {
    const asset = locate(paths, proxy);
    if (!asset) return undefined;
    let content = cache.get(asset.file);
    if (!content) {
      try {
        content = await readFile(asset.file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
      cache.set(asset.file, content);
    }
    const text = asset.type.startsWith('text/') || asset.type.endsWith('json');
    return {
      status: 200,
      headers: {
        'content-type': asset.type,
        'cache-control': asset.cache,
        'x-content-type-options': 'nosniff',
        'cross-origin-resource-policy': 'same-origin',
      },
      cookies: [],
      body: text ? content.toString('utf8') : content.toString('base64'),
      isBase64Encoded: !text,
    };
  };
}
