import { createServer, type Server } from 'node:http';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveConsole } from '../src/http/console-route.ts';

/** The console's static files, as the gateway serves them below /console. */
let root: string;
let built: string;
let server: Server;
let url: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'simpul-console-route-'));
  built = join(root, 'dist');
  await mkdir(join(built, 'assets'), { recursive: true });
  await writeFile(join(built, 'index.html'), '<!doctype html><script type="module" src="/console/assets/app-1.js"></script>');
  await writeFile(join(built, 'assets', 'app-1.js'), 'console.log("console")');
  await writeFile(join(root, 'secret.txt'), 'outside the build');
  server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const dir = path.startsWith('/console/missing') ? join(root, 'not-built') : built;
    void serveConsole(path.replace('/console/missing', '/console'), res, { dir, head: req.method === 'HEAD' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await rm(root, { recursive: true, force: true });
});

describe('the console route', () => {
  it('redirects /console to /console/, which is index.html with a strict CSP and no caching', async () => {
    const redirect = await fetch(`${url}/console`, { redirect: 'manual' });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('/console/');
    const page = await fetch(`${url}/console/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await page.text()).toContain('/console/assets/app-1.js');
  });

  it('serves hashed assets with a long cache, and HEAD without a body', async () => {
    const asset = await fetch(`${url}/console/assets/app-1.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('javascript');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(await asset.text()).toBe('console.log("console")');
    const head = await fetch(`${url}/console/assets/app-1.js`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String('console.log("console")'.length));
  });

  it('gives nothing outside the build: traversal, unknown files and types are 404', async () => {
    for (const path of [
      '/console/..%2Fsecret.txt',
      '/console/%2e%2e/secret.txt',
      '/console/assets/..%2F..%2Fsecret.txt',
      '/console/nope.js',
      '/console/index.txt',
      '/console/%E0%A4%A',
    ]) {
      const res = await fetch(`${url}${path}`);
      expect(res.status, path).toBe(404);
      expect(await res.text()).not.toContain('outside the build');
    }
  });

  it('says how to build the console when it is not built', async () => {
    const res = await fetch(`${url}/console/missing/`);
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('npm run build');
  });
});
