import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, createHash, type KeyObject } from 'node:crypto';
import type { PrismaClient } from '../db.ts';

/**
 * The service's Ed25519 document-signing keys.
 *
 * Key management: one active key per service, created on first start and kept in
 * the service's own database (PKCS#8 PEM); its public half is published through the
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

  constructor(private readonly prisma: PrismaClient) {}

  /** Loads the active key, creating it when the service has none. */
  async ensureActiveKey(): Promise<string> {
    let row = await this.prisma.signingKey.findFirst({ where: { retiredAt: null }, orderBy: { createdAt: 'desc' } });
    if (!row) {
      await this.prisma.signingKey.createMany({ data: [newKey()], skipDuplicates: true });
      row = await this.prisma.signingKey.findFirstOrThrow({ where: { retiredAt: null }, orderBy: { createdAt: 'desc' } });
    }
    this.active = { kid: row.kid, privateKey: createPrivateKey(row.privateKey) };
    return row.kid;
  }

  /**
   * Starts signing with a new key and retires the others. Retired keys stay, so every
   * letter they signed still verifies. (Another running instance picks the new key up
   * when it restarts; until then its signatures, with the old key, verify too.)
   */
  async rotate(): Promise<PublicSigningKey> {
    const key = newKey();
    const row = await this.prisma.$transaction(async (tx) => {
      await tx.signingKey.updateMany({ where: { retiredAt: null }, data: { retiredAt: new Date() } });
      return tx.signingKey.create({ data: key });
    });
    this.active = { kid: row.kid, privateKey: createPrivateKey(row.privateKey) };
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

function newKey(): { kid: string; publicKey: string; privateKey: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    // The key id is derived from the public key, so it names the key wherever it is published.
    kid: createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('base64url').slice(0, 16),
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}
