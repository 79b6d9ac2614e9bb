import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness } from './harness.ts';
import { identityStandIn } from './stand-ins.ts';

// These tests are not about timeouts: stand-ins get as long as a loaded CI machine needs.
const PATIENT_MS = '30000';

/**
 * Security headers on every response of the gateway, and a GraphiQL page that runs
 * without inline scripts (its loading in a browser under this CSP: e2e/test/gateway-protections.e2e.test.ts).
 */
let h: Awaited<ReturnType<typeof startHarness>>;
beforeAll(async () => {
  h = await startHarness([identityStandIn], { SERVICE_TIMEOUT_MS: PATIENT_MS, MAX_BODY_BYTES: '1000' });
});
afterAll(async () => {
  await h?.stop();
});

function directives(csp: string | null): Map<string, string[]> {
  return new Map(
    (csp ?? '')
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

function expectCommonHeaders(res: Response, what: string): void {
  expect(res.headers.get('x-content-type-options'), what).toBe('nosniff');
  expect(res.headers.get('referrer-policy'), what).toBe('no-referrer');
  expect(res.headers.get('x-frame-options'), what).toBe('DENY');
  expect(res.headers.get('cross-origin-opener-policy'), what).toBe('same-origin');
  const csp = directives(res.headers.get('content-security-policy'));
  expect(csp.get('frame-ancestors'), what).toEqual(["'none'"]);
  expect(csp.get('base-uri'), what).toEqual(["'none'"]);
  expect(csp.get('object-src'), what).toEqual(["'none'"]);
  // Plain HTTP here: HSTS only with GATEWAY_HTTPS.
  expect(res.headers.get('strict-transport-security'), what).toBeNull();
}

describe('security headers', () => {
  it('are on every response: GraphQL, errors, probes, keys, downloads, unknown paths', async () => {
    const responses: [string, Promise<Response>][] = [
      ['POST /graphql', fetch(`${h.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ health }"}' })],
      ['GET /graphql parse error', fetch(`${h.url}/graphql?query=%7B`)],
      [
        '413',
        fetch(`${h.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: `{ health } #${'x'.repeat(2000)}` }),
        }),
      ],
      ['/health', fetch(`${h.url}/health`)],
      ['/ready', fetch(`${h.url}/ready`)],
      ['/.well-known/jwks.json', fetch(`${h.url}/.well-known/jwks.json`)],
      ['/attachments without token', fetch(`${h.url}/attachments/abc`)],
      ['unknown path', fetch(`${h.url}/nowhere`)],
      ['preflight', fetch(`${h.url}/graphql`, { method: 'OPTIONS', headers: { origin: 'https://x.example', 'access-control-request-method': 'POST' } })],
    ];
    for (const [what, pending] of responses) {
      const res = await pending;
      await res.arrayBuffer();
      expectCommonHeaders(res, what);
      // The API's answers may load and run nothing at all.
      expect(directives(res.headers.get('content-security-policy')).get('default-src'), what).toEqual(["'none'"]);
      expect(directives(res.headers.get('content-security-policy')).has('script-src'), what).toBe(false);
    }
  });

  it('give GraphiQL a CSP with scripts from this origin only, and its page has no inline script', async () => {
    const page = await fetch(`${h.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expectCommonHeaders(page, 'GraphiQL');
    const csp = directives(page.headers.get('content-security-policy'));
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
    expect(csp.get('worker-src')).toEqual(["'self'"]);
    const html = await page.text();
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThanOrEqual(3);
    for (const [, attributes, body] of scripts) {
      // Each script is a file of this origin, or a JSON data block (which browsers do not run).
      if (/type=application\/json/.test(attributes!)) expect(() => JSON.parse(body!)).not.toThrow();
      else {
        expect(attributes).toMatch(/src=\/graphiql\//);
        expect(body).toBe('');
      }
    }
    expect(JSON.parse(/<script type=application\/json id=graphiql-options>([\s\S]*?)<\/script>/.exec(html)![1]!)).toMatchObject({ title: 'Simpul' });
    for (const file of ['monaco-environment.js', 'start.js', 'yoga-graphiql.umd.js']) {
      const res = await fetch(`${h.url}/graphiql/${file}`);
      expect(res.status, file).toBe(200);
      expect(res.headers.get('content-type'), file).toContain('javascript');
      expect(directives(res.headers.get('content-security-policy')).get('script-src'), file).toEqual(["'self'"]);
      await res.arrayBuffer();
    }
  });

  it('give the console its strict CSP (no inline style either)', async () => {
    const page = await fetch(`${h.url}/console/`);
    await page.arrayBuffer();
    expectCommonHeaders(page, 'console');
    const csp = directives(page.headers.get('content-security-policy'));
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('style-src')).toEqual(["'self'"]);
  });

  it('add Strict-Transport-Security when clients reach the gateway over HTTPS (GATEWAY_HTTPS)', async () => {
    const https = await startHarness([identityStandIn], { SERVICE_TIMEOUT_MS: PATIENT_MS, GATEWAY_HTTPS: 'true' });
    try {
      for (const path of ['/graphql?query=%7Bhealth%7D', '/health', '/console/']) {
        const res = await fetch(`${https.url}${path}`);
        await res.arrayBuffer();
        expect(res.headers.get('strict-transport-security'), path).toMatch(/^max-age=\d{8,}$/);
      }
    } finally {
      await https.stop();
    }
  });
});
