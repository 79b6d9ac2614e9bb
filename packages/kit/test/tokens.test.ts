import { describe, expect, it } from 'vitest';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { createPrivateKey } from 'node:crypto';
import { createTokenVerifier, TOKEN_AUDIENCE, TOKEN_ISSUER } from '../src/tokens.ts';
import { createRootKey, endorseKey, ENDORSEMENT_MEMBER, isEndorsed, parseRootPublicKey } from '../src/key-endorsement.ts';

async function keyPair(kid: string) {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA' };
  return { kid, jwk, privateKey };
}

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

function sign(key: { kid: string; privateKey: PrivateKey }, claims: Record<string, unknown> = {}, exp = Math.floor(Date.now() / 1000) + 600) {
  return new SignJWT({ kind: 'user', username: 'admin', agency: 'KEMENPANRB', roles: ['NATIONAL_ADMIN', 'NOT_A_ROLE'], ...claims })
    .setProtectedHeader({ alg: 'EdDSA', kid: key.kid })
    .setSubject('u-1')
    .setIssuer(TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .setExpirationTime(exp)
    .sign(key.privateKey);
}

describe(createTokenVerifier.name, () => {
  it('turns a valid token into a principal, dropping roles it does not know', async () => {
    const key = await keyPair('k1');
    const sut = createTokenVerifier({ fetchJwks: async () => ({ keys: [key.jwk] }) });
    const token = await sign(key);
    expect(await sut.verify(token)).toEqual({ id: 'u-1', kind: 'user', username: 'admin', agencyCode: 'KEMENPANRB', roles: ['NATIONAL_ADMIN'], token });
  });

  it('refuses an expired token, and says it expired', async () => {
    const key = await keyPair('k1');
    const sut = createTokenVerifier({ fetchJwks: async () => ({ keys: [key.jwk] }) });
    const token = await sign(key, {}, Math.floor(Date.now() / 1000) - 60);
    await expect(sut.verify(token)).rejects.toMatchObject({ message: expect.stringMatching(/expired/), extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('stops accepting a remembered token once it expires', async () => {
    const key = await keyPair('k1');
    let clock = Date.now();
    const sut = createTokenVerifier({ fetchJwks: async () => ({ keys: [key.jwk] }), now: () => clock });
    const token = await sign(key, {}, Math.floor(clock / 1000) + 30);
    await sut.verify(token);
    clock += 40_000; // past expiry and the 5 s clock tolerance
    await expect(sut.verify(token)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('refuses a token signed by another key with the same key id', async () => {
    const real = await keyPair('k1');
    const forger = await keyPair('k1');
    const sut = createTokenVerifier({ fetchJwks: async () => ({ keys: [real.jwk] }) });
    await expect(sut.verify(await sign(forger))).rejects.toMatchObject({ message: /signature/, extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('refuses a tampered payload', async () => {
    const key = await keyPair('k1');
    const sut = createTokenVerifier({ fetchJwks: async () => ({ keys: [key.jwk] }) });
    const [h, p, s] = (await sign(key)).split('.');
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...claims, agency: 'BKN' })).toString('base64url')}.${s}`;
    await expect(sut.verify(tampered)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('refuses a token without Simpul claims and an unsigned one', async () => {
    const key = await keyPair('k1');
    const sut = createTokenVerifier({ fetchJwks: async () => ({ keys: [key.jwk] }) });
    await expect(sut.verify(await sign(key, { agency: undefined }))).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    const none = `${Buffer.from('{"alg":"none","kid":"k1"}').toString('base64url')}.${Buffer.from('{"sub":"x"}').toString('base64url')}.`;
    await expect(sut.verify(none)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    await expect(sut.verify('garbage')).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('fetches keys again when a token names a new key id (rotation), and only then', async () => {
    const first = await keyPair('k1');
    const second = await keyPair('k2');
    let published = [first.jwk];
    let fetches = 0;
    let clock = Date.now();
    const sut = createTokenVerifier({ fetchJwks: async () => (fetches++, { keys: published }), now: () => clock, minRefreshIntervalMs: 1_000 });
    await sut.verify(await sign(first, {}, Math.floor(clock / 1000) + 600));
    expect(fetches).toBe(1);
    published = [second.jwk, first.jwk];
    clock += 2_000;
    expect((await sut.verify(await sign(second, {}, Math.floor(clock / 1000) + 600))).username).toBe('admin');
    expect(fetches).toBe(2);
    // A token signed before the rotation still verifies, without another fetch.
    await sut.verify(await sign(first, { username: 'other' }, Math.floor(clock / 1000) + 600));
    expect(fetches).toBe(2);
  });

  it('does not let unknown key ids flood the key source', async () => {
    const real = await keyPair('k1');
    let fetches = 0;
    const sut = createTokenVerifier({ fetchJwks: async () => (fetches++, { keys: [real.jwk] }), minRefreshIntervalMs: 60_000 });
    await sut.verify(await sign(real));
    for (let i = 0; i < 20; i++) {
      const stranger = await keyPair(`bogus-${i}`);
      await expect(sut.verify(await sign(stranger))).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    }
    expect(fetches).toBe(1);
  });

  it('says the keys are unavailable when it has never been able to fetch them', async () => {
    const key = await keyPair('k1');
    const sut = createTokenVerifier({ fetchJwks: async () => Promise.reject(new Error('no responders')) });
    await expect(sut.verify(await sign(key))).rejects.toMatchObject({ message: /signing keys unavailable/, extensions: { code: 'UNAUTHENTICATED' } });
  });
});

describe('pinned signing keys (TOKEN_ROOT_PUBLIC_KEY)', () => {
  it('uses only keys the root key endorses: a rogue key in the same key set verifies nothing', async () => {
    const root = createRootKey();
    const rootPrivate = createPrivateKey(root.privateKeyPem);
    const real = await keyPair('real');
    const rogue = await keyPair('rogue');
    const refused: string[][] = [];
    const sut = createTokenVerifier({
      // What a rogue answer on the JWKS subject looks like: identity's endorsed key plus its own.
      fetchJwks: async () => ({ keys: [endorseKey(real.jwk, rootPrivate), rogue.jwk] }),
      rootPublicKey: root.publicKey,
      onRefusedKeys: (kids) => refused.push(kids),
    });
    expect(await sut.verify(await sign(real))).toMatchObject({ id: 'u-1' });
    await expect(sut.verify(await sign(rogue))).rejects.toMatchObject({ message: /unknown key/, extensions: { code: 'UNAUTHENTICATED' } });
    expect(refused).toEqual([['rogue']]);
  });

  it('keeps the keys in use when an answer has no endorsed key (a rogue answered first)', async () => {
    const root = createRootKey();
    const real = await keyPair('real');
    const rogue = await keyPair('rogue');
    let answer: JWK[] = [endorseKey(real.jwk, createPrivateKey(root.privateKeyPem))];
    let clock = Date.now();
    const sut = createTokenVerifier({
      fetchJwks: async () => ({ keys: answer }),
      rootPublicKey: root.publicKey,
      now: () => clock,
      minRefreshIntervalMs: 1_000,
    });
    expect(await sut.verify(await sign(real))).toMatchObject({ id: 'u-1' });
    answer = [rogue.jwk];
    clock += 2_000;
    await expect(sut.verify(await sign(rogue))).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    expect(await sut.verify(await sign(real, { username: 'other' }))).toMatchObject({ username: 'other' });
  });

  it('refuses an endorsement by another root, and one copied onto another key', async () => {
    const root = createRootKey();
    const otherRoot = createPrivateKey(createRootKey().privateKeyPem);
    const real = await keyPair('real');
    const rogue = await keyPair('real2');
    const endorsed = endorseKey(real.jwk, createPrivateKey(root.privateKeyPem));
    const copied = { ...rogue.jwk, kid: 'real', [ENDORSEMENT_MEMBER]: (endorsed as Record<string, unknown>)[ENDORSEMENT_MEMBER] } as JWK;
    const rootPublic = parseRootPublicKey(root.publicKey);
    expect(isEndorsed(endorsed, rootPublic)).toBe(true);
    expect(isEndorsed(endorseKey(real.jwk, otherRoot), rootPublic)).toBe(false);
    expect(isEndorsed(copied, rootPublic)).toBe(false);
    expect(isEndorsed(real.jwk, rootPublic)).toBe(false);
  });
});

describe('the verified-token cache when the keys change', () => {
  it('forgets tokens verified with a key that a later key set no longer has', async () => {
    const trusted = await keyPair('trusted');
    const rogue = await keyPair('rogue');
    const next = await keyPair('next');
    let clock = Date.now();
    // First a rogue answer was taken (an unpinned verifier on an open bus); then identity's real keys arrive.
    let jwks: JWK[] = [trusted.jwk, rogue.jwk];
    const sut = createTokenVerifier({ fetchJwks: async () => ({ keys: jwks }), now: () => clock, minRefreshIntervalMs: 1_000 });
    const forged = await sign(rogue, { roles: ['NATIONAL_ADMIN'] }, Math.floor(clock / 1000) + 600);
    const honest = await sign(trusted, {}, Math.floor(clock / 1000) + 600);
    await sut.verify(forged);
    await sut.verify(honest);
    jwks = [trusted.jwk, next.jwk];
    clock += 2_000;
    await sut.verify(await sign(next, {}, Math.floor(clock / 1000) + 600)); // a new key id: the set is fetched again
    await expect(sut.verify(forged)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    expect(await sut.verify(honest)).toMatchObject({ id: 'u-1' }); // a rotation keeps the keys still published
  });
});
