import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { JSONWebKeySet, JWK } from 'jose';

/**
 * Pinning identity's token-signing keys. Anyone on an open bus can answer the JWKS
 * subject, so a verifier does not take a key because it arrived there: it takes a key
 * only when a root key endorses it. The root key is an Ed25519 pair made once per
 * platform; its private half stays with identity (TOKEN_ROOT_KEY_FILE), which endorses
 * every signing key it publishes, and its public half is given to every verifier
 * (TOKEN_ROOT_PUBLIC_KEY). Signing keys still rotate freely; only the root is pinned.
 *
 * The endorsement is an Ed25519 signature over the key's id, curve and public bytes,
 * carried in the JWK's `simpul_endorsement` member (JWKS allows extra members).
 */
export const ENDORSEMENT_MEMBER = 'simpul_endorsement';

/** What is signed: everything that makes the key what it is, and a purpose label. */
function endorsedText(jwk: JWK): Buffer {
  return Buffer.from(`simpul-token-signing-key:v1:${jwk.kid ?? ''}:${jwk.kty ?? ''}:${jwk.crv ?? ''}:${jwk.x ?? ''}`);
}

/** A new root key pair: the private key as PKCS#8 PEM (for the file), the public one as TOKEN_ROOT_PUBLIC_KEY. */
export function createRootKey(): { privateKeyPem: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKey: rootPublicKeyText(publicKey) };
}

/** TOKEN_ROOT_PUBLIC_KEY's form: the raw 32-byte Ed25519 public key, base64url. */
export function rootPublicKeyText(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' });
  if (jwk.crv !== 'Ed25519' || !jwk.x) throw new Error('the token root key must be an Ed25519 key');
  return jwk.x;
}

/** Reads identity's root private key (PKCS#8 PEM) from its file. */
export function readRootPrivateKey(file: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`TOKEN_ROOT_KEY_FILE ${file}: cannot read an Ed25519 private key (${(error as Error).message})`, { cause: error });
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`TOKEN_ROOT_KEY_FILE ${file}: not an Ed25519 key`);
  return key;
}

export function parseRootPublicKey(text: string): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: text }, format: 'jwk' });
}

/** The public JWK with the root key's endorsement added. */
export function endorseKey(jwk: JWK, rootPrivateKey: KeyObject): JWK {
  const endorsement = sign(null, endorsedText(jwk), rootPrivateKey).toString('base64url');
  return { ...jwk, [ENDORSEMENT_MEMBER]: endorsement } as JWK;
}

export function isEndorsed(jwk: JWK, rootPublicKey: KeyObject): boolean {
  const endorsement = (jwk as Record<string, unknown>)[ENDORSEMENT_MEMBER];
  if (typeof endorsement !== 'string' || jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519') return false;
  try {
    return verify(null, endorsedText(jwk), rootPublicKey, Buffer.from(endorsement, 'base64url'));
  } catch {
    return false;
  }
}

/** The keys of a set that the root key endorses, and the ids of those it refused. */
export function pinKeys(jwks: JSONWebKeySet, rootPublicKey: KeyObject): { jwks: JSONWebKeySet; refused: string[] } {
  const keys: JWK[] = [];
  const refused: string[] = [];
  for (const key of jwks.keys) {
    if (isEndorsed(key, rootPublicKey)) keys.push(key);
    else refused.push(key.kid ?? '(no kid)');
  }
  return { jwks: { keys }, refused };
}
