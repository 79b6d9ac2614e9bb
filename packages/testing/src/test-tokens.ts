import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import type { Role } from '@simpul/contracts';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '@simpul/kit';

/** Who a test token speaks for. */
export interface TestCaller {
  username: string;
  agencyCode: string;
  roles: readonly Role[];
  kind?: 'user' | 'client';
  /** The token's subject; `user-<username>` unless given. */
  id?: string;
}

export interface TestTokenIssuer {
  kid: string;
  /** What identity's JWKS subject would answer; serve it with bus's serveJwks. */
  jwks: { keys: JWK[] };
  /** A real EdDSA token as identity would issue it (cached per caller for the default lifetime). */
  sign(caller: TestCaller, expiresIn?: string | number): Promise<string>;
}

/**
 * Stands in for identity's token signing in a service's own tests: a fresh Ed25519 key,
 * its JWKS, and tokens the service verifies exactly as it verifies identity's.
 */
export async function createTestTokenIssuer(kid = 'test-identity'): Promise<TestTokenIssuer> {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' };
  const cache = new Map<string, Promise<string>>();
  const issue = (caller: TestCaller, expiresIn: string | number) =>
    new SignJWT({ kind: caller.kind ?? 'user', username: caller.username, agency: caller.agencyCode, roles: [...caller.roles] })
      .setProtectedHeader({ alg: 'EdDSA', kid })
      .setSubject(caller.id ?? `user-${caller.username}`)
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(expiresIn)
      .sign(privateKey);
  return {
    kid,
    jwks: { keys: [jwk] },
    sign(caller, expiresIn) {
      if (expiresIn !== undefined) return issue(caller, expiresIn);
      const key = JSON.stringify(caller);
      let token = cache.get(key);
      if (!token) {
        token = issue(caller, '1h');
        cache.set(key, token);
      }
      return token;
    },
  };
}
