import { createReadStream, existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerResponse } from 'node:http';
import type { GraphiQLOptions } from 'graphql-yoga';

/**
 * GraphiQL from our own server instead of a public CDN: government networks are often
 * closed, and a console that loads scripts from a third party is not one to log in
 * through. `npm run build` (scripts/fetch-graphiql.mjs) puts the files in ./graphiql.
 *
 * The page is ours too, not yoga's: yoga's has inline scripts, which the gateway's
 * Content-Security-Policy (security-headers.ts) refuses. Ours loads three files from
 * /graphiql/ and hands GraphiQL its options in a JSON data block, which is not run.
 */
export const GRAPHIQL_ASSETS_PATH = '/graphiql/';

const assetsDir = fileURLToPath(new URL('../../graphiql/', import.meta.url));
/** False until `npm run build` has fetched the files; the page then says so. */
export const graphiqlServedLocally = existsSync(join(assetsDir, 'yoga-graphiql.umd.js'));

/**
 * Scripts of our page. Monaco (GraphiQL's editor) asks `MonacoEnvironment` where its
 * language workers are: here, files of the same origin (yoga's page fetched them and
 * made `blob:` URLs, so that a CDN's files could run as workers).
 */
const PAGE_SCRIPTS: Readonly<Record<string, string>> = {
  'monaco-environment.js': `'use strict';
self.MonacoEnvironment = {
  globalAPI: false,
  getWorkerUrl: function (_moduleId, label) {
    var dir = '${GRAPHIQL_ASSETS_PATH}monacoeditorwork/';
    if (label === 'json') return dir + 'json.worker.bundle.js';
    if (label === 'graphql') return dir + 'graphql.worker..bundle.js';
    return dir + 'editor.worker.bundle.js';
  },
};
`,
  'start.js': `'use strict';
var options = JSON.parse(document.getElementById('graphiql-options').textContent);
YogaGraphiQL.renderYogaGraphiQL(document.getElementById('root'), options);
`,
};

/** GraphiQL's page, all of whose scripts are files from this origin. */
export function renderLocalGraphiQL(options: GraphiQLOptions): string {
  const title = escapeHtml(options.title ?? 'GraphiQL');
  if (!graphiqlServedLocally) {
    return `<!doctype html><html lang=en><head><meta charset=utf-8><title>${title}</title></head><body><p>GraphiQL's files are not built: run <code>npm run build</code> (or <code>npx turbo run build --filter=@simpul/gateway</code>).</p></body></html>`;
  }
  // "<" escaped, so that no text in the options can close the data block.
  const json = JSON.stringify(options).replace(/</g, '\\u003c');
  const asset = (file: string) => `${GRAPHIQL_ASSETS_PATH}${file}`;
  return (
    // An empty icon: otherwise the browser asks for /favicon.ico, which the gateway has not.
    `<!doctype html><html lang=en><head><meta charset=utf-8><title>${title}</title><link rel=icon href="data:,">` +
    `<link rel=stylesheet href=${asset('graphiql.css')}></head>` +
    `<body><noscript>GraphiQL needs JavaScript.</noscript><div id=root>Loading GraphiQL…</div>` +
    `<script type=application/json id=graphiql-options>${json}</script>` +
    `<script src=${asset('monaco-environment.js')}></script>` +
    `<script src=${asset('yoga-graphiql.umd.js')}></script>` +
    `<script src=${asset('start.js')}></script></body></html>`
  );
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

/** Serves one file below the assets path; anything outside the package's dist is 404. */
export async function serveGraphiQLAsset(path: string, res: ServerResponse): Promise<void> {
  const script = PAGE_SCRIPTS[path.slice(GRAPHIQL_ASSETS_PATH.length)];
  if (script !== undefined) {
    res.writeHead(200, { 'content-type': TYPES['.js']!, 'content-length': Buffer.byteLength(script), 'cache-control': 'no-cache' });
    res.end(script);
    return;
  }
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
