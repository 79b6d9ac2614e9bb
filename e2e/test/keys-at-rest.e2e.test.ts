import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MasterKeyEncryption, openSecret } from '@simpul/kit';
import { queryDatabase } from '@simpul/testing';
import { startPlatform, type Platform } from './platform.ts';

/**
 * Issue 14: identity's token signing keys and documents' letter signing keys are sealed
 * at rest. Reads every table of both databases, as someone with a copy of them would.
 */
const masterKey = randomBytes(32);
let platform: Platform;

beforeAll(async () => {
  platform = await startPlatform({ SIMPUL_MASTER_KEY: masterKey.toString('base64') }, { services: ['identity', 'documents'] });
}, 240_000);
afterAll(async () => {
  await platform?.stop();
});

/** Every row of every table, as text. */
async function dump(url: string): Promise<string> {
  const tables = await queryDatabase<{ name: string }>(
    url,
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
  );
  const parts: string[] = [];
  for (const { name } of tables) {
    const rows = await queryDatabase<{ row: string }>(url, `SELECT t::text AS row FROM "${name.replace(/"/g, '""')}" t`);
    parts.push(...rows.map((r) => r.row));
  }
  return parts.join('\n');
}

describe('signing keys at rest', () => {
  it('no private key is stored in the clear in identity or documents', async () => {
    const encryption = new MasterKeyEncryption(masterKey);
    for (const [service, context, privateMaterial] of [
      ['identity', 'identity.signing-key', (opened: string) => (JSON.parse(opened) as { d: string }).d],
      ['documents', 'documents.signing-key', (opened: string) => opened.replace(/-----[A-Z ]+-----|\s/g, '')],
    ] as const) {
      const url = platform.databaseUrls.get(service) as string;
      const keys = await queryDatabase<{ kid: string; sealed: string | null }>(url, 'SELECT kid, "sealedPrivateKey" AS sealed FROM "SigningKey"');
      expect(keys.length, `${service} made its signing key at start`).toBeGreaterThan(0);
      const everything = await dump(url);
      expect(everything).not.toContain('PRIVATE KEY');
      expect(everything).not.toMatch(/"d"\s*:/);
      for (const key of keys) {
        // The sealed value holds the real key: opened with the master key, its private part
        // (the JWK's d, the PEM's base64) appears nowhere in the database.
        const secret = privateMaterial(await openSecret(encryption, key.sealed as string, `${context}:${key.kid}`));
        expect(secret.length).toBeGreaterThan(20);
        expect(everything).not.toContain(secret);
      }
    }
  });
});
