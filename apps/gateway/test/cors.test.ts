import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEnvironment } from '../src/environment.ts';
import { startHarness } from './harness.ts';
import { identityStandIn } from './stand-ins.ts';

/**
 * CORS: the gateway accepts credentials (tokens) from browsers, so an origin it answers
 * may act for the logged-in user. Only configured origins are answered.
 */
const APP = 'https://app.example.go.id';
const FOREIGN = 'https://evil.example.com';

let h: Awaited<ReturnType<typeof startHarness>>;
beforeAll(async () => {
  h = await startHarness([identityStandIn], { CORS_ORIGINS: `${APP}, http://localhost:5173` });
});
afterAll(async () => {
  await h?.stop();
});

const post = (url: string, origin: string) =>
  fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { origin, 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ health }' }),
  });
const preflight = (url: string, origin: string) =>
  fetch(`${url}/graphql`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
  });

describe('CORS', () => {
  it('answers a configured origin, with credentials, on requests and preflights', async () => {
    const res = await post(h.url, APP);
    await res.arrayBuffer();
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    expect(res.headers.get('vary')).toContain('Origin');

    const pre = await preflight(h.url, 'http://localhost:5173');
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(pre.headers.get('access-control-allow-methods')).toContain('POST');
    expect(pre.headers.get('access-control-allow-headers')).toBe('authorization, content-type');
  });

  it('gives a foreign origin no Access-Control-Allow-Origin, on requests and preflights', async () => {
    const res = await post(h.url, FOREIGN);
    await res.arrayBuffer();
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    const pre = await preflight(h.url, FOREIGN);
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    expect(pre.headers.get('access-control-allow-methods')).toBeNull();
    // A prefix or a look-alike of a configured origin is foreign too.
    for (const lookalike of [`${APP}.evil.com`, 'http://app.example.go.id', 'null']) {
      const r = await post(h.url, lookalike);
      await r.arrayBuffer();
      expect(r.headers.get('access-control-allow-origin')).toBeNull();
    }
  });

  it('answers no origin at all by default, and other routes follow the same rule', async () => {
    const plain = await startHarness([identityStandIn]);
    try {
      for (const origin of [FOREIGN, APP]) {
        const res = await post(plain.url, origin);
        expect(await res.json()).toEqual({ data: { health: 'ok' } });
        expect(res.headers.get('access-control-allow-origin')).toBeNull();
        expect((await preflight(plain.url, origin)).headers.get('access-control-allow-origin')).toBeNull();
      }
    } finally {
      await plain.stop();
    }
    const jwks = await fetch(`${h.url}/.well-known/jwks.json`, { headers: { origin: APP } });
    await jwks.arrayBuffer();
    expect(jwks.headers.get('access-control-allow-origin')).toBe(APP);
  });

  it('refuses a wildcard or an origin with a path in the setting', () => {
    for (const bad of ['*', 'https://app.example.go.id/', 'app.example.go.id']) {
      expect(() => readEnvironment({ CORS_ORIGINS: bad })).toThrow(/CORS_ORIGINS.*: an origin such as/);
    }
    expect(readEnvironment({ CORS_ORIGINS: ` ${APP} ,` }).CORS_ORIGINS).toEqual([APP]);
  });
});
