import { randomUUID } from 'node:crypto';
import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  SignJWT,
  type CryptoKey,
  type JSONWebKeySet,
  type JWK,
} from 'jose';
import type { KeyObject } from 'node:crypto';
import { endorseKey, TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_ISSUER, type SimpulClaims } from '@simpul/kit';
import type { Prisma, PrismaClient } from '../db.ts';

/** A rotated-out key stays published this long after the last token it signed expired. */
const RETIRED_KEY_GRACE_MS = 5 * 60 * 1000;
/** How long an instance keeps signing with the key it read last (another instance may rotate). */
const ACTIVE_KEY_CACHE_MS = 5_000;
/** Serialises key creation across instances (an arbitrary, fixed advisory-lock id). */
const KEY_LOCK_ID = 73_690_201;

export interface SigningKeysOptions {
  tokenTtlSeconds: number;
  /**
   * The platform's token root key (TOKEN_ROOT_KEY_FILE): every published key carries its
   * endorsement, which verifiers holding TOKEN_ROOT_PUBLIC_KEY require.
   */
  rootKey?: KeyObject | undefined;
  now?: () => number;
}

/** The claims a caller chooses; issuer, audience and times are set here. */
export type TokenSubject = Pick<SimpulClaims, 'sub' | 'kind' | 'username' | 'agency' | 'roles' | 'sid'>;

export interface SignedToken {
  token: string;
  expiresAt: Date;
}

export interface SigningKeyInfo {
  kid: string;
  createdAt: Date;
  retiredKid: string | null;
}

interface ActiveKey {
  kid: string;
  key: CryptoKey | Uint8Array;
  readAt: number;
}

/**
 * Identity's Ed25519 token-signing keys, kept in the database so every instance signs
 * with the same key and a restart logs nobody out. `rotate()` starts a new key; tokens
 * signed with the old one stay valid until they expire, because the old public key is
 * published until then.
 */
export class SigningKeys {
  private readonly now: () => number;
  private active: ActiveKey | undefined;
  private readonly rotationListeners: (() => void)[] = [];

  constructor(
    private readonly prisma: PrismaClient,
    private readonly options: SigningKeysOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Creates the first key when there is none; returns the active key id. */
  async ensureActiveKey(): Promise<string> {
    const existing = await this.prisma.signingKey.findFirst({ where: { retiredAt: null }, orderBy: { createdAt: 'desc' } });
    if (existing) return existing.kid;
    return this.prisma.$transaction(async (tx) => {
      await lock(tx);
      const raced = await tx.signingKey.findFirst({ where: { retiredAt: null }, orderBy: { createdAt: 'desc' } });
      if (raced) return raced.kid;
      return (await createKey(tx, new Date(this.now()))).kid;
    });
  }

  /** Starts signing with a new key; the previous one is retired but still published. */
  async rotate(): Promise<SigningKeyInfo> {
    const info = await this.prisma.$transaction(async (tx) => {
      await lock(tx);
      const at = new Date(this.now());
      const previous = await tx.signingKey.findFirst({ where: { retiredAt: null }, orderBy: { createdAt: 'desc' } });
      await tx.signingKey.updateMany({ where: { retiredAt: null }, data: { retiredAt: at } });
      // Keys nobody can hold a valid token for any more are of no use; drop them.
      await tx.signingKey.deleteMany({ where: { retiredAt: { lt: new Date(at.getTime() - this.publishedForMs() * 2) } } });
      const created = await createKey(tx, at);
      return { kid: created.kid, createdAt: created.createdAt, retiredKid: previous?.kid ?? null };
    });
    this.active = undefined;
    for (const listener of this.rotationListeners) listener();
    return info;
  }

  /** Called after this instance rotated the key (e.g. to drop a verifier's cached key set). */
  onRotate(listener: () => void): void {
    this.rotationListeners.push(listener);
  }

  /** The public keys a token may be verified with: the active key and the retired ones still in use. */
  async currentJwks(): Promise<JSONWebKeySet> {
    const since = new Date(this.now() - this.publishedForMs());
    const rows = await this.prisma.signingKey.findMany({
      where: { OR: [{ retiredAt: null }, { retiredAt: { gt: since } }] },
      orderBy: { createdAt: 'desc' },
    });
    const rootKey = this.options.rootKey;
    return { keys: rows.map((row) => row.publicJwk as unknown as JWK).map((jwk) => (rootKey ? endorseKey(jwk, rootKey) : jwk)) };
  }

  /**
   * A token for `subject`, valid for the configured lifetime, with its own id (`jti`).
   * `iat` has millisecond precision, so a revocation ("tokens issued before T") refuses
   * a token read a moment before T and not a login a moment after it. `issuedAt` is
   * when the claims were read (default now): a token is as old as what it says.
   */
  async sign(subject: TokenSubject, issuedAt: Date = new Date(this.now())): Promise<SignedToken> {
    const active = await this.activeKey();
    const issuedAtSeconds = issuedAt.getTime() / 1000;
    const expiresAt = Math.floor(issuedAtSeconds) + this.options.tokenTtlSeconds;
    const claims = { kind: subject.kind, username: subject.username, agency: subject.agency, roles: subject.roles };
    // `sid`: the login session, which a logout revokes as a whole (users' tokens only).
    const token = await new SignJWT(subject.sid ? { ...claims, sid: subject.sid } : claims)
      .setProtectedHeader({ alg: TOKEN_ALGORITHM, kid: active.kid, typ: 'JWT' })
      .setSubject(subject.sub)
      .setJti(randomUUID())
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setIssuedAt(issuedAtSeconds)
      .setExpirationTime(expiresAt)
      .sign(active.key);
    return { token, expiresAt: new Date(expiresAt * 1000) };
  }

  private publishedForMs(): number {
    return this.options.tokenTtlSeconds * 1000 + RETIRED_KEY_GRACE_MS;
  }

  private async activeKey(): Promise<ActiveKey> {
    if (this.active && this.now() - this.active.readAt < ACTIVE_KEY_CACHE_MS) return this.active;
    let row = await this.prisma.signingKey.findFirst({ where: { retiredAt: null }, orderBy: { createdAt: 'desc' } });
    if (!row) {
      await this.ensureActiveKey();
      row = await this.prisma.signingKey.findFirstOrThrow({ where: { retiredAt: null }, orderBy: { createdAt: 'desc' } });
    }
    const key = this.active?.kid === row.kid ? this.active.key : await importJWK(row.privateJwk as unknown as JWK, TOKEN_ALGORITHM);
    this.active = { kid: row.kid, key, readAt: this.now() };
    return this.active;
  }
}

async function lock(tx: Prisma.TransactionClient): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${KEY_LOCK_ID}::bigint)`;
}

async function createKey(tx: Prisma.TransactionClient, createdAt: Date) {
  const { publicKey, privateKey } = await generateKeyPair(TOKEN_ALGORITHM, { crv: 'Ed25519', extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const published: JWK = { ...publicJwk, kid, alg: TOKEN_ALGORITHM, use: 'sig' };
  const secret: JWK = { ...(await exportJWK(privateKey)), kid, alg: TOKEN_ALGORITHM };
  return tx.signingKey.create({
    data: {
      kid,
      publicJwk: published as unknown as Prisma.InputJsonValue,
      privateJwk: secret as unknown as Prisma.InputJsonValue,
      createdAt,
    },
  });
}
