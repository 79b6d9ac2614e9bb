import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPair, SignJWT } from 'jose';
import { createTokenVerifier, openMasterKeyEncryption, TOKEN_AUDIENCE, TOKEN_ISSUER } from '@simpul/kit';
import { SigningKeys } from '../src/auth/signing-keys.ts';
import { startTestIdentity, type TestIdentity } from './support/identity.ts';
import { errorCodes } from '@simpul/testing';

let identity: TestIdentity;
let adminToken: string;

beforeAll(async () => {
  identity = await startTestIdentity();
  adminToken = await identity.login('admin');
});
afterAll(async () => {
  await identity?.close();
});

const LOGIN = `mutation ($u: String!, $p: String!) {
  login(username: $u, password: $p) { token expiresAt user { username roles agency { code } lastLoginAt } }
}`;
const CREATE_USER = `mutation ($input: CreateUserInput!) { createUser(input: $input) { id username } }`;

async function createUser(username: string, password: string, agencyCode = 'BKN'): Promise<void> {
  const result = await identity.gql(CREATE_USER, { input: { username, displayName: username, agencyCode, roles: ['EMPLOYEE'], password } }, adminToken);
  expect(result.errors).toBeUndefined();
}

function verifier() {
  return createTokenVerifier({ fetchJwks: () => identity.service.keys.currentJwks() });
}

