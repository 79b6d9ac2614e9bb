import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadEnvironment, z } from '../src/environment.ts';
import { MasterKeyEncryption } from '../src/key-encryption.ts';
import { masterKeyEnvironment, masterKeyFile, openMasterKeyEncryption } from '../src/master-key.ts';
import { isSealedSecret, openSecret, rewrapSecret, sealedSecretKeyId, sealSecret } from '../src/sealed-secret.ts';

const PEM = '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n';

let stateDir: string;
beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'simpul-master-key-'));
});
afterAll(async () => {
  await rm(stateDir, { recursive: true, force: true });
});

describe('sealed secrets', () => {
  it('keeps no trace of the secret, and opens only with its context', async () => {
    const sut = new MasterKeyEncryption(randomBytes(32));
    const sealed = await sealSecret(sut, PEM, 'test.key:a');
    expect(isSealedSecret(sealed)).toBe(true);
    expect(sealed).not.toContain('PRIVATE KEY');
    expect(sealed).not.toContain('MC4CAQAwBQYDK2VwBCIEIA');
    expect(await openSecret(sut, sealed, 'test.key:a')).toBe(PEM);
    await expect(openSecret(sut, sealed, 'test.key:b')).rejects.toThrow(/does not open/);
  });

  it('re-wraps under a new master key and still opens with the old one only while it is PREVIOUS', async () => {
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const before = new MasterKeyEncryption(oldKey);
    const sealed = await sealSecret(before, PEM, 'ctx');

    const rotating = new MasterKeyEncryption(newKey, [oldKey]);
    expect(await openSecret(rotating, sealed, 'ctx')).toBe(PEM);
    const rewrapped = await rewrapSecret(rotating, sealed);
    expect(sealedSecretKeyId(rewrapped)).toBe(rotating.currentKeyId);
    expect(await rewrapSecret(rotating, rewrapped)).toBe(rewrapped);

    const after = new MasterKeyEncryption(newKey);
    expect(await openSecret(after, rewrapped, 'ctx')).toBe(PEM);
    await expect(openSecret(after, sealed, 'ctx')).rejects.toThrow(/neither SIMPUL_MASTER_KEY .* nor in SIMPUL_MASTER_KEY_PREVIOUS/);
  });
});

describe(openMasterKeyEncryption.name, () => {
  const base = { SIMPUL_DEMO: false, NODE_ENV: 'development' as const };

  it('generates one key for every process that starts at once, and keeps it (mode 0600)', async () => {
    const dir = join(stateDir, 'generated');
    const opened = await Promise.all(Array.from({ length: 4 }, () => openMasterKeyEncryption({ ...base, SIMPUL_STATE_DIR: dir })));
    expect(new Set(opened.map((e) => e.currentKeyId)).size).toBe(1);
    expect((await stat(masterKeyFile(dir))).mode & 0o777).toBe(0o600);
    const again = await openMasterKeyEncryption({ ...base, SIMPUL_STATE_DIR: dir });
    expect(again.currentKeyId).toBe(opened[0]?.currentKeyId);
    expect((await readFile(masterKeyFile(dir), 'utf8')).trim()).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  });

  it('uses SIMPUL_MASTER_KEY when set, and refuses production without it', async () => {
    const key = randomBytes(32).toString('base64');
    const sut = await openMasterKeyEncryption({ ...base, NODE_ENV: 'production', SIMPUL_STATE_DIR: stateDir, SIMPUL_MASTER_KEY: key });
    expect(sut.currentKeyId).toBe(new MasterKeyEncryption(Buffer.from(key, 'base64')).currentKeyId);
    await expect(openMasterKeyEncryption({ ...base, NODE_ENV: 'production', SIMPUL_STATE_DIR: stateDir })).rejects.toThrow(ConfigError);
    await expect(openMasterKeyEncryption({ ...base, NODE_ENV: 'production', SIMPUL_STATE_DIR: stateDir })).rejects.toThrow(
      /SIMPUL_MASTER_KEY: required in production/,
    );
  });

  it('says what a master key must look like', () => {
    const schema = z.object(masterKeyEnvironment);
    expect(() => loadEnvironment(schema, { SIMPUL_MASTER_KEY: 'short', SIMPUL_MASTER_KEY_PREVIOUS: `${randomBytes(32).toString('base64')},nope` })).toThrow(
      /SIMPUL_MASTER_KEY: must be 32 random bytes in base64[\s\S]*SIMPUL_MASTER_KEY_PREVIOUS: each comma-separated key/,
    );
    expect(loadEnvironment(schema, { SIMPUL_MASTER_KEY: randomBytes(32).toString('base64url') }).SIMPUL_MASTER_KEY).toBeDefined();
  });
});
