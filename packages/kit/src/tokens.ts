import { createLocalJWKSet, errors as joseErrors, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import { isRole, type Role } from '@simpul/contracts';
import { unauthenticated } from './errors.ts';
import type { Principal } from './principal.ts';
import type { RevocableToken, TokenDenyList } from './deny-list.ts';
import { parseRootPublicKey, pinKeys } from './key-endorsement.ts';

/** Fixed values every Simpul token carries; identity signs them, everyone else checks them. */
export const TOKEN_ISSUER = 'simpul-identity';
export const TOKEN_AUDIENCE = 'simpul';
export const TOKEN_ALGORITHM = 'EdDSA';

/** The claims identity puts in a token besides the registered ones. */
export interface SimpulClaims extends JWTPayload {
  sub: string;
  kind: 'user' | 'client';
  username: string;
  agency: string;
  roles: Role[];
  /** The login session (a user's login and its refreshes); absent in API client tokens. */
  sid?: string;
}

export interface TokenVerifierOptions {
  /** Reads identity's current public keys (over NATS in services, cached by the caller or not). */
  fetchJwks: () => Promise<JSONWebKeySet>;
  /** An unknown key id triggers a refresh at most this often, so forged key ids cannot flood identity. */
  minRefreshIntervalMs?: number;
  clockToleranceSeconds?: number;
  now?: () => number;
  /** Verified tokens remembered until they expire, so a caller's every request does not pay a signature check. */
  cacheSize?: number;
  /** Revoked tokens, checked on every verification (remembered tokens too). */
  denyList?: Pick<TokenDenyList, 'isRevoked'>;
  /**
   * TOKEN_ROOT_PUBLIC_KEY: when set, only signing keys this root key endorses are used
   * (see key-endorsement.ts); a key set from anyone else verifies nothing.
   */
  rootPublicKey?: string | undefined;
  /** Told the ids of keys refused for lack of a valid endorsement (to log them). */
  onRefusedKeys?: (kids: string[]) => void;
}

export interface TokenVerifier {
  /** The principal a bearer token proves, or an UNAUTHENTICATED error that says why not. */
  verify(token: string): Promise<Principal>;
  /** Drops cached keys; the next verification fetches them again. */
  invalidate(): void;
}

/**
 * Verifies Simpul tokens against identity's JWKS. Keys are cached and fetched again
 * when a token names a key id we have not seen (identity rotated its key), so a
 * rotation never logs anyone out.
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const minRefresh = options.minRefreshIntervalMs ?? 5_000;
  const now = options.now ?? Date.now;
  let keys: { jwks: JSONWebKeySet; local: ReturnType<typeof createLocalJWKSet>; at: number } | undefined;
  let inflight: Promise<void> | undefined;
  // Token text → principal and expiry. The same bytes always verify the same way,
  // so only expiry needs checking again; the signature check (async WebCrypto,
  // ~1-2 ms here) is paid once per token instead of once per request. Each entry
  // names the key that verified it: when a key set without that key arrives, the
  // entry goes, so a token verified with a key that is no longer trusted (rotated
  // away, or a rogue one) is not accepted from memory.
  const verified = new Map<string, { principal: Principal; expiresAtMs: number; claims: RevocableToken; key: string }>();
  const root = options.rootPublicKey ? parseRootPublicKey(options.rootPublicKey) : undefined;
  const cacheSize = options.cacheSize ?? 10_000;
  const denyList = options.denyList;
  const revoked = (claims: RevocableToken) => denyList?.isRevoked(claims) ?? false;

  async function refresh(): Promise<void> {
    inflight ??= options
      .fetchJwks()
      .then((fetched) => {
        let jwks = fetched;
        if (root) {
          const pinned = pinKeys(fetched, root);
          if (pinned.refused.length > 0) options.onRefusedKeys?.(pinned.refused);
          // An answer with no endorsed key at all is not identity's (a rogue one, on an
          // open bus): it must not displace the keys in use, or it denies every login.
          if (pinned.jwks.keys.length === 0 && fetched.keys.length > 0 && keys) return;
          jwks = pinned.jwks;
        }
        keys = { jwks, local: createLocalJWKSet(jwks), at: now() };
        const current = new Set(jwks.keys.map(keyIdentity));
        for (const [token, entry] of verified) if (!current.has(entry.key)) verified.delete(token);
      })
      .finally(() => {
        inflight = undefined;
      });
    return inflight;
  }

  function knows(kid: string | undefined): boolean {
    return !!keys && keys.jwks.keys.some((k) => k.kid === kid);
  }

  async function verify(token: string): Promise<Principal> {
    const hit = verified.get(token);
    if (hit) {
      if (revoked(hit.claims)) throw unauthenticated(REVOKED);
      if (hit.expiresAtMs > now()) return hit.principal;
      verified.delete(token);
    }
    const kid = readKid(token);
    if (!keys || (!knows(kid) && now() - keys.at >= minRefresh)) {
      try {
        await refresh();
      } catch (error) {
        if (!keys) throw unauthenticated(`Cannot verify the token now: signing keys unavailable (${(error as Error).message})`);
      }
    }
    try {
      const { payload, protectedHeader } = await jwtVerify(token, keys!.local, {
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
        algorithms: [TOKEN_ALGORITHM],
        clockTolerance: options.clockToleranceSeconds ?? 5,
        currentDate: new Date(now()),
      });
      const principal = toPrincipal(payload, token);
      const claims: RevocableToken = { sub: principal.id, iat: payload.iat, jti: payload.jti, sid: principal.sessionId };
      if (revoked(claims)) throw new TokenRevoked();
      if (payload.exp !== undefined) {
        if (verified.size >= cacheSize) verified.delete(verified.keys().next().value!);
        const key = keys!.jwks.keys.find((k) => k.kid === protectedHeader.kid);
        verified.set(token, { principal, expiresAtMs: payload.exp * 1000, claims, key: key ? keyIdentity(key) : '' });
      }
      return principal;
    } catch (error) {
      throw unauthenticated(explain(error));
    }
  }

  return {
    verify,
    invalidate: () => {
      keys = undefined;
      verified.clear();
    },
  };
}

const REVOKED = 'Token has been revoked; log in again';

/** A key is its id and its public bytes: the same id with other bytes is another key. */
function keyIdentity(key: { kid?: string | undefined; x?: string | undefined }): string {
  return `${key.kid ?? ''}:${key.x ?? ''}`;
}

class TokenRevoked extends Error {}

function readKid(token: string): string | undefined {
  const header = token.split('.')[0];
  if (!header) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { kid?: unknown };
    return typeof parsed.kid === 'string' ? parsed.kid : undefined;
  } catch {
    return undefined;
  }
}

