import { randomBytes } from 'node:crypto';
import { aesGcmDecrypt, aesGcmEncrypt, type KeyEncryption } from './key-encryption.ts';

/**
 * Envelope encryption of one secret (a private key) for storage in a text column:
 * the secret is encrypted (AES-256-GCM) with a fresh data key, and the data key is
 * wrapped by the KeyEncryption's current key. Rotating the master key then re-wraps
 * the 32-byte data key only; the secret's ciphertext stays as it is.
 *
 * Format: `simpul-sealed.v1.<master key id>.<wrapped data key>.<iv‖ciphertext‖tag>`,
 * base64url parts. `context` (e.g. `identity.signing-key:<kid>`) is bound in as
 * associated data, so a sealed value copied onto another row does not open there.
 */
const PREFIX = 'simpul-sealed.v1.';

export function isSealedSecret(value: string): boolean {
  return value.startsWith(PREFIX);
}

function parse(sealed: string): { keyId: string; wrapped: string; body: string } {
  const parts = sealed.slice(PREFIX.length).split('.');
  if (!isSealedSecret(sealed) || parts.length !== 3 || parts.some((p) => !p)) throw new Error('not a sealed secret');
  const [keyId, wrapped, body] = parts as [string, string, string];
  return { keyId, wrapped, body };
}

/** The id of the master key that wrapped this secret's data key. */
export function sealedSecretKeyId(sealed: string): string {
  return parse(sealed).keyId;
}

export async function sealSecret(encryption: KeyEncryption, plaintext: string, context: string): Promise<string> {
  const dataKey = randomBytes(32);
  try {
    const wrapped = await encryption.wrapKey(dataKey);
    const body = aesGcmEncrypt(dataKey, Buffer.from(plaintext, 'utf8'), context).toString('base64url');
    return `${PREFIX}${wrapped.keyId}.${wrapped.wrapped}.${body}`;
  } finally {
    dataKey.fill(0);
  }
}

export async function openSecret(encryption: KeyEncryption, sealed: string, context: string): Promise<string> {
  const { keyId, wrapped, body } = parse(sealed);
  const dataKey = await encryption.unwrapKey({ keyId, wrapped });
  try {
    return aesGcmDecrypt(dataKey, Buffer.from(body, 'base64url'), context).toString('utf8');
  } catch (error) {
    throw new Error(`the sealed secret for ${context} does not open (altered, or moved from another row)`, { cause: error });
  } finally {
    dataKey.fill(0);
  }
}

/** The same secret with its data key wrapped by the current master key (unchanged when it already is). */
export async function rewrapSecret(encryption: KeyEncryption, sealed: string): Promise<string> {
  const { keyId, wrapped, body } = parse(sealed);
  if (keyId === encryption.currentKeyId) return sealed;
  const dataKey = await encryption.unwrapKey({ keyId, wrapped });
  try {
    const rewrapped = await encryption.wrapKey(dataKey);
    return `${PREFIX}${rewrapped.keyId}.${rewrapped.wrapped}.${body}`;
  } finally {
    dataKey.fill(0);
  }
}