describe('login', () => {
  it('returns a token that the platform verifier accepts, with the right claims', async () => {
    const result = await identity.gql(LOGIN, { u: 'admin.bkn', p: identity.password });
    expect(result.errors).toBeUndefined();
    expect(result.data.login.user).toMatchObject({ username: 'admin.bkn', roles: ['AGENCY_ADMIN'], agency: { code: 'BKN' } });
    expect(Date.now() - Date.parse(result.data.login.user.lastLoginAt)).toBeLessThan(10_000);
    const principal = await verifier().verify(result.data.login.token);
    expect(principal).toMatchObject({ kind: 'user', username: 'admin.bkn', agencyCode: 'BKN', roles: ['AGENCY_ADMIN'] });
    const user = await identity.service.stores.users.findByUsername('admin.bkn');
    expect(principal.id).toBe(user?.id);
    const expiresIn = Date.parse(result.data.login.expiresAt) - Date.now();
    expect(expiresIn).toBeGreaterThan(890_000);
    expect(expiresIn).toBeLessThanOrEqual(900_000);
  });

  it('treats the user name case-insensitively', async () => {
    const result = await identity.gql(LOGIN, { u: 'Admin.BKN', p: identity.password });
    expect(result.data?.login.user.username).toBe('admin.bkn');
  });

  it('answers a wrong password and an unknown user identically', async () => {
    const wrong = await identity.gql(LOGIN, { u: 'hr.bkn', p: 'not-the-password' });
    const unknown = await identity.gql(LOGIN, { u: 'nobody.here', p: 'not-the-password' });
    expect(wrong.data).toBeNull();
    expect(wrong.errors).toEqual([expect.objectContaining({ message: 'Invalid username or password', extensions: { code: 'UNAUTHENTICATED' } })]);
    expect(unknown.errors).toEqual(wrong.errors);
  });

  it('locks the account after 5 failures, even for the right password, answering exactly as a wrong password does, until an administrator unlocks it', async () => {
    const password = 'correct horse battery';
    await createUser('lock.me', password);
    const wrong = await identity.gql(LOGIN, { u: 'lock.me', p: 'wrong-1' });
    expect(errorCodes(wrong)).toEqual(['UNAUTHENTICATED']);
    for (let attempt = 2; attempt <= 4; attempt++) {
      expect(errorCodes(await identity.gql(LOGIN, { u: 'lock.me', p: `wrong-${attempt}` }))).toEqual(['UNAUTHENTICATED']);
    }
    // The failure that locks, and every attempt while locked, look like any wrong
    // password: nobody learns that the name exists or that it is being guessed.
    const fifth = await identity.gql(LOGIN, { u: 'lock.me', p: 'wrong-5' });
    expect(fifth.errors).toEqual(wrong.errors);
    const right = await identity.gql(LOGIN, { u: 'lock.me', p: password });
    expect(right.data).toBeNull();
    expect(right.errors).toEqual(wrong.errors);
    const unknown = await identity.gql(LOGIN, { u: 'nobody.at.all', p: password });
    expect(unknown.errors).toEqual(right.errors);
    // The lock itself is there, and lasts the configured 15 minutes.
    const locked = await identity.service.stores.users.findByUsername('lock.me');
    expect(locked!.lockedUntil!.getTime() - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(locked!.lockedUntil!.getTime() - Date.now()).toBeLessThanOrEqual(15 * 60_000);

    const unlocked = await identity.gql('mutation { unlockUser(username: "lock.me") { username } }', {}, adminToken);
    expect(unlocked.data).toEqual({ unlockUser: { username: 'lock.me' } });
    const after = await identity.gql(LOGIN, { u: 'lock.me', p: password });
    expect(after.errors).toBeUndefined();
    expect(after.data.login.user.username).toBe('lock.me');
  });

  it('a success resets the failure count', async () => {
    const password = 'reset count password';
    await createUser('reset.count', password);
    for (let i = 0; i < 4; i++) await identity.gql(LOGIN, { u: 'reset.count', p: 'wrong password' });
    expect((await identity.gql(LOGIN, { u: 'reset.count', p: password })).errors).toBeUndefined();
    for (let i = 0; i < 4; i++) {
      expect(errorCodes(await identity.gql(LOGIN, { u: 'reset.count', p: 'wrong password' }))).toEqual(['UNAUTHENTICATED']);
    }
  });

  it('refuses a disabled user', async () => {
    const password = 'disabled user password';
    await createUser('to.disable', password);
    const disabled = await identity.gql('mutation { setUserStatus(username: "to.disable", status: DISABLED) { status } }', {}, adminToken);
    expect(disabled.data).toEqual({ setUserStatus: { status: 'DISABLED' } });
    const refused = await identity.gql(LOGIN, { u: 'to.disable', p: password });
    expect(errorCodes(refused)).toEqual(['UNAUTHENTICATED']);
    expect(refused.errors?.[0]?.message).toContain('disabled');
    // A wrong password on a disabled account says nothing about it being disabled.
    const wrong = await identity.gql(LOGIN, { u: 'to.disable', p: 'wrong password!' });
    expect(wrong.errors?.[0]?.message).toBe('Invalid username or password');
  });

  it('lets a user change their own password', async () => {
    await createUser('changes.password', 'first password 1');
    const token = await identity.login('changes.password', 'first password 1');
    const CHANGE = 'mutation ($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }';
    expect(errorCodes(await identity.gql(CHANGE, { c: 'not it at all', n: 'second password 2' }, token))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await identity.gql(CHANGE, { c: 'first password 1', n: 'short' }, token))).toEqual(['BAD_USER_INPUT']);
    expect((await identity.gql(CHANGE, { c: 'first password 1', n: 'second password 2' }, token)).data).toEqual({ changePassword: true });
    expect(errorCodes(await identity.gql(LOGIN, { u: 'changes.password', p: 'first password 1' }))).toEqual(['UNAUTHENTICATED']);
    expect(await identity.login('changes.password', 'second password 2')).toMatch(/^ey/);
  });
});

