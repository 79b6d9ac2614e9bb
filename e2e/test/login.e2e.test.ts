import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postGraphQL } from '@simpul/testing';
import { startPlatform, type Platform } from './platform.ts';

let platform: Platform;

beforeAll(async () => {
  platform = await startPlatform();
});
afterAll(async () => {
  await platform?.stop();
});

const LOGIN = `mutation Login($username: String!, $password: String!) {
  login(username: $username, password: $password) { token expiresAt user { username roles agency { code name } } }
}`;

describe('a new user through the gateway', () => {
  it('logs in over HTTP and reads `me`', async () => {
    const login = await postGraphQL<{ login: { token: string; user: { username: string; roles: string[]; agency: { code: string } } } }>(platform.url, LOGIN, {
      username: 'admin',
      password: platform.adminPassword,
    });
    expect(login.status).toBe(200);
    expect(login.body.errors).toBeUndefined();
    expect(login.body.data?.login.user).toMatchObject({ username: 'admin', roles: ['NATIONAL_ADMIN'] });
    const token = login.body.data!.login.token;
    expect(token.split('.')).toHaveLength(3);

    const me = await postGraphQL<{ me: { username: string; agency: { code: string } } }>(platform.url, '{ me { username roles agency { code } } }', {}, token);
    expect(me.body).toEqual({ data: { me: { username: 'admin', roles: ['NATIONAL_ADMIN'], agency: { code: 'KEMENPANRB' } } } });
  });

  it('reads `me` as null without a token', async () => {
    const me = await postGraphQL(platform.url, '{ me { username } health }');
    expect(me.body).toEqual({ data: { me: null, health: 'ok' } });
  });

  it('refuses a wrong password with UNAUTHENTICATED and no token', async () => {
    const login = await postGraphQL(platform.url, LOGIN, { username: 'admin', password: 'not-the-password' });
    expect(login.body.data).toBeNull();
    expect(login.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('answers an unknown agency code with null', async () => {
    const res = await postGraphQL(platform.url, '{ agency(code: "NO-SUCH-AGENCY") { name } }');
    expect(res.body).toEqual({ data: { agency: null } });
  });

  it('refuses a too-deep query before it reaches identity', async () => {
    const deep = `{ agencies { ${'parent { '.repeat(12)}code${' }'.repeat(12)} } }`;
    const res = await postGraphQL(platform.url, deep);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
  });

  it('refuses a forged token', async () => {
    const login = await postGraphQL<{ login: { token: string } }>(platform.url, LOGIN, { username: 'admin', password: platform.adminPassword });
    const [header, payload, signature] = login.body.data!.login.token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, agency: 'BKN' })).toString('base64url')}.${signature}`;
    const res = await postGraphQL(platform.url, '{ me { username } }', {}, forged);
    expect(res.status).toBe(401);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('publishes identity’s public keys at /.well-known/jwks.json', async () => {
    const jwks = (await (await fetch(`${platform.url}/.well-known/jwks.json`)).json()) as { keys: { kty: string; crv: string; kid: string; d?: string }[] };
    expect(jwks.keys.length).toBeGreaterThan(0);
    expect(jwks.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519' });
    expect(jwks.keys.every((k) => k.d === undefined)).toBe(true);
  });

  it('stops both processes cleanly on SIGTERM', async () => {
    // Run last: the processes are gone afterwards (afterAll's stop is then a no-op).
    const [gatewayCode, identityCode] = await Promise.all([platform.gateway.stop(10_000), platform.identity.stop(10_000)]);
    expect(gatewayCode).toBe(0);
    expect(identityCode).toBe(0);
  });
});
