import { createHash, randomBytes } from 'node:crypto';

/** 256 bits: a refresh token cannot be guessed, so a fast hash is enough to store it. */
const REFRESH_TOKEN_BYTES = 32;

/** A new refresh token (given to the client once) and the hash that is stored instead. */
export function newRefreshToken(): { token: string; hash: string } {
  const token = randomBytes(REFRESH_TOKEN_BYTES).toString('base64url');
  return { token, hash: hashRefreshToken(token) };
}

/**
 * The stored form of a refresh token: hex SHA-256. Unlike a password it is a random
 * secret of full strength, so a slow hash would add nothing but latency; a database
 * dump still yields no token that can be exchanged.
 */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
