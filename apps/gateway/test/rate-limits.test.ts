import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSigningKey, startHarness } from './harness.ts';
import { RIGHT_PASSWORD, signInStandIn } from './stand-ins.ts';

// These tests are not about timeouts: stand-ins get as long as a loaded CI machine needs.
const PATIENT_MS = '30000';

/**
 * Limits per client at the gateway, over HTTP as clients meet them. Each "client machine"
 * is a loopback address of its own (127.0.0.x all reach the gateway on Linux), so what is
 * counted per address is seen per address. The windows are an hour long: no token comes
 * back while a test runs, so nothing here depends on timing.
 */
interface Answer {
  status: number;
  retryAfter: string | undefined;
  body: { data?: Record<string, unknown> | null; errors?: { message: string; path?: unknown[]; extensions?: { code?: string } }[] };
}

/** POSTs to the gateway from the given local address. */
function postFrom(baseUrl: string, from: string, body: unknown, token?: string, path = '/graphql', extraHeaders: Record<string, string> = {}): Promise<Answer> {
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      `${baseUrl}${path}`,
      {
        method: 'POST',
        localAddress: from,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(text),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...extraHeaders,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'], body: raw ? (JSON.parse(raw) as Answer['body']) : {} });
        });
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}
const code = (a: Answer) => a.body.errors?.[0]?.extensions?.code;
const HOUR = 3600;

function expectRateLimited(answer: Answer): void {
  expect(answer.status).toBe(429);
  expect(code(answer)).toBe('RATE_LIMITED');
  // Whole seconds until the next allowance, within the window.
  expect(answer.retryAfter).toMatch(/^\d+$/);
  expect(Number(answer.retryAfter)).toBeGreaterThan(0);
  expect(Number(answer.retryAfter)).toBeLessThanOrEqual(HOUR);
}

describe('limit per client (RATE_LIMIT_REQUESTS)', () => {
  let h: Awaited<ReturnType<typeof startHarness>>;
  beforeAll(async () => {
    h = await startHarness([signInStandIn()], { SERVICE_TIMEOUT_MS: PATIENT_MS, RATE_LIMIT_REQUESTS: '5', RATE_LIMIT_WINDOW_SECONDS: String(HOUR) });
  });
  afterAll(async () => {
    await h?.stop();
  });
  const health = { query: '{ health }' };

  it('counts an anonymous caller by its address: 429 with Retry-After past the limit, other addresses unaffected', async () => {
    for (let i = 0; i < 5; i++) expect((await postFrom(h.url, '127.0.0.2', health)).body).toEqual({ data: { health: 'ok' } });
    expectRateLimited(await postFrom(h.url, '127.0.0.2', health));
    // Every route counts, not only GraphQL.
    expectRateLimited(await postFrom(h.url, '127.0.0.2', {}, undefined, '/events/x'));
    expect((await postFrom(h.url, '127.0.0.3', health)).body).toEqual({ data: { health: 'ok' } });
    // The probes are never limited.
    const probe = await fetch(`${h.url}/health`);
    expect(probe.status).toBe(200);
  });

  it("counts a logged-in caller by the token's subject, wherever it calls from", async () => {
    const alice = await h.key.sign({ sub: 'alice', roles: ['EMPLOYEE'] });
    const bob = await h.key.sign({ sub: 'bob', roles: ['EMPLOYEE'] });
    // From the address that is out of allowance (previous test) and from others alike.
    const addresses = ['127.0.0.2', '127.0.0.4', '127.0.0.5', '127.0.0.6', '127.0.0.7'];
    for (const from of addresses) expect((await postFrom(h.url, from, health, alice)).body).toEqual({ data: { health: 'ok' } });
    expectRateLimited(await postFrom(h.url, '127.0.0.8', health, alice));
    expect((await postFrom(h.url, '127.0.0.2', health, bob)).body).toEqual({ data: { health: 'ok' } });
  });

  it("does not let a forged token spend someone else's allowance", async () => {
    const forger = await createSigningKey('forged-key');
    const forged = await forger.sign({ sub: 'carol', roles: ['EMPLOYEE'] });
    for (let i = 0; i < 6; i++) await postFrom(h.url, '127.0.0.9', health, forged);
    expectRateLimited(await postFrom(h.url, '127.0.0.9', health, forged));
    const carol = await h.key.sign({ sub: 'carol', roles: ['EMPLOYEE'] });
    expect((await postFrom(h.url, '127.0.0.10', health, carol)).body).toEqual({ data: { health: 'ok' } });
  });
});

