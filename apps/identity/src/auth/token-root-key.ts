import { createPublicKey, type KeyObject } from 'node:crypto';
import { ConfigError, readRootPrivateKey, rootPublicKeyText } from '@simpul/kit';
import type { IdentityEnvironment } from '../environment.ts';

/**
 * The token root key identity endorses its signing keys with (TOKEN_ROOT_KEY_FILE), or
 * undefined when none is configured. When TOKEN_ROOT_PUBLIC_KEY is set too, the two must
 * be halves of one pair: otherwise every verifier would refuse every key, and that is
 * better said at start-up than by every login failing.
 */
export function tokenRootKey(env: Pick<IdentityEnvironment, 'TOKEN_ROOT_KEY_FILE' | 'TOKEN_ROOT_PUBLIC_KEY'>): KeyObject | undefined {
  if (!env.TOKEN_ROOT_KEY_FILE) {
    if (env.TOKEN_ROOT_PUBLIC_KEY)
      throw new ConfigError(['TOKEN_ROOT_KEY_FILE: required when TOKEN_ROOT_PUBLIC_KEY is set (identity endorses its signing keys with it)']);
    return undefined;
  }
  let key: KeyObject;
  try {
    key = readRootPrivateKey(env.TOKEN_ROOT_KEY_FILE);
  } catch (error) {
    throw new ConfigError([(error as Error).message]);
  }
  const publicKey = rootPublicKeyText(createPublicKey(key));
  if (env.TOKEN_ROOT_PUBLIC_KEY && env.TOKEN_ROOT_PUBLIC_KEY !== publicKey) {
    throw new ConfigError([`TOKEN_ROOT_PUBLIC_KEY: does not match the key in TOKEN_ROOT_KEY_FILE (whose public key is ${publicKey})`]);
  }
  return key;
}
