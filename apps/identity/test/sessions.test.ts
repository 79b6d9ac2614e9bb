import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import { errorCodes, eventually } from '@simpul/testing';
import { hashRefreshToken } from '../src/sessions/refresh-token.ts';
import { startTestIdentity, type TestIdentity } from './support/identity.ts';

// Login sessions: refresh tokens that rotate, reuse detection, logout and their revocations.
let identity: TestIdentity;
let admin: string;

beforeAll(async () => {
  identity = await startTestIdentity({ SESSION_LIFETIME_HOURS: '10' });
  admin = await identity.login('admin');
});
afterAll(async () => {
  await identity?.close();
});

const PAYLOAD = 'token expiresAt refreshToken sessionExpiresAt user { username roles }';
const LOGIN = `mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { ${PAYLOAD} } }`;
const REFRESH = `mutation ($r: String!) { refreshSession(refreshToken: $r) { ${PAYLOAD} } }`;
const LOGOUT = 'mutation ($r: String) { logout(refreshToken: $r) }';
const ME = '{ me { username roles } }';

interface Session {
  token: string;
  refreshToken: string;
  sessionExpiresAt: string;
  user: { username: string; roles: string[] };
}

async function login(username: string): Promise<Session> {
  const result = await identity.gql(LOGIN, { u: username, p: identity.password });
  expect(result.errors).toBeUndefined();
  return result.data.login;
}

async function refresh(refreshToken: string) {
  return identity.gql(REFRESH, { r: refreshToken });
}

/** Resolves once identity refuses the token (its deny list learnt the revocation). */
async function refused(token: string) {
  return eventually(async () => {
    const result = await identity.gql(ME, {}, token);
    return errorCodes(result)[0] === 'UNAUTHENTICATED' ? result : undefined;
  }, 'the token to be refused');
}

async function sessionOf(refreshToken: string) {
  const row = await identity.service.prisma.refreshToken.findUnique({ where: { hash: hashRefreshToken(refreshToken) }, include: { session: true } });
  return row!.session;
}

describe('login', () => {
  it('starts a session: an access token naming it (sid, jti) and a refresh token stored only as its SHA-256', async () => {
    const session = await login('hr.bkn');
    const claims = decodeJwt(session.token);
    expect(claims.jti).toEqual(expect.any(String));
    expect(claims.sid).toEqual(expect.any(String));
    expect(session.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 bits, base64url
    const stored = await identity.service.prisma.refreshToken.findMany({ where: { session: { id: String(claims.sid) } } });
    expect(stored).toEqual([expect.objectContaining({ hash: hashRefreshToken(session.refreshToken), usedAt: null })]);
    expect(JSON.stringify(stored)).not.toContain(session.refreshToken);
    // SESSION_LIFETIME_HOURS=10 here.
    const lifetime = Date.parse(session.sessionExpiresAt) - Date.now();
    expect(lifetime).toBeGreaterThan(9.9 * 3_600_000);
    expect(lifetime).toBeLessThanOrEqual(10 * 3_600_000);
  });
});

describe('refreshSession', () => {
  it('exchanges a refresh token once for a new access token and refresh token of the same session, with the roles as they are now', async () => {
    const first = await login('arsip.banyuwangi');
    const next = await refresh(first.refreshToken);
    expect(next.errors).toBeUndefined();
    const second: Session = next.data.refreshSession;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.token).not.toBe(first.token);
    expect(second.sessionExpiresAt).toBe(first.sessionExpiresAt);
    expect(decodeJwt(second.token).sid).toBe(decodeJwt(first.token).sid);
    expect((await identity.gql(ME, {}, second.token)).data.me.username).toBe('arsip.banyuwangi');
    // The next refresh uses the new token.
    const third = await refresh(second.refreshToken);
    expect(third.errors).toBeUndefined();
  });

  it('ends the whole session and revokes its access tokens when a spent refresh token is presented again', async () => {
    const stolen = await login('auditor');
    const rotated: Session = (await refresh(stolen.refreshToken)).data.refreshSession;
    const other = await login('auditor'); // another session of the same user

    const reuse = await refresh(stolen.refreshToken);
    expect(errorCodes(reuse)).toEqual(['UNAUTHENTICATED']);
    expect(reuse.errors![0]!.message).toMatch(/already used/);
    // Neither the thief's nor the owner's tokens of that session work any more…
    expect(errorCodes(await refresh(rotated.refreshToken))).toEqual(['UNAUTHENTICATED']);
    await refused(rotated.token);
    await refused(stolen.token);
    expect(await sessionOf(stolen.refreshToken)).toMatchObject({ endReason: 'REFRESH_TOKEN_REUSED' });
    // …and the user's other session is untouched.
    expect((await identity.gql(ME, {}, other.token)).data.me.username).toBe('auditor');
    expect((await refresh(other.refreshToken)).errors).toBeUndefined();
  });

  it('of two requests racing with one refresh token, exactly one succeeds', async () => {
    const session = await login('admin.bkn');
    const results = await Promise.all([refresh(session.refreshToken), refresh(session.refreshToken)]);
    expect(results.filter((r) => r.errors === undefined)).toHaveLength(1);
  });

  it('refuses an unknown, empty or absurdly long refresh token with UNAUTHENTICATED', async () => {
    for (const token of ['not-a-token', '', 'x'.repeat(10_000)]) {
      expect(errorCodes(await refresh(token))).toEqual(['UNAUTHENTICATED']);
    }
  });

  it('refuses a session past its absolute lifetime', async () => {
    const session = await login('hr.bkn');
    await identity.service.prisma.session.update({ where: { id: String(decodeJwt(session.token).sid) }, data: { expiresAt: new Date(Date.now() - 1) } });
    const result = await refresh(session.refreshToken);
    expect(errorCodes(result)).toEqual(['UNAUTHENTICATED']);
    expect(result.errors![0]!.message).toMatch(/log in again/);
  });

  it('ends the sessions of a disabled account, so enabling it again revives none', async () => {
    const session = await login('pegawai.kominfo');
    const STATUS = 'mutation ($u: String!, $s: UserStatus!) { setUserStatus(username: $u, status: $s) { status } }';
    expect((await identity.gql(STATUS, { u: 'pegawai.kominfo', s: 'DISABLED' }, admin)).errors).toBeUndefined();
    expect(errorCodes(await refresh(session.refreshToken))).toEqual(['UNAUTHENTICATED']);
    expect((await identity.gql(STATUS, { u: 'pegawai.kominfo', s: 'ACTIVE' }, admin)).errors).toBeUndefined();
    expect(errorCodes(await refresh(session.refreshToken))).toEqual(['UNAUTHENTICATED']);
    expect(await sessionOf(session.refreshToken)).toMatchObject({ endReason: 'USER_DISABLED' });
  });
});

