import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Passwords and client secrets are stored as scrypt hashes whose parameters travel in
 * the hash string (`$scrypt$ln=15,r=8,p=1$<salt>$<key>`), so the cost can be raised
 * later without invalidating hashes made before.
 */
export interface ScryptParams {
  /** log2 of the CPU/memory cost N. */
  ln: number;
  r: number;
  p: number;
}

export const DEFAULT_SCRYPT_PARAMS: ScryptParams = { ln: 15, r: 8, p: 1 };
const KEY_LENGTH = 64;
const SALT_LENGTH = 16;
const PREFIX = '$scrypt$';

function derive(secret: string, salt: Buffer, params: ScryptParams, keyLength: number): Promise<Buffer> {
  const N = 2 ** params.ln;
  const options: ScryptOptions = { N, r: params.r, p: params.p, maxmem: 256 * N * params.r };
  return new Promise((resolve, reject) => {
    scrypt(secret.normalize('NFKC'), salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export async function hashPassword(secret: string, params: ScryptParams = DEFAULT_SCRYPT_PARAMS): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await derive(secret, salt, params, KEY_LENGTH);
  return `${PREFIX}ln=${params.ln},r=${params.r},p=${params.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

interface ParsedHash {
  params: ScryptParams;
  salt: Buffer;
  key: Buffer;
}

function parseHash(hash: string): ParsedHash | undefined {
  if (!hash.startsWith(PREFIX)) return undefined;
  const [paramText, saltText, keyText, ...rest] = hash.slice(PREFIX.length).split('$');
  if (!paramText || !saltText || !keyText || rest.length > 0) return undefined;
  const match = /^ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})$/.exec(paramText);
  if (!match) return undefined;
  const params = { ln: Number(match[1]), r: Number(match[2]), p: Number(match[3]) };
  // Bounds keep a corrupted row from asking for gigabytes of memory.
  if (params.ln < 1 || params.ln > 20 || params.r < 1 || params.p < 1) return undefined;
  const key = Buffer.from(keyText, 'base64url');
  if (key.length < 16) return undefined;
  return { params, salt: Buffer.from(saltText, 'base64url'), key };
}

/** True when `secret` matches `hash`; false for a wrong secret or a hash we cannot read. */
export async function verifyPassword(secret: string, hash: string): Promise<boolean> {
  const parsed = parseHash(hash);
  if (!parsed) return false;
  const key = await derive(secret, parsed.salt, parsed.params, parsed.key.length);
  return timingSafeEqual(key, parsed.key);
}

/** True when the hash was made with weaker parameters than today's, so it should be re-hashed at the next login. */
export function needsRehash(hash: string, params: ScryptParams = DEFAULT_SCRYPT_PARAMS): boolean {
  const parsed = parseHash(hash);
  return !parsed || parsed.params.ln < params.ln || parsed.params.r < params.r || parsed.params.p < params.p;
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the same time as checking a real password, for logins with an unknown user
 * name or client id, so the response time does not tell which names exist.
 */
export async function verifyAgainstDummy(secret: string): Promise<false> {
  dummyHash ??= hashPassword(randomBytes(16).toString('base64url'));
  await verifyPassword(secret, await dummyHash);
  return false;
}

/** A random secret of `bytes` bytes, base64url-encoded (API client secrets, generated passwords). */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
