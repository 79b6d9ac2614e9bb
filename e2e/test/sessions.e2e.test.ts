import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subjectsFor } from '@simpul/contracts';
import { connectTestBus, errorCodes, eventually, postGraphQL, requestService, type GraphQLResponse } from '@simpul/testing';
import type { NatsConnection } from '@nats-io/transport-node';
import { startPlatform, type Platform } from './platform.ts';

// Issue 14, "Sessions", as a front-end meets them through the gateway: refresh tokens,
// cookie sessions for browsers, revocation within seconds, and no user-name discovery.
let platform: Platform;
let bus: NatsConnection;
let admin: string;
let hr: string;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- results are read ad hoc
async function gql<T = any>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<GraphQLResponse<T>> {
  return (await postGraphQL<T>(platform.url, query, variables, token)).body;
}

const PASSWORD = 'password for the sessions test 2026';
const SESSION = 'token expiresAt refreshToken sessionExpiresAt user { username }';
const LOGIN = `mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { ${SESSION} } }`;
const REFRESH = `mutation ($r: String!) { refreshSession(refreshToken: $r) { ${SESSION} } }`;
const ME = '{ me { username } }';

interface Session {
  token: string;
  refreshToken: string;
  sessionExpiresAt: string;
}

async function login(username: string, password = PASSWORD): Promise<Session> {
  const result = await gql(LOGIN, { u: username, p: password });
  expect(result.errors, `login of ${username}`).toBeUndefined();
  return result.data.login;
}

async function createUser(username: string, roles: string[] = ['EMPLOYEE'], agencyCode = 'BKN'): Promise<void> {
  const created = await gql(
    'mutation ($i: CreateUserInput!) { createUser(input: $i) { username } }',
    {
      i: { username, displayName: username, agencyCode, roles, password: PASSWORD },
    },
    admin,
  );
  expect(created.errors).toBeUndefined();
}

/**
 * Waits (generously) until the gateway, identity and personnel all refuse `token`, and
 * prints how long each took after `since` (when the change was answered).
 */
async function refusedEverywhere(cause: string, token: string, since: number): Promise<void> {
  const gateway = await eventually(
    async () => {
      const res = await postGraphQL(platform.url, ME, {}, token);
      return res.status === 401 ? Date.now() - since : undefined;
    },
    `the gateway to refuse the token (${cause})`,
    120_000,
  );
  const subjects = subjectsFor(platform.namespace);
  const services: string[] = [];
  for (const service of ['identity', 'personnel'] as const) {
    const ms = await eventually(
      async () => {
        const result = await requestService(bus, subjects, service, '{ __typename }', {}, token);
        return errorCodes(result)[0] === 'UNAUTHENTICATED' ? Date.now() - since : undefined;
      },
      `${service} to refuse the token (${cause})`,
      120_000,
    );
    services.push(`${service} ${ms} ms`);
  }
  console.log(`revocation delay, ${cause}: gateway ${gateway} ms; ${services.join(', ')} (target: 5000 ms)`);
}

beforeAll(async () => {
  // Logins, new users and API clients each hash a secret (scrypt): on a loaded machine
  // identity can take longer than the gateway's default 5 s wait for an answer.
  platform = await startPlatform({ SERVICE_TIMEOUT_MS: '30000' }, { services: ['identity', 'personnel'] });
  bus = await connectTestBus(process.env.NATS_URL ?? 'nats://127.0.0.1:4222');
  admin = (await login('admin', platform.adminPassword)).token;
  expect(
    (
      await gql(
        'mutation ($i: CreateAgencyInput!) { createAgency(input: $i) { code } }',
        { i: { code: 'BKN', name: 'Badan Kepegawaian Negara', kind: 'AGENCY' } },
        admin,
      )
    ).errors,
  ).toBeUndefined();
  expect(
    (
      await gql(
        'mutation ($i: CreateUnitInput!) { createUnit(input: $i) { code } }',
        { i: { agencyCode: 'BKN', code: 'DEP.MUTASI', name: 'Deputi Mutasi' } },
        admin,
      )
    ).errors,
  ).toBeUndefined();
  await createUser('hr.bkn', ['HR_OFFICER']);
  hr = (await login('hr.bkn')).token;
}, 300_000);
afterAll(async () => {
  await bus?.close();
  await platform?.stop();
});