function toPrincipal(payload: JWTPayload, token: string): Principal {
  const p = payload as Partial<SimpulClaims>;
  const roles = Array.isArray(p.roles) ? p.roles.filter((r): r is Role => typeof r === 'string' && isRole(r)) : [];
  if (!p.sub || (p.kind !== 'user' && p.kind !== 'client') || !p.username || !p.agency) {
    throw new joseErrors.JWTClaimValidationFailed('token lacks Simpul claims', payload);
  }
  const session = typeof p.sid === 'string' && p.sid ? { sessionId: p.sid } : {};
  return { id: p.sub, kind: p.kind, username: p.username, agencyCode: p.agency, roles, token, ...session };
}

function explain(error: unknown): string {
  if (error instanceof TokenRevoked) return REVOKED;
  if (error instanceof joseErrors.JWTExpired) return 'Token has expired; log in again';
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'Token was signed with an unknown key';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'Token signature is invalid';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `Token is not valid here: ${error.message}`;
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'Token uses a signing algorithm that is not accepted';
  if (error instanceof joseErrors.JOSEError) return `Token is malformed: ${error.message}`;
  return 'Token could not be verified';
}

/** `Bearer <token>` → token; anything else → undefined. */
export function bearerToken(header: string | null | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return match?.[1];
}
