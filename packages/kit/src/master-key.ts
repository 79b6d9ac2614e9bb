import { randomBytes, randomUUID } from 'node:crypto';
import { chmod, link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError } from './environment.ts';
import { decodeMasterKey, MasterKeyEncryption, type KeyEncryption } from './key-encryption.ts';
import type { Logger } from './logger.ts';

const MASTER_KEY_FORMAT = 'must be 32 random bytes in base64 (make one with: openssl rand -base64 32)';

/** Settings of a service that keeps secrets encrypted at rest (identity's and documents' signing keys). */
export const masterKeyEnvironment = {
  /**
   * The key-encryption key (32 bytes, base64) that wraps the service's private keys in
   * its database. Unset outside production, one is generated once in
   * SIMPUL_STATE_DIR/master-key; in production a start without it is refused.
   */
  SIMPUL_MASTER_KEY: z
    .string()
    .refine((v) => decodeMasterKey(v) !== null, MASTER_KEY_FORMAT)
    .optional(),
  /**
   * Earlier master keys, comma-separated, during a rotation: secrets they wrapped are
   * re-wrapped with SIMPUL_MASTER_KEY at start; once every instance has started with the
   * new key, remove them.
   */
  SIMPUL_MASTER_KEY_PREVIOUS: z
    .string()
    .refine((v) => v.split(',').every((k) => decodeMasterKey(k) !== null), `each comma-separated key ${MASTER_KEY_FORMAT}`)
    .optional(),
};

export interface MasterKeySettings {
  SIMPUL_MASTER_KEY?: string | undefined;
  SIMPUL_MASTER_KEY_PREVIOUS?: string | undefined;
  SIMPUL_STATE_DIR: string;
  SIMPUL_DEMO: boolean;
  NODE_ENV: 'development' | 'production' | 'test';
}

/** `${SIMPUL_STATE_DIR}/master-key`: the generated master key of a demo or development platform. */
export function masterKeyFile(stateDir: string): string {
  return join(stateDir, 'master-key');
}

/**
 * The service's KeyEncryption from its settings. SIMPUL_MASTER_KEY wins. Without it, a
 * demo or development run (`npm start`, tests) reads the key kept in the state directory
 * or makes one up and keeps it there (mode 0600, like the demo admin password), so
 * nobody has to set anything; in production (NODE_ENV=production, not demo) a start
 * without it is refused, because a key lying next to the database protects nothing.
 */
export async function openMasterKeyEncryption(settings: MasterKeySettings, logger?: Logger): Promise<KeyEncryption> {
  const previous = settings.SIMPUL_MASTER_KEY_PREVIOUS ? settings.SIMPUL_MASTER_KEY_PREVIOUS.split(',').map((k) => decodeMasterKey(k) as Buffer) : [];
  if (settings.SIMPUL_MASTER_KEY) return new MasterKeyEncryption(decodeMasterKey(settings.SIMPUL_MASTER_KEY) as Buffer, previous);
  if (settings.NODE_ENV === 'production' && !settings.SIMPUL_DEMO) {
    throw new ConfigError([`SIMPUL_MASTER_KEY: required in production (it encrypts the signing keys in the database); it ${MASTER_KEY_FORMAT}`]);
  }
  const file = masterKeyFile(settings.SIMPUL_STATE_DIR);
  const { key, generated } = await keptMasterKey(file);
  if (generated) logger?.warn({ file }, 'no SIMPUL_MASTER_KEY: generated a master key for this demo/development platform and kept it in the state directory');
  return new MasterKeyEncryption(key, previous);
}

/**
 * Reads the kept key, or creates it. Several processes start at once under `npm start`:
 * the key is written to a temporary file and hard-linked into place, which fails when
 * another process got there first, so every process ends up with the same key.
 */
async function keptMasterKey(file: string): Promise<{ key: Buffer; generated: boolean }> {
  const existing = await readKept(file);
  if (existing) return { key: existing, generated: false };
  const dir = join(file, '..');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = join(dir, `.master-key.${randomUUID()}.tmp`);
  await writeFile(tmp, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  await chmod(tmp, 0o600);
  try {
    await link(tmp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
  const kept = await readKept(file);
  if (!kept) throw new Error(`${file} does not hold a master key (32 bytes, base64): fix or remove it`);
  return { key: kept, generated: true };
}

async function readKept(file: string): Promise<Buffer | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const key = decodeMasterKey(text);
  if (!key) throw new Error(`${file} does not hold a master key (32 bytes, base64): fix or remove it`);
  return key;
}