describe('refresh tokens through the gateway', { timeout: 300_000 }, () => {
  it('login returns a refresh token; refreshSession rotates it; a reused one ends the session for thief and owner alike', async () => {
    await createUser('refresher');
    const first = await login('refresher');
    expect(first.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const rotated = await gql(REFRESH, { r: first.refreshToken });
    expect(rotated.errors).toBeUndefined();
    const second: Session = rotated.data.refreshSession;
    expect((await gql(ME, {}, second.token)).data).toEqual({ me: { username: 'refresher' } });

    const reuse = await gql(REFRESH, { r: first.refreshToken });
    const since = Date.now();
    expect(errorCodes(reuse)).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await gql(REFRESH, { r: second.refreshToken }))).toEqual(['UNAUTHENTICATED']);
    await refusedEverywhere('refresh token reused', second.token, since);
  });
});

describe('revocation within seconds, for each cause', { timeout: 300_000 }, () => {
  it('a disabled user', async () => {
    await createUser('to.disable');
    const { token } = await login('to.disable');
    const changed = await gql('mutation { setUserStatus(username: "to.disable", status: DISABLED) { status } }', {}, admin);
    const since = Date.now();
    expect(changed.errors).toBeUndefined();
    await refusedEverywhere('user disabled', token, since);
  });

  it('a retired employee', async () => {
    const nip = '199001012015031001';
    const appointed = await gql(
      'mutation ($input: AppointEmployeeInput!) { appointEmployee(input: $input) { nip } }',
      {
        input: {
          nip,
          name: 'Pegawai Pensiun',
          agencyCode: 'BKN',
          unitCode: 'DEP.MUTASI',
          asnStatus: 'PNS',
          rank: 'III/a',
          positionName: 'Analis',
          positionType: 'AHLI_PERTAMA',
          effectiveDate: '2015-03-01',
        },
      },
      hr,
    );
    expect(appointed.errors).toBeUndefined();
    await eventually(
      async () => {
        const reset = await gql('mutation ($u: String!, $p: String!) { resetPassword(username: $u, newPassword: $p) }', { u: nip, p: PASSWORD }, hr);
        return reset.data?.resetPassword === true ? true : undefined;
      },
      'the employee account',
      120_000,
    );
    const { token } = await login(nip);
    const retired = await gql(
      'mutation ($n: String!) { retireEmployee(input: { nip: $n, reason: "Pensiun dini atas permintaan sendiri" }) { status } }',
      { n: nip },
      hr,
    );
    const since = Date.now();
    expect(retired.errors).toBeUndefined();
    await refusedEverywhere('employee retired', token, since);
  });

  it('a change of roles', async () => {
    await createUser('role.change');
    const { token } = await login('role.change');
    const changed = await gql('mutation { setUserRoles(username: "role.change", roles: [EMPLOYEE, RECORDS_OFFICER]) { roles } }', {}, admin);
    const since = Date.now();
    expect(changed.errors).toBeUndefined();
    await refusedEverywhere('roles changed', token, since);
  });

  it('a revoked API client', async () => {
    const registered = await gql('mutation { registerApiClient(input: { agencyCode: "BKN", name: "SIMPEG BKN" }) { clientId clientSecret } }', {}, admin);
    expect(registered.errors).toBeUndefined();
    const { clientId, clientSecret } = registered.data.registerApiClient;
    const issued = await gql('mutation ($i: String!, $s: String!) { issueClientToken(clientId: $i, clientSecret: $s) { token } }', {
      i: clientId,
      s: clientSecret,
    });
    expect(issued.errors).toBeUndefined();
    const revoked = await gql('mutation ($i: String!) { revokeApiClient(clientId: $i) { clientId } }', { i: clientId }, admin);
    const since = Date.now();
    expect(revoked.errors).toBeUndefined();
    await refusedEverywhere('API client revoked', issued.data.issueClientToken.token, since);
  });

  it('a logout, which leaves the user’s other session working; and logoutEverywhere', async () => {
    await createUser('logging.out');
    const ending = await login('logging.out');
    const staying = await login('logging.out');
    const out = await gql('mutation ($r: String) { logout(refreshToken: $r) }', { r: ending.refreshToken });
    const since = Date.now();
    expect(out.data).toEqual({ logout: true });
    await refusedEverywhere('logged out', ending.token, since);
    expect((await gql(ME, {}, staying.token)).data).toEqual({ me: { username: 'logging.out' } });

    const everywhere = await gql('mutation { logoutEverywhere }', {}, staying.token);
    const since2 = Date.now();
    expect(everywhere.data).toEqual({ logoutEverywhere: true });
    await refusedEverywhere('logged out everywhere', staying.token, since2);
  });
});

