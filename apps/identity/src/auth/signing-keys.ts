import { randomUUID } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, SignJWT, type CryptoKey, type JSONWebKeySet, type JWK } from 'jose';
import type { KeyObject } from 'node:crypto';
import {
  endorseKey,
  openSecret,
  rewrapSecret,
  sealedSecretKeyId,
  sealSecret,
  TOKEN_ALGORITHM,
  TOKEN_AUDIENCE,
  TOKEN_ISSUER,
  type KeyEncryption,
  type SimpulClaims,
} from '@simpul/kit';
import { Prisma, type PrismaClient } from '../db.ts';

/** A rotated-out key stays published this long after the last token it signed expired. */
const RETIRED_KEY_GRACE_MS = 5 * 60 * 1000;
/** How long an instance keeps signing with the key it read last (another instance may rotate). */
const ACTIVE_KEY_CACHE_MS = 5_000;
/**
 * Serialises key creation, rotation and sealing across instances (an arbitrary, fixed
 * advisory-lock id). A transaction-level advisory lock, not kit's session AdvisoryLock:
 * the work is one short transaction with no NATS I/O, the lock ends with its commit or
 * rollback, and the instance that waited re-reads what the first one committed.
 */
const KEY_LOCK_ID = 73_690_201;

export interface SigningKeysOptions {
  tokenTtlSeconds: number;
  /** Seals the private keys in the database (SIMPUL_MASTER_KEY, or a KMS). */
  keyEncryption: KeyEncryption;
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
 * with the same key and a restart logs nobody out. The private half is stored sealed
 * (kit's sealSecret, bound to the key id). `rotate()` starts a new key; tokens signed
 * with the old one stay valid until they expire, because the old public key is
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

  /**
   * At start: seals keys stored in the clear (written before keys were sealed), re-wraps
   * keys sealed with a previous master key, and creates the first key when there is
   * none. Instances starting at once take turns (KEY_LOCK_ID), so exactly one key is
   * created. Returns the active key id.
   */
  async ensureActiveKey(): Promise<string> {
    return this.prisma.$transaction(async (tx) => {
      await lock(tx);
      await this.sealStoredKeys(tx);
      const existing = await tx.signingKey.findFirst({ where: { retiredAt: null }, orderBy: { createdAt: 'desc' } });
      if (existing) return existing.kid;
      return (await createKey(tx, new Date(this.now()), this.options.keyEncryption)).kid;
    });
  }

  /** How many stored keys were sealed or re-wrapped. */
  private async sealStoredKeys(tx: Prisma.TransactionClient): Promise<number> {
    const encryption = this.options.keyEncryption;
    const rows = await tx.signingKey.findMany({ select: { kid: true, privateJwk: true, sealedPrivateKey: true } });
    let changed = 0;
    for (const row of rows) {
      let sealed: string;
      if (row.sealedPrivateKey) {
        if (sealedSecretKeyId(row.sealedPrivateKey) === encryption.currentKeyId) continue;
        sealed = await rewrapSecret(encryption, row.sealedPrivateKey);
      } else if (row.privateJwk) {
        sealed = await sealSecret(encryption, JSON.stringify(row.privateJwk), sealContext(row.kid));
      } else {
        throw new Error(`signing key ${row.kid} has no private key`);
      }
      await tx.signingKey.update({ where: { kid: row.kid }, data: { sealedPrivateKey: sealed, privateJwk: Prisma.DbNull } });
      changed++;
    }
    return changed;
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
      const created = await createKey(tx, at, this.options.keyEncryption);
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

  private async privateJwk(row: { kid: string; privateJwk: Prisma.JsonValue; sealedPrivateKey: string | null }): Promise<JWK> {
    if (row.sealedPrivateKey) return JSON.parse(await openSecret(this.options.keyEncryption, row.sealedPrivateKey, sealContext(row.kid))) as JWK;
    // Written in the clear by an instance of an earlier version during a rolling upgrade;
    // the next start of this version seals it.
    if (row.privateJwk) return row.privateJwk as unknown as JWK;
    throw new Error(`signing key ${row.kid} has no private key`);
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
    const key = this.active?.kid === row.kid ? this.active.key : await importJWK(await this.privateJwk(row), TOKEN_ALGORITHM);
    this.active = { kid: row.kid, key, readAt: this.now() };
    return this.active;
  }
}

async function lock(tx: Prisma.TransactionClient): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${KEY_LOCK_ID}::bigint)`;
}

/** Bound into the sealed value, so a sealed key copied onto another row does not open. */
function sealContext(kid: string): string {
  return `identity.signing-key:${kid}`;
}

async function createKey(tx: Prisma.TransactionClient, createdAt: Date, encryption: KeyEncryption) {
  const { publicKey, privateKey } = await generateKeyPair(TOKEN_ALGORITHM, { crv: 'Ed25519', extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const published: JWK = { ...publicJwk, kid, alg: TOKEN_ALGORITHM, use: 'sig' };
  const secret: JWK = { ...(await exportJWK(privateKey)), kid, alg: TOKEN_ALGORITHM };
  return tx.signingKey.create({
    data: {
      kid,
      publicJwk: published as unknown as Prisma.InputJsonValue,
      sealedPrivateKey: await sealSecret(encryption, JSON.stringify(secret), sealContext(kid)),
      createdAt,
    },
  });
}
