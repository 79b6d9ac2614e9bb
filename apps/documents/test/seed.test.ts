import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subjectsFor } from '@simpul/contracts';
import { DEMO_AGENCIES, DEMO_EMPLOYEES } from '@simpul/contracts/demo';
import { applyMigrations, dropDatabase, ensureDatabase } from '@simpul/kit';
import { testServerUrl, uniqueSuffix } from '@simpul/testing';
import { openDatabase, type Database } from '../src/db.ts';
import { MIGRATIONS_DIR } from '../src/service.ts';
import { createDocumentsParts } from '../src/documents.ts';
import { checkChain } from '../src/audit/audit-chain.ts';
import { seedDemoData } from '../src/seed/seed.ts';
import { createLogger, MasterKeyEncryption } from '@simpul/kit';

const keyEncryption = new MasterKeyEncryption(randomBytes(32));

let url: string;
let db: Database;

beforeAll(async () => {
  url = `${testServerUrl()}/simpul_documents_test_${uniqueSuffix()}`;
  await ensureDatabase(url);
  await applyMigrations(url, MIGRATIONS_DIR);
  db = openDatabase(url, { poolSize: 4 });
  const parts = createDocumentsParts(db.prisma, {
    subjects: subjectsFor('seedtest'),
    logger: createLogger('test', 'silent'),
    buckets: null,
    attachments: { maxBytes: 1, contentTypes: [] },
    eventsWritten: () => {},
    keyEncryption,
  });
  await parts.managers.archive.ensureClassificationCodes();
});
afterAll(async () => {
  await db?.close();
  if (url) await dropDatabase(url);
});

describe('demo data', () => {
  it('writes letters in every state across the agencies, some secret, with genuine numbers, signatures and trails', async () => {
    const summary = await seedDemoData(db.prisma, { subjects: subjectsFor('seedtest'), perAgency: 3, keyEncryption });
    expect(summary).toMatchObject({ skipped: false, documentsCreated: 3 * DEMO_AGENCIES.length, employees: DEMO_EMPLOYEES.length });
    const docs = await db.prisma.document.findMany({ include: { auditEntries: true } });
    expect(new Set(docs.map((d) => d.agencyCode)).size).toBe(DEMO_AGENCIES.length);
    expect(new Set(docs.map((d) => d.status))).toEqual(new Set(['DRAFT', 'IN_REVIEW', 'RETURNED', 'READY_TO_SIGN', 'SIGNED', 'SENT', 'ARCHIVED']));
    expect(docs.some((d) => d.securityClass === 'RAHASIA' || d.securityClass === 'SANGAT_RAHASIA')).toBe(true);
    for (const doc of docs) expect(checkChain(doc.id, doc.auditEntries, { hash: doc.auditHead, count: doc.auditCount })).toEqual({ intact: true });

    const parts = createDocumentsParts(db.prisma, {
      subjects: subjectsFor('seedtest'),
      logger: createLogger('test', 'silent'),
      buckets: null,
      attachments: { maxBytes: 1, contentTypes: [] },
      eventsWritten: () => {},
      keyEncryption,
    });
    const signed = docs.filter((d) => d.number);
    expect(signed.length).toBeGreaterThan(0);
    for (const doc of signed) expect((await parts.managers.documents.verify(doc.id)).status).toBe('VALID');
    // Per agency and year the numbers run 1..n without gaps.
    const byYear = new Map<string, number[]>();
    for (const d of signed) byYear.set(`${d.agencyCode}/${d.year}`, [...(byYear.get(`${d.agencyCode}/${d.year}`) ?? []), d.seq as number]);
    for (const seqs of byYear.values()) expect(seqs.sort((a, b) => a - b)).toEqual(seqs.map((_, i) => i + 1));
    // Numbers follow the signing dates, and nothing is signed in the future.
    for (const agency of DEMO_AGENCIES) {
      const mine = signed.filter((d) => d.agencyCode === agency.code).sort((a, b) => a.signedAt!.getTime() - b.signedAt!.getTime());
      expect(mine.map((d) => `${d.year}/${String(d.seq).padStart(3, '0')}`)).toEqual(mine.map((d) => `${d.year}/${String(d.seq).padStart(3, '0')}`).sort());
      for (const d of mine) expect(d.signedAt!.getTime()).toBeLessThanOrEqual(Date.now());
    }

    const again = await seedDemoData(db.prisma, { subjects: subjectsFor('seedtest'), perAgency: 3, keyEncryption });
    expect(again).toMatchObject({ skipped: true, documentsCreated: 0 });
  });
});