describe('no user-name discovery', { timeout: 300_000 }, () => {
  it('a locked account answers exactly as a wrong password and an unknown name do, and stays locked', async () => {
    await createUser('locked.out');
    // The answer as a client compares it: status and body, less the per-request trace id.
    const timed = async (username: string, password: string) => {
      const started = performance.now();
      const { status, body } = await postGraphQL(platform.url, LOGIN, { u: username, p: password });
      const ms = Math.round(performance.now() - started);
      const errors = (body.errors ?? []).map(({ extensions, ...error }) => ({ ...error, extensions: { ...extensions, traceId: undefined } }));
      return { body, answer: { status, data: body.data, errors }, ms };
    };
    const wrong = await timed('locked.out', 'wrong password 1');
    expect(errorCodes(wrong.body)).toEqual(['UNAUTHENTICATED']);
    for (let i = 2; i <= 5; i++) expect((await timed('locked.out', `wrong password ${i}`)).answer).toEqual(wrong.answer);
    // Now locked: the right password is refused, with the very answer of a wrong one.
    const locked = await timed('locked.out', PASSWORD);
    const unknown = await timed('nobody.at.all', PASSWORD);
    expect(locked.answer).toEqual(wrong.answer);
    expect(unknown.answer).toEqual(wrong.answer);
    expect(locked.answer).toMatchObject({
      data: null,
      status: 200,
      errors: [{ message: 'Invalid username or password', extensions: { code: 'UNAUTHENTICATED' } }],
    });
    console.log(`login answer times: wrong password ${wrong.ms} ms, locked account ${locked.ms} ms, unknown name ${unknown.ms} ms`);
    // The lock is real: an administrator lifts it, and then the password works.
    expect((await gql('mutation { unlockUser(username: "locked.out") { username } }', {}, admin)).errors).toBeUndefined();
    await login('locked.out');
  });
});

/** The cookies a browser would keep, from Set-Cookie headers. */
class CookieJar {
  readonly cookies = new Map<string, string>();
  readonly attributes = new Map<string, string>();

  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';').map((s) => s.trim());
      const [name, ...value] = pair!.split('=');
      const maxAge = /Max-Age=(\d+)/.exec(line)?.[1];
      if (maxAge === '0') this.cookies.delete(name!);
      else this.cookies.set(name!, decodeURIComponent(value.join('=')));
      this.attributes.set(name!, attributes.join('; '));
    }
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('; ');
  }
}