describe('tokens', () => {
  const ME = '{ me { username } users { totalCount } }';

  it('without a token: me is null and users is UNAUTHENTICATED', async () => {
    const result = await identity.gql(ME);
    // Root fields are nullable (issue 16, item 9): the refusal stays on users, me is simply null.
    expect(result.data).toEqual({ me: null, users: null });
    expect(errorCodes(result)).toEqual(['UNAUTHENTICATED']);
    const me = await identity.gql('{ me { username } }');
    expect(me).toEqual({ data: { me: null } });
    const users = await identity.gql('{ users { totalCount } }');
    expect(errorCodes(users)).toEqual(['UNAUTHENTICATED']);
    expect(users.data).toEqual({ users: null });
  });

  it('with a token: me is the caller', async () => {
    const result = await identity.gql('{ me { username agency { code name } } }', {}, adminToken);
    expect(result.data).toEqual({
      me: { username: 'admin', agency: { code: 'KEMENPANRB', name: 'Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi' } },
    });
  });

  it('refuses a token signed by another key under the real key id', async () => {
    const jwks = await identity.service.keys.currentJwks();
    const kid = jwks.keys[0]?.kid;
    expect(kid).toBeTruthy();
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const admin = await identity.service.stores.users.findByUsername('admin');
    const forged = await new SignJWT({ kind: 'user', username: 'admin', agency: 'KEMENPANRB', roles: ['NATIONAL_ADMIN'] })
      .setProtectedHeader({ alg: 'EdDSA', kid: kid! })
      .setSubject(admin!.id)
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(privateKey);
    const result = await identity.gql(ME, {}, forged);
    expect(result.data).toBeUndefined();
    expect(errorCodes(result)).toEqual(['UNAUTHENTICATED']);
    expect(result.errors?.[0]?.message).toContain('signature');
  });

  it('refuses a token whose payload was changed', async () => {
    const token = await identity.login('pegawai.kominfo');
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'));
    expect(claims.roles).toEqual(['EMPLOYEE']);
    const tampered = Buffer.from(JSON.stringify({ ...claims, roles: ['NATIONAL_ADMIN'] })).toString('base64url');
    const result = await identity.gql(ME, {}, `${header}.${tampered}.${signature}`);
    expect(result.data).toBeUndefined();
    expect(errorCodes(result)).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses an expired token and says so', async () => {
    const anHourAgo = new SigningKeys(identity.service.prisma, {
      tokenTtlSeconds: 900,
      keyEncryption: await openMasterKeyEncryption(identity.env),
      now: () => Date.now() - 3_600_000,
    });
    const admin = await identity.service.stores.users.findByUsername('admin');
    const { token } = await anHourAgo.sign({ sub: admin!.id, kind: 'user', username: 'admin', agency: 'KEMENPANRB', roles: ['NATIONAL_ADMIN'] });
    const result = await identity.gql(ME, {}, token);
    expect(result.data).toBeUndefined();
    expect(errorCodes(result)).toEqual(['UNAUTHENTICATED']);
    expect(result.errors?.[0]?.message).toMatch(/expired/);
  });
});

describe('API clients', () => {
  const REGISTER = `mutation ($input: RegisterApiClientInput!) {
    registerApiClient(input: $input) { clientId clientSecret client { name agencyCode roles revokedAt } }
  }`;
  const ISSUE = 'mutation ($id: String!, $secret: String!) { issueClientToken(clientId: $id, clientSecret: $secret) { token expiresAt } }';

  it('issues a client token with kind client and role API_CLIENT; a revoked client is refused', async () => {
    const bknAdmin = await identity.login('admin.bkn');
    const registered = await identity.gql(REGISTER, { input: { agencyCode: 'BKN', name: 'SIASN sync' } }, bknAdmin);
    expect(registered.errors).toBeUndefined();
    const { clientId, clientSecret, client } = registered.data.registerApiClient;
    expect(client).toEqual({ name: 'SIASN sync', agencyCode: 'BKN', roles: ['API_CLIENT'], revokedAt: null });
    expect(clientSecret.length).toBeGreaterThanOrEqual(40);
    const stored = await identity.service.prisma.apiClient.findUnique({ where: { clientId } });
    expect(stored?.secretHash).toMatch(/^\$scrypt\$/);
    expect(stored?.secretHash).not.toContain(clientSecret);

    const issued = await identity.gql(ISSUE, { id: clientId, secret: clientSecret });
    expect(issued.errors).toBeUndefined();
    const principal = await verifier().verify(issued.data.issueClientToken.token);
    expect(principal).toMatchObject({ kind: 'client', username: clientId, agencyCode: 'BKN', roles: ['API_CLIENT'] });

    const asClient = await identity.gql('{ me { username } agency(code: "BKN") { name } }', {}, issued.data.issueClientToken.token);
    expect(asClient.data).toEqual({ me: null, agency: { name: 'Badan Kepegawaian Negara' } });

    const listed = await identity.gql('query { apiClients(agencyCode: "BKN") { clientId } }', {}, bknAdmin);
    expect(listed.data.apiClients).toEqual([{ clientId }]);

    expect(errorCodes(await identity.gql(ISSUE, { id: clientId, secret: `${clientSecret}x` }))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await identity.gql(ISSUE, { id: 'sc_unknown', secret: clientSecret }))).toEqual(['UNAUTHENTICATED']);

    const revoked = await identity.gql('mutation ($id: String!) { revokeApiClient(clientId: $id) { revokedAt } }', { id: clientId }, bknAdmin);
    expect(Date.now() - Date.parse(revoked.data.revokeApiClient.revokedAt)).toBeLessThan(10_000);
    const refused = await identity.gql(ISSUE, { id: clientId, secret: clientSecret });
    expect(errorCodes(refused)).toEqual(['UNAUTHENTICATED']);
    expect(refused.errors?.[0]?.message).toContain('revoked');
  });

  it('an agency administrator registers clients for their own agency only', async () => {
    const bknAdmin = await identity.login('admin.bkn');
    const other = await identity.gql(REGISTER, { input: { agencyCode: 'KOMINFO', name: 'Not mine' } }, bknAdmin);
    expect(errorCodes(other)).toEqual(['FORBIDDEN']);
    const employee = await identity.login('pegawai.kominfo');
    expect(errorCodes(await identity.gql(REGISTER, { input: { agencyCode: 'KOMINFO', name: 'Mine?' } }, employee))).toEqual(['FORBIDDEN']);
    const national = await identity.gql(REGISTER, { input: { agencyCode: 'KOMINFO', name: 'SPLP connector' } }, adminToken);
    expect(national.data.registerApiClient.client.agencyCode).toBe('KOMINFO');
  });

  it("tells any agency administrator whether another agency's client exists and was revoked (the registry's grants ask), nobody else", async () => {
    const national = await identity.gql(REGISTER, { input: { agencyCode: 'KOMINFO', name: 'E-office' } }, adminToken);
    const { clientId } = national.data.registerApiClient;
    const STATUS = 'query ($id: String!) { apiClientStatus(clientId: $id) { clientId agencyCode revokedAt } }';
    const bknAdmin = await identity.login('admin.bkn');
    expect((await identity.gql(STATUS, { id: clientId }, bknAdmin)).data.apiClientStatus).toEqual({ clientId, agencyCode: 'KOMINFO', revokedAt: null });
    expect((await identity.gql(STATUS, { id: 'sc_000000000000000000000000' }, bknAdmin)).data.apiClientStatus).toBeNull();
    expect(errorCodes(await identity.gql(STATUS, { id: clientId }, await identity.login('pegawai.kominfo')))).toEqual(['FORBIDDEN']);
    await identity.gql('mutation ($id: String!) { revokeApiClient(clientId: $id) { revokedAt } }', { id: clientId }, adminToken);
    expect((await identity.gql(STATUS, { id: clientId }, bknAdmin)).data.apiClientStatus.revokedAt).not.toBeNull();
  });
});

