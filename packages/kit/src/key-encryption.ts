import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** A data key wrapped by a key-encryption key, with the id of the key that can unwrap it. */
export interface WrappedKey {
  keyId: string;
  /** base64url */
  wrapped: string;
}

/**
 * What holds the key-encryption keys (a KMS, or the master key from the environment):
 * it wraps and unwraps the data keys that encrypt secrets at rest, and never hands out
 * the key-encryption key itself. A cloud KMS or an HSM implements the same two calls.
 */
export interface KeyEncryption {
  /** Id of the key that wraps new data keys; a secret wrapped by another one is re-wrapped. */
  readonly currentKeyId: string;
  wrapKey(dataKey: Buffer): Promise<WrappedKey>;
  /** Throws when `wrapped.keyId` is not a key this holder has (say which in the message). */
  unwrapKey(wrapped: WrappedKey): Promise<Buffer>;
}

const GCM_IV_BYTES = 12;
const GCM_TAG_BYTES = 16;
export const MASTER_KEY_BYTES = 32;

/** AES-256-GCM; the output is iv ‖ ciphertext ‖ tag. */
export function aesGcmEncrypt(key: Buffer, plaintext: Buffer, aad: string): Buffer {
  const iv = randomBytes(GCM_IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, ciphertext, cipher.getAuthTag()]);
}

/** The inverse of aesGcmEncrypt; throws when the data or its AAD was altered. */
export function aesGcmDecrypt(key: Buffer, sealed: Buffer, aad: string): Buffer {
  if (sealed.length < GCM_IV_BYTES + GCM_TAG_BYTES) throw new Error('sealed data is too short');
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, GCM_IV_BYTES));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(sealed.subarray(sealed.length - GCM_TAG_BYTES));
  return Buffer.concat([decipher.update(sealed.subarray(GCM_IV_BYTES, sealed.length - GCM_TAG_BYTES)), decipher.final()]);
}

/** A short public name for a master key (not secret: a hash prefix), stored beside what it wrapped. */
export function masterKeyId(key: Buffer): string {
  return createHash('sha256').update('simpul-master-key-id').update(key).digest('hex').slice(0, 16);
}

/** A master key as written in SIMPUL_MASTER_KEY: 32 bytes in base64 or base64url; null when it is not one. */
export function decodeMasterKey(text: string): Buffer | null {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) return null;
  const key = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return key.length === MASTER_KEY_BYTES ? key : null;
}

/**
 * The key-encryption keys of SIMPUL_MASTER_KEY (current) and SIMPUL_MASTER_KEY_PREVIOUS
 * (older ones, still able to unwrap): rotating the master key means moving the old one
 * to PREVIOUS and setting a new current one; services re-wrap their secrets at start.
 */
export class MasterKeyEncryption implements KeyEncryption {
  readonly currentKeyId: string;
  private readonly keys = new Map<string, Buffer>();

  constructor(current: Buffer, previous: readonly Buffer[] = []) {
    for (const key of [current, ...previous]) {
      if (key.length !== MASTER_KEY_BYTES) throw new Error(`a master key has ${MASTER_KEY_BYTES} bytes`);
      this.keys.set(masterKeyId(key), key);
    }
    this.currentKeyId = masterKeyId(current);
  }

  async wrapKey(dataKey: Buffer): Promise<WrappedKey> {
    const key = this.keys.get(this.currentKeyId) as Buffer;
    return { keyId: this.currentKeyId, wrapped: aesGcmEncrypt(key, dataKey, `simpul-data-key:${this.currentKeyId}`).toString('base64url') };
  }

  async unwrapKey(wrapped: WrappedKey): Promise<Buffer> {
    const key = this.keys.get(wrapped.keyId);
    if (!key) {
      throw new Error(
        `the secret was encrypted with master key ${wrapped.keyId}, which is neither SIMPUL_MASTER_KEY (${this.currentKeyId}) nor in SIMPUL_MASTER_KEY_PREVIOUS: set SIMPUL_MASTER_KEY_PREVIOUS to the key used before`,
      );
    }
    return aesGcmDecrypt(key, Buffer.from(wrapped.wrapped, 'base64url'), `simpul-data-key:${wrapped.keyId}`);
  }
}