describe('cookie sessions for browsers', { timeout: 300_000 }, () => {
  async function post(jar: CookieJar, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
    const response = await fetch(`${platform.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: jar.header(), ...headers },
      body: JSON.stringify({ query, variables }),
    });
    jar.take(response);
    return { status: response.status, body: (await response.json()) as GraphQLResponse<Record<string, any>> }; // eslint-disable-line @typescript-eslint/no-explicit-any
  }
  const COOKIE_MODE = { 'x-simpul-session': 'cookie' };
  const csrf = (jar: CookieJar) => ({ 'x-simpul-csrf': jar.cookies.get('simpul_csrf') ?? '' });

  it('login in cookie mode sets httpOnly, Secure, SameSite=Strict cookies and gives the page no token; requests need the CSRF header', async () => {
    await createUser('browser.user');
    const jar = new CookieJar();
    const loggedIn = await post(
      jar,
      'mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { token refreshToken user { username } } }',
      { u: 'browser.user', p: PASSWORD },
      COOKIE_MODE,
    );
    expect(loggedIn.body).toEqual({ data: { login: { token: '', refreshToken: '', user: { username: 'browser.user' } } } });
    expect([...jar.cookies.keys()].sort()).toEqual(['simpul_access', 'simpul_csrf', 'simpul_refresh']);
    for (const name of ['simpul_access', 'simpul_refresh']) expect(jar.attributes.get(name)).toMatch(/HttpOnly; Secure; SameSite=Strict/);
    expect(jar.attributes.get('simpul_csrf')).toMatch(/Secure; SameSite=Strict/);
    expect(jar.attributes.get('simpul_csrf')).not.toMatch(/HttpOnly/);

    // The cookie authenticates, with the CSRF header only.
    expect((await post(jar, ME, {}, csrf(jar))).body).toEqual({ data: { me: { username: 'browser.user' } } });
    const forged = await post(jar, ME);
    expect(forged.status).toBe(403);
    expect(errorCodes(forged.body)).toEqual(['FORBIDDEN']);
    expect((await post(jar, ME, {}, { 'x-simpul-csrf': 'guessed' })).status).toBe(403);
    // A mutation over GET is refused, cookie or not.
    const get = await fetch(`${platform.url}/graphql?query=${encodeURIComponent('mutation { logoutEverywhere }')}`, {
      headers: { cookie: jar.header(), ...csrf(jar) },
    });
    expect(get.status).toBe(405);
    expect((await post(jar, ME, {}, csrf(jar))).body).toEqual({ data: { me: { username: 'browser.user' } } });
  });

  it('refreshSession and logout in cookie mode use the refresh cookie; after logout the access cookie is refused', async () => {
    await createUser('browser.two');
    const jar = new CookieJar();
    await post(jar, 'mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { expiresAt } }', { u: 'browser.two', p: PASSWORD }, COOKIE_MODE);
    const firstRefresh = jar.cookies.get('simpul_refresh')!;
    const firstAccess = jar.cookies.get('simpul_access')!;
    expect(firstRefresh).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // The page cannot read the refresh token; it declares the variable and leaves it out.
    const refreshed = await post(
      jar,
      'mutation ($r: String!) { refreshSession(refreshToken: $r) { refreshToken user { username } } }',
      {},
      { ...COOKIE_MODE, ...csrf(jar) },
    );
    expect(refreshed.body).toEqual({ data: { refreshSession: { refreshToken: '', user: { username: 'browser.two' } } } });
    expect(jar.cookies.get('simpul_refresh')).not.toBe(firstRefresh);
    expect(jar.cookies.get('simpul_access')).not.toBe(firstAccess);
    // Without the CSRF header, the refresh cookie is not used.
    expect((await post(jar, 'mutation { refreshSession(refreshToken: "") { expiresAt } }', {}, COOKIE_MODE)).status).toBe(403);

    const access = jar.cookies.get('simpul_access')!;
    const out = await post(jar, 'mutation { logout }', {}, { ...COOKIE_MODE, ...csrf(jar) });
    const since = Date.now();
    expect(out.body).toEqual({ data: { logout: true } });
    expect(jar.cookies.size).toBe(0);
    await refusedEverywhere('logged out (cookie session)', access, since);
  });
});
