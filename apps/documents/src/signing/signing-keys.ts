import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, createHash, type KeyObject } from 'node:crypto';
import { openSecret, rewrapSecret, sealedSecretKeyId, sealSecret, type KeyEncryption } from '@simpul/kit';
import type { PrismaClient, Transaction } from '../db.ts';

/**
 * Serialises key creation, rotation and sealing across instances (an arbitrary, fixed
 * advisory-lock id). A transaction-level advisory lock, not kit's session AdvisoryLock:
 * the work is one short transaction with no NATS I/O, the lock ends with its commit or
 * rollback, and an instance that waited re-reads what the first one committed, so two
 * instances starting at once make one key, not two.
 */
const KEY_LOCK_ID = 73_690_202;

/**
 * The service's Ed25519 document-signing keys.
 *
 * Key management: one active key per service, created on first start and kept in
 * the service's own database (PKCS#8 PEM, sealed with SIMPUL_MASTER_KEY through kit's
 * sealSecret and bound to its key id); its public half is published through the
 * `documentSigningKeys` query so anyone can check a signature offline. A rotated key
 * is retired, never deleted, so old letters still verify. The signature proves that
 * the documents service recorded this content as signed by this signer at this time;
 * a nationally certified personal signature (BSrE/BSSN) would replace the key with a
 * per-signer certificate in an HSM — that integration is out of scope here.
 */
export interface PublicSigningKey {
  kid: string;
  publicKeyPem: string;
  createdAt: Date;
  retiredAt: Date | null;
}

export class DocumentSigningKeys {
  private active: { kid: string; privateKey: KeyObject } | undefined;
  private readonly publicKeys = new Map<string, KeyObject>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly encryption: KeyEncryption,
  ) {}

  /**
   * Loads the active key, creating it when the service has none. Keys stored in the
   * clear (before keys were sealed) are sealed, and keys sealed with a previous master
   * key re-wrapped, first.
   */
  async ensureActiveKey(): Promise<string> {
    const row = await this.prisma.$transaction(async (tx) => {
      await lock(tx);
      await this.sealStoredKeys(tx);
      const existing = await tx.signingKey.findFirst({ where: { retiredAt: null }, orderBy: { createdAt: 'desc' } });
      return existing ?? tx.signingKey.create({ data: await this.newKey() });
    });
    this.active = { kid: row.kid, privateKey: await this.privateKey(row) };
    return row.kid;
  }

  private async sealStoredKeys(tx: Transaction): Promise<void> {
    const rows = await tx.signingKey.findMany({ select: { kid: true, privateKey: true, sealedPrivateKey: true } });
    for (const row of rows) {
      let sealed: string;
      if (row.sealedPrivateKey) {
        if (sealedSecretKeyId(row.sealedPrivateKey) === this.encryption.currentKeyId) continue;
        sealed = await rewrapSecret(this.encryption, row.sealedPrivateKey);
      } else if (row.privateKey) {
        sealed = await sealSecret(this.encryption, row.privateKey, sealContext(row.kid));
      } else {
        throw new Error(`document signing key ${row.kid} has no private key`);
      }
      await tx.signingKey.update({ where: { kid: row.kid }, data: { sealedPrivateKey: sealed, privateKey: null } });
    }
  }

  private async privateKey(row: { kid: string; privateKey: string | null; sealedPrivateKey: string | null }): Promise<KeyObject> {
    if (row.sealedPrivateKey) return createPrivateKey(await openSecret(this.encryption, row.sealedPrivateKey, sealContext(row.kid)));
    // Written in the clear by an instance of an earlier version during a rolling upgrade;
    // the next start of this version seals it.
    if (row.privateKey) return createPrivateKey(row.privateKey);
    throw new Error(`document signing key ${row.kid} has no private key`);
  }

  private async newKey(): Promise<{ kid: string; publicKey: string; sealedPrivateKey: string }> {
    const { kid, publicKey, privateKey } = newKey();
    return { kid, publicKey, sealedPrivateKey: await sealSecret(this.encryption, privateKey, sealContext(kid)) };
  }

  /**
   * Starts signing with a new key and retires the others. Retired keys stay, so every
   * letter they signed still verifies. (Another running instance picks the new key up
   * when it restarts; until then its signatures, with the old key, verify too.)
   */
  async rotate(): Promise<PublicSigningKey> {
    const key = await this.newKey();
    const row = await this.prisma.$transaction(async (tx) => {
      await lock(tx);
      await tx.signingKey.updateMany({ where: { retiredAt: null }, data: { retiredAt: new Date() } });
      return tx.signingKey.create({ data: key });
    });
    this.active = { kid: row.kid, privateKey: await this.privateKey(row) };
    return { kid: row.kid, publicKeyPem: row.publicKey, createdAt: row.createdAt, retiredAt: null };
  }

  /** Signs a digest (hex) with the active key; the signature is base64. */
  signDigest(digestHex: string): { kid: string; signature: string } {
    if (!this.active) throw new Error('Document signing key not loaded: call ensureActiveKey() first');
    return { kid: this.active.kid, signature: sign(null, Buffer.from(digestHex, 'hex'), this.active.privateKey).toString('base64') };
  }

  /** True when `signature` is `kid`'s signature over the digest; false for an unknown key or a bad signature. */
  async verifyDigest(kid: string, digestHex: string, signature: string): Promise<boolean> {
    let key = this.publicKeys.get(kid);
    if (!key) {
      const row = await this.prisma.signingKey.findUnique({ where: { kid } });
      if (!row) return false;
      key = createPublicKey(row.publicKey);
      this.publicKeys.set(kid, key);
    }
    try {
      return verify(null, Buffer.from(digestHex, 'hex'), key, Buffer.from(signature, 'base64'));
    } catch {
      return false;
    }
  }

  async publicKeysList(): Promise<PublicSigningKey[]> {
    const rows = await this.prisma.signingKey.findMany({ orderBy: { createdAt: 'asc' } });
    return rows.map((r) => ({ kid: r.kid, publicKeyPem: r.publicKey, createdAt: r.createdAt, retiredAt: r.retiredAt }));
  }
}

async function lock(tx: Transaction): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${KEY_LOCK_ID}::bigint)`;
}

/** Bound into the sealed value, so a sealed key copied onto another row does not open. */
function sealContext(kid: string): string {
  return `documents.signing-key:${kid}`;
}

function newKey(): { kid: string; publicKey: string; privateKey: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    // The key id is derived from the public key, so it names the key wherever it is published.
    kid: createHash('sha256')
      .update(publicKey.export({ type: 'spki', format: 'der' }))
      .digest('base64url')
      .slice(0, 16),
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}
