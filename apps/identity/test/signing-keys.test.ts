import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { calculateJwkThumbprint, decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { createTokenVerifier, MasterKeyEncryption, sealedSecretKeyId, TOKEN_AUDIENCE, TOKEN_ISSUER, type KeyEncryption } from '@simpul/kit';
import { SigningKeys, type TokenSubject } from '../src/auth/signing-keys.ts';
import { startTestDatabase, type TestDatabase } from './support/database.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await startTestDatabase();
});
afterAll(async () => {
  await db?.cleanUp();
});

const subject: TokenSubject = { sub: '3f1c2a9e-0000-4000-8000-000000000001', kind: 'user', username: 'hr.bkn', agency: 'BKN', roles: ['HR_OFFICER'] };
const TTL = 900;

const masterKey = randomBytes(32);
const keyEncryption = new MasterKeyEncryption(masterKey);

function keysAt(clock: { now: number }, encryption: KeyEncryption = keyEncryption) {
  return new SigningKeys(db.prisma, { tokenTtlSeconds: TTL, keyEncryption: encryption, now: () => clock.now });
}

describe(SigningKeys.name, () => {
  it('creates one active key, publishes only its public part, and signs with it', async () => {
    const clock = { now: Date.now() };
    const sut = keysAt(clock);
    const [a, b] = await Promise.all([sut.ensureActiveKey(), keysAt(clock).ensureActiveKey()]);
    expect(a).toBe(b);
    const jwks = await sut.currentJwks();
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', kid: a, alg: 'EdDSA', use: 'sig' });
    expect(jwks.keys[0]).not.toHaveProperty('d');

    const { token, expiresAt } = await sut.sign(subject);
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'EdDSA', kid: a, typ: 'JWT' });
    expect(expiresAt.getTime()).toBe((Math.floor(clock.now / 1000) + TTL) * 1000);
    const verifier = createTokenVerifier({ fetchJwks: () => sut.currentJwks() });
    expect(await verifier.verify(token)).toMatchObject({ id: subject.sub, kind: 'user', username: 'hr.bkn', agencyCode: 'BKN', roles: ['HR_OFFICER'] });
  });

  it('keeps tokens signed before a rotation valid, and signs new ones with the new key', async () => {
    const clock = { now: Date.now() };
    const sut = keysAt(clock);
    const before = await sut.sign(subject);
    const oldKid = decodeProtectedHeader(before.token).kid;
    // A verifier that cached the key set before the rotation, like another service's.
    const cached = createTokenVerifier({ fetchJwks: () => sut.currentJwks(), minRefreshIntervalMs: 0 });
    await cached.verify(before.token);

    const rotated = await sut.rotate();
    expect(rotated.retiredKid).toBe(oldKid);
    expect(rotated.kid).not.toBe(oldKid);
    const after = await sut.sign(subject);
    expect(decodeProtectedHeader(after.token).kid).toBe(rotated.kid);
    expect((await sut.currentJwks()).keys.map((k) => k.kid).sort()).toEqual([oldKid, rotated.kid].sort());

    const fresh = createTokenVerifier({ fetchJwks: () => sut.currentJwks() });
    expect((await fresh.verify(before.token)).username).toBe('hr.bkn');
    expect((await fresh.verify(after.token)).username).toBe('hr.bkn');
    expect((await cached.verify(after.token)).username).toBe('hr.bkn');
  });

  it('stops publishing a retired key once every token it signed has expired', async () => {
    const clock = { now: Date.now() };
    const sut = keysAt(clock);
    const retired = decodeProtectedHeader((await sut.sign(subject)).token).kid;
    const { kid: current } = await sut.rotate();
    clock.now += (TTL + 5 * 60 - 1) * 1000;
    expect((await sut.currentJwks()).keys.map((k) => k.kid)).toContain(retired);
    clock.now += 2_000;
    expect((await sut.currentJwks()).keys.map((k) => k.kid)).toEqual([current]);
  });

  it('refuses a token signed by a key it never published', async () => {
    const sut = keysAt({ now: Date.now() });
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const token = await new SignJWT({ kind: 'user', username: 'x', agency: 'BKN', roles: ['NATIONAL_ADMIN'] })
      .setProtectedHeader({ alg: 'EdDSA', kid: 'made-up-key' })
      .setSubject('x')
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setExpirationTime('5m')
      .sign(privateKey);
    const verifier = createTokenVerifier({ fetchJwks: () => sut.currentJwks() });
    await expect(verifier.verify(token)).rejects.toMatchObject({
      message: 'Token was signed with an unknown key',
      extensions: { code: 'UNAUTHENTICATED' },
    });
  });

  it('seals keys stored in the clear at start, and signs with them as before', async () => {
    // A key as identity stored it before keys were sealed.
    const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    await db.prisma.signingKey.updateMany({ where: { retiredAt: null }, data: { retiredAt: new Date() } });
    await db.prisma.signingKey.create({
      data: { kid, publicJwk: { ...publicJwk, kid, alg: 'EdDSA', use: 'sig' }, privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'EdDSA' } },
    });

    const sut = keysAt({ now: Date.now() });
    expect(await sut.ensureActiveKey()).toBe(kid);
    const rows = await db.prisma.$queryRawUnsafe<{ privateJwk: unknown; sealedPrivateKey: string | null }[]>(
      'SELECT "privateJwk", "sealedPrivateKey" FROM "SigningKey"',
    );
    expect(rows.length).toBeGreaterThan(1);
    for (const row of rows) {
      expect(row.privateJwk).toBeNull();
      expect(sealedSecretKeyId(row.sealedPrivateKey ?? '')).toBe(keyEncryption.currentKeyId);
    }
    const { token } = await sut.sign(subject);
    expect(decodeProtectedHeader(token).kid).toBe(kid);
    expect((await createTokenVerifier({ fetchJwks: () => sut.currentJwks() }).verify(token)).username).toBe('hr.bkn');
  });

  it('re-wraps the keys when the master key is rotated, and needs the old key only until then', async () => {
    const clock = { now: Date.now() };
    const active = await keysAt(clock).ensureActiveKey();
    const newMasterKey = randomBytes(32);
    const withoutPrevious = keysAt(clock, new MasterKeyEncryption(newMasterKey));
    await expect(withoutPrevious.ensureActiveKey()).rejects.toThrow(/SIMPUL_MASTER_KEY_PREVIOUS/);

    const rotating = new MasterKeyEncryption(newMasterKey, [masterKey]);
    expect(await keysAt(clock, rotating).ensureActiveKey()).toBe(active);
    const rows = await db.prisma.$queryRawUnsafe<{ sealedPrivateKey: string }[]>('SELECT "sealedPrivateKey" FROM "SigningKey"');
    expect(rows.map((r) => sealedSecretKeyId(r.sealedPrivateKey))).toEqual(rows.map(() => rotating.currentKeyId));

    // The old master key can now be dropped: the new one alone signs.
    const after = keysAt(clock, new MasterKeyEncryption(newMasterKey));
    expect(decodeProtectedHeader((await after.sign(subject)).token).kid).toBe(active);
  });
});