describe('the service on the bus', () => {
  it('answers its SDL with the stitching directives, its health and its public keys', async () => {
    const { client, service } = identity;
    const sdl = new TextDecoder().decode((await client.request(service.subjects.sdl('identity'), undefined, { timeout: 5_000 })).data);
    expect(sdl).toContain('type Agency @key(selectionSet: "{ code }")');
    expect(sdl).toContain('agenciesByCodes(codes: [String!]!): [Agency]! @merge(keyField: "code")');
    expect(sdl).toContain('usersByIds(ids: [ID!]!): [User]! @merge(keyField: "id")');

    const health = JSON.parse(new TextDecoder().decode((await client.request(service.subjects.health('identity'), undefined, { timeout: 5_000 })).data));
    // The answer also says which instance answered and its outbox backlog (the operators' console discovers instances by it).
    expect(health).toMatchObject({ status: 'ok', checks: { database: 'ok', nats: 'ok' }, instance: expect.any(Object) });

    const jwks = JSON.parse(new TextDecoder().decode((await client.request(service.subjects.jwks, undefined, { timeout: 5_000 })).data));
    expect(jwks).toEqual(await service.keys.currentJwks());
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });

  it('a rotation through the API keeps existing tokens working', async () => {
    const before = await identity.login('hr.bkn');
    const rotated = await identity.gql('mutation { rotateSigningKey { kid retiredKid createdAt } }', {}, adminToken);
    expect(rotated.errors).toBeUndefined();
    expect(rotated.data.rotateSigningKey.retiredKid).not.toBe(rotated.data.rotateSigningKey.kid);
    const after = await identity.login('hr.bkn');
    expect(JSON.parse(Buffer.from(after.split('.')[0]!, 'base64url').toString()).kid).toBe(rotated.data.rotateSigningKey.kid);
    for (const token of [before, after, adminToken]) {
      expect((await identity.gql('{ me { username } }', {}, token)).errors).toBeUndefined();
    }
  });
});
