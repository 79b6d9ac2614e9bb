import { describe, expect, it } from 'vitest';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { TokenDenyList } from '../src/deny-list.ts';
import { createTokenVerifier, TOKEN_AUDIENCE, TOKEN_ISSUER } from '../src/tokens.ts';

const HOUR = 60 * 60 * 1000;

describe(TokenDenyList.name, () => {
  it('refuses the tokens of a subject issued before the revocation, not those issued after or of others', () => {
    const sut = new TokenDenyList({ retentionMs: HOUR });
    const at = Date.now();
    sut.revoke({ subject: 'u-1', issuedBeforeMs: at, jti: null });
    expect(sut.isRevoked({ sub: 'u-1', iat: (at - 1) / 1000 })).toBe(true);
    // Identity signs iat with millisecond precision: a login one millisecond later is fine.
    expect(sut.isRevoked({ sub: 'u-1', iat: (at + 1) / 1000 })).toBe(false);
    expect(sut.isRevoked({ sub: 'u-2', iat: (at - 1) / 1000 })).toBe(false);
    // A token without iat cannot prove it is newer.
    expect(sut.isRevoked({ sub: 'u-1' })).toBe(true);
  });

  it('refuses one session by its jti and leaves the subject’s other tokens alone', () => {
    const sut = new TokenDenyList({ retentionMs: HOUR });
    const at = Date.now();
    sut.revoke({ subject: 'u-1', issuedBeforeMs: at, jti: 'session-a' });
    expect(sut.isRevoked({ sub: 'u-1', iat: (at - 5_000) / 1000, jti: 'session-a' })).toBe(true);
    expect(sut.isRevoked({ sub: 'u-1', iat: (at - 5_000) / 1000, jti: 'session-b' })).toBe(false);
  });

  it('refuses every token of a revoked login session (sid), including ones issued after the revocation, and no other session', () => {
    const sut = new TokenDenyList({ retentionMs: HOUR });
    const at = Date.now();
    sut.revoke({ subject: 'u-1', issuedBeforeMs: at, jti: null, session: 's-1' });
    expect(sut.isRevoked({ sub: 'u-1', iat: (at - 5_000) / 1000, jti: 'a', sid: 's-1' })).toBe(true);
    expect(sut.isRevoked({ sub: 'u-1', iat: (at + 5_000) / 1000, jti: 'b', sid: 's-1' })).toBe(true);
    // A session revocation is not "everything of u-1 before at".
    expect(sut.isRevoked({ sub: 'u-1', iat: (at - 5_000) / 1000, jti: 'c', sid: 's-2' })).toBe(false);
    expect(sut.isRevoked({ sub: 'u-1', iat: (at - 5_000) / 1000, jti: 'd' })).toBe(false);
  });

  it('keeps the latest instant when a subject is revoked twice, and forgets revocations older than the longest token lifetime', () => {
    let clock = Date.now();
    const sut = new TokenDenyList({ retentionMs: HOUR, now: () => clock });
    sut.revoke({ subject: 'u-1', issuedBeforeMs: clock, jti: null });
    sut.revoke({ subject: 'u-1', issuedBeforeMs: clock - 60_000, jti: null });
    expect(sut.isRevoked({ sub: 'u-1', iat: (clock - 30_000) / 1000 })).toBe(true);
    // Replayed at start-up: one that can no longer refuse a living token is not kept.
    sut.revoke({ subject: 'u-old', issuedBeforeMs: clock - 2 * HOUR, jti: null });
    expect(sut.size).toBe(1);
    clock += HOUR + 60_001;
    sut.revoke({ subject: 'u-2', issuedBeforeMs: clock, jti: null });
    expect(sut.size).toBe(1);
    expect(sut.isRevoked({ sub: 'u-1', iat: 0 })).toBe(false);
  });
});

describe('createTokenVerifier with a deny list', () => {
  async function setUp() {
    const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'EdDSA' };
    const denyList = new TokenDenyList({ retentionMs: HOUR });
    const sut = createTokenVerifier({ fetchJwks: async () => ({ keys: [jwk] }), denyList });
    const sign = (issuedAtMs: number, jti: string = crypto.randomUUID()) =>
      new SignJWT({ kind: 'user', username: 'pegawai', agency: 'KAB-BANYUWANGI', roles: ['EMPLOYEE'] })
        .setProtectedHeader({ alg: 'EdDSA', kid: 'k1' })
        .setSubject('u-1')
        .setJti(jti)
        .setIssuer(TOKEN_ISSUER)
        .setAudience(TOKEN_AUDIENCE)
        .setIssuedAt(issuedAtMs / 1000)
        .setExpirationTime(Math.floor(issuedAtMs / 1000) + 600)
        .sign(privateKey);
    return { denyList, sut, sign };
  }

  it('refuses a revoked token even though it verified (and was remembered) before', async () => {
    const { denyList, sut, sign } = await setUp();
    const token = await sign(Date.now() - 1_000);
    expect((await sut.verify(token)).username).toBe('pegawai');
    denyList.revoke({ subject: 'u-1', issuedBeforeMs: Date.now(), jti: null });
    await expect(sut.verify(token)).rejects.toMatchObject({ message: /revoked/, extensions: { code: 'UNAUTHENTICATED' } });
    // One issued after the revocation (a new login) is accepted.
    expect((await sut.verify(await sign(Date.now() + 1))).username).toBe('pegawai');
  });

  it('refuses a revoked token it has never seen', async () => {
    const { denyList, sut, sign } = await setUp();
    const token = await sign(Date.now() - 1_000, 'session-x');
    denyList.revoke({ subject: 'u-1', issuedBeforeMs: Date.now(), jti: 'session-x' });
    await expect(sut.verify(token)).rejects.toMatchObject({ message: /revoked/, extensions: { code: 'UNAUTHENTICATED' } });
  });
});