describe('limits per address on login and refreshSession', () => {
  const identity = signInStandIn();
  let h: Awaited<ReturnType<typeof startHarness>>;
  beforeAll(async () => {
    h = await startHarness([identity], {
      SERVICE_TIMEOUT_MS: PATIENT_MS,
      LOGIN_FAILURES_PER_ADDRESS: '3',
      REFRESHES_PER_ADDRESS: '2',
      SIGN_IN_LIMIT_WINDOW_SECONDS: String(HOUR),
    });
  });
  afterAll(async () => {
    await h?.stop();
  });
  const LOGIN = 'mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { token } }';
  const login = (from: string, username: string, password: string) => postFrom(h.url, from, { query: LOGIN, variables: { u: username, p: password } });

  it('lets any number of people log in from one address, and stops the address after its failed logins', async () => {
    // An office behind one address: its successful logins never count.
    for (let i = 0; i < 10; i++) {
      expect((await login('127.0.1.1', `pegawai-${i}`, RIGHT_PASSWORD)).body).toEqual({ data: { login: { token: `token-of-pegawai-${i}` } } });
    }
    for (let i = 0; i < 3; i++) expect(code(await login('127.0.1.1', `target-${i}`, 'guess'))).toBe('UNAUTHENTICATED');
    const reached = identity.calls.login;
    expectRateLimited(await login('127.0.1.1', 'target-4', 'guess'));
    // Then every login from that address waits, the right password too, and identity is not asked.
    expectRateLimited(await login('127.0.1.1', 'pegawai-0', RIGHT_PASSWORD));
    expect(identity.calls.login).toBe(reached);
    // Other addresses, and the address's other operations, go on.
    expect((await login('127.0.1.2', 'pegawai-0', RIGHT_PASSWORD)).body).toEqual({ data: { login: { token: 'token-of-pegawai-0' } } });
    const token = await h.key.sign({ sub: 'pegawai-0', username: 'pegawai-0', roles: ['EMPLOYEE'] });
    expect((await postFrom(h.url, '127.0.1.1', { query: '{ me { username } }' }, token)).body).toEqual({ data: { me: { username: 'pegawai-0' } } });
  });

  it('counts every login of one request, aliases included', async () => {
    const fourGuesses = `mutation { ${[1, 2, 3, 4].map((i) => `g${i}: login(username: "u${i}", password: "guess") { token }`).join(' ')} }`;
    const before = identity.calls.login;
    expectRateLimited(await postFrom(h.url, '127.0.1.3', { query: fourGuesses }));
    expect(identity.calls.login).toBe(before);
    // Through a fragment too. login is non-null, so the first failure ends the mutation:
    // the second login never reaches identity and does not count.
    const twoGuesses =
      'mutation { ...G } fragment G on Mutation { a: login(username: "a", password: "x") { token } b: login(username: "b", password: "y") { token } }';
    const reached = identity.calls.login;
    expect(code(await postFrom(h.url, '127.0.1.4', { query: twoGuesses }))).toBe('UNAUTHENTICATED');
    expect(identity.calls.login).toBe(reached + 1);
    expect(code(await login('127.0.1.4', 'c', 'z'))).toBe('UNAUTHENTICATED');
    expect(code(await login('127.0.1.4', 'd', 'w'))).toBe('UNAUTHENTICATED');
    expectRateLimited(await login('127.0.1.4', 'e', 'v'));
  });

  it('limits refreshSession per address, successful or not', async () => {
    const REFRESH = 'mutation ($t: String!) { refreshSession(refreshToken: $t) { token } }';
    for (let i = 0; i < 2; i++)
      expect((await postFrom(h.url, '127.0.1.5', { query: REFRESH, variables: { t: `r${i}` } })).body.data).toEqual({
        refreshSession: { token: `token-for-r${i}` },
      });
    expectRateLimited(await postFrom(h.url, '127.0.1.5', { query: REFRESH, variables: { t: 'r2' } }));
    expect(identity.calls.refreshSession).toBe(2);
    expect((await postFrom(h.url, '127.0.1.6', { query: REFRESH, variables: { t: 'r3' } })).body.data).toEqual({ refreshSession: { token: 'token-for-r3' } });
  });
});

describe('behind our own proxy (TRUSTED_PROXIES)', () => {
  let h: Awaited<ReturnType<typeof startHarness>>;
  beforeAll(async () => {
    // 127.0.0.1 plays the balancer; every other loopback address is a client calling directly.
    h = await startHarness([signInStandIn()], {
      SERVICE_TIMEOUT_MS: PATIENT_MS,
      TRUSTED_PROXIES: '127.0.0.1',
      LOGIN_FAILURES_PER_ADDRESS: '2',
      SIGN_IN_LIMIT_WINDOW_SECONDS: String(HOUR),
    });
  });
  afterAll(async () => {
    await h?.stop();
  });
  const guess = (from: string, forwardedFor?: string) =>
    postFrom(
      h.url,
      from,
      { query: 'mutation { login(username: "u", password: "guess") { token } }' },
      undefined,
      '/graphql',
      forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
    );

  it('counts the client the proxy names, each on its own', async () => {
    for (let i = 0; i < 2; i++) expect(code(await guess('127.0.0.1', '198.51.100.7'))).toBe('UNAUTHENTICATED');
    expectRateLimited(await guess('127.0.0.1', '198.51.100.7'));
    // A client that wrote its own X-Forwarded-For before the proxy added the real address.
    expectRateLimited(await guess('127.0.0.1', '10.9.9.9, 198.51.100.7'));
    expect(code(await guess('127.0.0.1', '198.51.100.8'))).toBe('UNAUTHENTICATED');
  });

  it('ignores X-Forwarded-For from anyone else, so a client cannot dodge its limit by rotating it', async () => {
    for (let i = 0; i < 2; i++) expect(code(await guess('127.0.2.1', `203.0.113.${i}`))).toBe('UNAUTHENTICATED');
    expectRateLimited(await guess('127.0.2.1', '203.0.113.99'));
  });
});
