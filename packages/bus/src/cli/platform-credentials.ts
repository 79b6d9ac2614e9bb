/**
 * Prepares the credentials of a platform that authenticates to its own nats-server
 * (infra/scripts/infra.sh --platform runs it; so can an operator):
 *
 *   node --import tsx packages/bus/src/cli/platform-credentials.ts <dir>
 *
 * Creates once, and keeps: an NKey seed per process in <dir>/keys/<role>.nk and their
 * public keys in <dir>/keys/platform-users.json; the token root key pair in
 * <dir>/token-root-key.pem. Writes <dir>/authorization.conf (the processes with their
 * permissions; identity adds the agency systems' users when NATS_AUTHORIZATION_FILE
 * points there). Prints the settings to give the processes as shell assignments.
 * SIMPUL_NAMESPACE says which subjects the permissions cover (default `simpul`).
 */
import { createPublicKey } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { subjectsFor } from '@simpul/contracts';
import { createRootKey, rootPublicKeyText } from '@simpul/kit';
import { renderNatsAuthorization, writeNatsAuthorization } from '../agency-credentials.ts';
import { ensurePlatformKeys, PLATFORM_USERS_FILE } from '../platform-credentials.ts';
import { readCliEnvironment } from './environment.ts';

async function ensureRootKey(file: string): Promise<string> {
  const existing = await readFile(file, 'utf8').catch(() => null);
  if (existing) return rootPublicKeyText(createPublicKey(existing));
  const created = createRootKey();
  await writeFile(file, created.privateKeyPem, { mode: 0o600 });
  return created.publicKey;
}

async function main(argv: string[]): Promise<void> {
  const [target] = argv;
  if (!target) throw new Error('usage: platform-credentials <dir>');
  const dir = resolve(target);
  const subjects = subjectsFor(readCliEnvironment().SIMPUL_NAMESPACE);
  const keys = join(dir, 'keys');
  const platformUsers = await ensurePlatformKeys(keys);
  const authorization = join(dir, 'authorization.conf');
  // Only when missing: identity keeps the agency systems' users in the same file.
  if (!(await readFile(authorization, 'utf8').catch(() => null))) {
    await writeNatsAuthorization(authorization, renderNatsAuthorization({ subjects, users: [], platformUsers }));
  }
  const rootKeyFile = join(dir, 'token-root-key.pem');
  const rootPublicKey = await ensureRootKey(rootKeyFile);
  const lines = {
    SIMPUL_PLATFORM_KEYS: keys,
    NATS_PLATFORM_USERS_FILE: join(keys, PLATFORM_USERS_FILE),
    NATS_AUTHORIZATION_FILE: authorization,
    TOKEN_ROOT_KEY_FILE: rootKeyFile,
    TOKEN_ROOT_PUBLIC_KEY: rootPublicKey,
  };
  for (const [name, value] of Object.entries(lines)) console.log(`${name}=${JSON.stringify(value)}`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`platform-credentials: ${(error as Error).message}`);
  process.exit(1);
});
