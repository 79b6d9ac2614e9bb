import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, dropDatabase, ensureDatabase, MasterKeyEncryption, sealedSecretKeyId } from '@simpul/kit';
import { testServerUrl, uniqueSuffix } from '@simpul/testing';
import { openDatabase, type Database } from '../src/db.ts';
import { MIGRATIONS_DIR } from '../src/service.ts';
import { DocumentSigningKeys } from '../src/signing/signing-keys.ts';

let url: string;
/** One database client per instance, as two processes of the service would have. */
const instances: Database[] = [];
const masterKey = randomBytes(32);
const keyEncryption = new MasterKeyEncryption(masterKey);

beforeAll(async () => {
  url = `${testServerUrl()}/simpul_documents_test_${uniqueSuffix()}`;
  await ensureDatabase(url);
  await applyMigrations(url, MIGRATIONS_DIR);
  for (let i = 0; i < 4; i++) instances.push(openDatabase(url, { poolSize: 2 }));
});
afterAll(async () => {
  for (const db of instances) await db.close();
  if (url) await dropDatabase(url);
});

const db = () => instances[0] as Database;
const digest = createHash('sha256').update('surat').digest('hex');

async function storedKeys() {
  return db().prisma.signingKey.findMany({ orderBy: { createdAt: 'asc' } });
}

describe(DocumentSigningKeys.name, () => {
  it('makes exactly one active key when several instances start at once', async () => {
    const kids = await Promise.all(instances.map((i) => new DocumentSigningKeys(i.prisma, keyEncryption).ensureActiveKey()));
    expect(new Set(kids).size).toBe(1);
    expect(await db().prisma.signingKey.count({ where: { retiredAt: null } })).toBe(1);
  });

  it('two rotations at once leave exactly one active key', async () => {
    await Promise.all(instances.slice(0, 2).map((i) => new DocumentSigningKeys(i.prisma, keyEncryption).rotate()));
    expect(await db().prisma.signingKey.count({ where: { retiredAt: null } })).toBe(1);
  });

  it('seals a key stored in the clear at start; letters it signed still verify', async () => {
    // A key as documents stored it before keys were sealed, and a letter it signed.
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const kid = `legacy-${uniqueSuffix()}`.slice(0, 16);
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    await db().prisma.signingKey.updateMany({ where: { retiredAt: null }, data: { retiredAt: new Date() } });
    await db().prisma.signingKey.create({ data: { kid, publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(), privateKey: pem } });

    const sut = new DocumentSigningKeys(db().prisma, keyEncryption);
    expect(await sut.ensureActiveKey()).toBe(kid);
    for (const row of await storedKeys()) {
      expect(row.privateKey).toBeNull();
      expect(sealedSecretKeyId(row.sealedPrivateKey ?? '')).toBe(keyEncryption.currentKeyId);
      expect(row.sealedPrivateKey).not.toContain('PRIVATE KEY');
    }
    const signature = sut.signDigest(digest);
    expect(signature.kid).toBe(kid);
    expect(await new DocumentSigningKeys(db().prisma, keyEncryption).verifyDigest(kid, digest, signature.signature)).toBe(true);
  });

  it('re-wraps the keys under a rotated master key, after which the old master key is not needed', async () => {
    const newMasterKey = randomBytes(32);
    await expect(new DocumentSigningKeys(db().prisma, new MasterKeyEncryption(newMasterKey)).ensureActiveKey()).rejects.toThrow(/SIMPUL_MASTER_KEY_PREVIOUS/);

    const rotating = new MasterKeyEncryption(newMasterKey, [masterKey]);
    const active = await new DocumentSigningKeys(db().prisma, rotating).ensureActiveKey();
    expect((await storedKeys()).map((r) => sealedSecretKeyId(r.sealedPrivateKey ?? ''))).toEqual((await storedKeys()).map(() => rotating.currentKeyId));

    const after = new DocumentSigningKeys(db().prisma, new MasterKeyEncryption(newMasterKey));
    expect(await after.ensureActiveKey()).toBe(active);
    expect(after.signDigest(digest).kid).toBe(active);
  });
});