describe('logout', () => {
  it('with a refresh token ends that session only: its tokens are refused, the user’s other session works', async () => {
    const ending = await login('hr.bkn');
    const staying = await login('hr.bkn');
    expect((await identity.gql(LOGOUT, { r: ending.refreshToken })).data).toEqual({ logout: true });
    await refused(ending.token);
    expect(errorCodes(await refresh(ending.refreshToken))).toEqual(['UNAUTHENTICATED']);
    expect((await identity.gql(ME, {}, staying.token)).data.me.username).toBe('hr.bkn');
    // Twice, or with an unknown token: nothing to end.
    expect((await identity.gql(LOGOUT, { r: ending.refreshToken })).data).toEqual({ logout: false });
    expect((await identity.gql(LOGOUT, { r: 'unknown' })).data).toEqual({ logout: false });
  });

  it('without a refresh token ends the session of the caller’s access token', async () => {
    const session = await login('arsip.banyuwangi');
    expect((await identity.gql(LOGOUT, {}, session.token)).data).toEqual({ logout: true });
    await refused(session.token);
    expect(errorCodes(await refresh(session.refreshToken))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await identity.gql(LOGOUT, {}))).toEqual(['UNAUTHENTICATED']);
  });

  it('does not let one user end another user’s session with a refresh token they found', async () => {
    const victim = await login('auditor');
    const other = await login('hr.bkn');
    expect(errorCodes(await identity.gql(LOGOUT, { r: victim.refreshToken }, other.token))).toEqual(['FORBIDDEN']);
    expect((await refresh(victim.refreshToken)).errors).toBeUndefined();
  });

  it('logoutEverywhere ends every session of the caller and revokes all their tokens', async () => {
    const one = await login('admin.kominfo');
    const two = await login('admin.kominfo');
    expect((await identity.gql('mutation { logoutEverywhere }', {}, one.token)).data).toEqual({ logoutEverywhere: true });
    await refused(one.token);
    await refused(two.token);
    expect(errorCodes(await refresh(two.refreshToken))).toEqual(['UNAUTHENTICATED']);
    // A new login works.
    const again = await login('admin.kominfo');
    expect((await identity.gql(ME, {}, again.token)).data.me.username).toBe('admin.kominfo');
  });
});
