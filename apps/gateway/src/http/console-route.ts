import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerResponse } from 'node:http';
import { securityHeaders } from './security-headers.ts';

/**
 * The operators' console (apps/console), served from its build output at /console.
 * Everything it loads comes from here: government networks are often closed, and a
 * page that operators log in through must not run a third party's scripts. The
 * Content-Security-Policy (security-headers.ts) holds it to that: scripts, styles and requests only
 * from this origin, no inline script or style, no framing.
 */
export const CONSOLE_PATH = '/console';

const defaultDir = fileURLToPath(new URL('../../../console/dist/', import.meta.url));

/** Also set by the HTTP server for every response below /console; here too, for this route served alone. */
const CONSOLE_SECURITY_HEADERS = securityHeaders('console');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

export function isConsolePath(path: string): boolean {
  return path === CONSOLE_PATH || path.startsWith(`${CONSOLE_PATH}/`);
}

/**
 * Answers a GET or HEAD below /console: `/console` redirects to `/console/`, which is
 * index.html (never cached, so a new build is picked up); `/console/assets/*` are
 * content-hashed files, cached for a year. Anything outside the build is 404.
 */
export async function serveConsole(path: string, res: ServerResponse, options: { dir?: string; head?: boolean } = {}): Promise<void> {
  const dir = options.dir ?? defaultDir;
  if (path === CONSOLE_PATH) {
    res.writeHead(301, { location: `${CONSOLE_PATH}/`, 'content-length': '0' }).end();
    return;
  }
  let relative: string;
  try {
    relative = normalize(decodeURIComponent(path.slice(CONSOLE_PATH.length + 1)) || 'index.html');
  } catch {
    return notFound(res);
  }
  const file = join(dir, relative);
  const type = TYPES[relative.slice(relative.lastIndexOf('.'))];
  const inside = !relative.startsWith('..') && (file + sep).startsWith(dir.endsWith(sep) ? dir : dir + sep);
  const found = type && inside ? await stat(file).catch(() => null) : null;
  if (!found?.isFile()) {
    if (relative === 'index.html') {
      res
        .writeHead(503, { 'content-type': 'text/plain; charset=utf-8' })
        .end('The console is not built: run `npm run build` (or `npx turbo run build --filter=@simpul/console`).\n');
      return;
    }
    return notFound(res);
  }
  const immutable = relative.startsWith(`assets${sep}`);
  res.writeHead(200, {
    ...CONSOLE_SECURITY_HEADERS,
    'content-type': type!,
    'content-length': found.size,
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  if (options.head) {
    res.end();
    return;
  }
  createReadStream(file).pipe(res);
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
}
