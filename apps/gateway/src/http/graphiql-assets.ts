import { createReadStream, existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerResponse } from 'node:http';
import { renderGraphiQL, type GraphiQLOptions } from 'graphql-yoga';

/**
 * GraphiQL from our own server instead of a public CDN: government networks are often
 * closed, and a console that loads scripts from a third party is not one to log in
 * through. `npm run build` (scripts/fetch-graphiql.mjs) puts the files in ./graphiql;
 * without them the page falls back to the CDN, as yoga does by default.
 */
export const GRAPHIQL_ASSETS_PATH = '/graphiql/';

const assetsDir = fileURLToPath(new URL('../../graphiql/', import.meta.url));
/** False until `npm run build` has fetched the files; the page then uses the CDN. */
export const graphiqlServedLocally = existsSync(join(assetsDir, 'yoga-graphiql.umd.js'));
const CDN = /https:\/\/unpkg\.com\/@graphql-yoga\/graphiql@[^/]+\/dist\//g;
const FAVICON = /<link rel=icon href=[^>]+>/;

/** Yoga's GraphiQL page, pointing at our copies of its files. */
export function renderLocalGraphiQL(options: GraphiQLOptions): string {
  const page = renderGraphiQL(options);
  return graphiqlServedLocally ? page.replace(CDN, GRAPHIQL_ASSETS_PATH).replace(FAVICON, '') : page;
}

const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

/** Serves one file below the assets path; anything outside the package's dist is 404. */
export async function serveGraphiQLAsset(path: string, res: ServerResponse): Promise<void> {
  const relative = normalize(decodeURIComponent(path.slice(GRAPHIQL_ASSETS_PATH.length)));
  const type = TYPES[relative.slice(relative.lastIndexOf('.'))];
  const file = join(assetsDir, relative);
  const found = type && !relative.startsWith('..') && file.startsWith(assetsDir) && relative !== 'VERSION' ? await stat(file).catch(() => null) : null;
  if (!found?.isFile()) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return;
  }
  res.writeHead(200, { 'content-type': type!, 'content-length': found.size, 'cache-control': 'public, max-age=86400' });
  createReadStream(file).pipe(res);
}
