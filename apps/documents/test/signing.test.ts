import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCast, draft, sentLetter, step, type Cast } from './support/letters.ts';
import { errorCodes, startTestDocuments, testNip, type TestDocuments } from './support/documents.ts';

let t: TestDocuments;
let cast: Cast;

beforeAll(async () => {
  // Fifty signatures of one agency queue on its counter row by design; on a loaded two-core
  // machine the last one can wait longer than the default 5 s bound on a database wait.
  t = await startTestDocuments({ DATABASE_TIMEOUT_MS: '60000' });
  cast = await createCast(t);
});
afterAll(async () => {
  await t?.close();
});

const VERIFY = `query ($id: ID!) { verifyDocument(id: $id) { valid status reason number signedAt signerName signerNip agency { code } digest } }`;

describe('numbering', () => {
  it('50 concurrent signatures of one agency get exactly the numbers 1..50', async () => {
    const agency = 'KOTA-SURABAYA';
    const author = { nip: testNip(), name: 'Penulis Surabaya', agencyCode: agency, unitCode: 'SETDA.UMUM', active: true };
    const signer = { nip: testNip(), name: 'Kepala Surabaya', agencyCode: agency, unitCode: 'SETDA', active: true };
    await t.addEmployees([author, signer]);
    const signerToken = await t.token({ username: signer.nip, agencyCode: agency });
    // Fifty letters waiting for the signature, written straight into the table: the signing is what is under test.
    const ids = Array.from({ length: 50 }, () => randomUUID());
    await t.service.prisma.document.createMany({
      data: ids.map((id, i) => ({
        id,
        type: 'UNDANGAN',
        subject: `Undangan ${i}`,
        body: '',
        classificationCode: '000.1.2',
        securityClass: 'BIASA' as const,
        urgency: 'BIASA' as const,
        status: 'READY_TO_SIGN' as const,
        agencyCode: agency,
        unitCode: 'SETDA.UMUM',
        authorUsername: author.nip,
        authorName: author.name,
        reviewers: [],
        signerUsername: signer.nip,
        signerName: signer.name,
      })),
    });
    const results = await Promise.all(ids.map((id) => t.gql(`mutation ($id: ID!) { signDocument(id: $id) { number } }`, { id }, signerToken)));
    expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
    const seqs = results.map((r) => Number(String(r.data.signDocument.number).split('/')[0])).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    const rows = await t.service.prisma.document.findMany({ where: { agencyCode: agency }, select: { seq: true } });
    expect(rows.map((r) => r.seq).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(seqs);
    const counter = await t.service.prisma.numberCounter.findMany({ where: { agencyCode: agency } });
    expect(counter.map((c) => c.lastSeq)).toEqual([50]);
    // Fifty signatures queue on one agency's number: minutes on a loaded CI machine.
  }, 180_000);
});

describe('signatures and verification', () => {
  it('verifies a signed letter without logging in', async () => {
    const id = await sentLetter(t, cast, { securityClass: 'RAHASIA' });
    const result = await t.gql(VERIFY, { id });
    expect(result.errors).toBeUndefined();
    expect(result.data.verifyDocument).toMatchObject({
      valid: true,
      status: 'VALID',
      signerName: 'Bambang Signer',
      signerNip: cast.signer.nip,
      agency: { code: 'KAB-BANYUWANGI' },
    });
    expect(result.data.verifyDocument.number).toMatch(/\/800\.1\.2\//);
    expect(result.data.verifyDocument.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('says nothing about an unsigned or unknown document', async () => {
    const id = await draft(t, cast);
    const unsigned = (await t.gql(VERIFY, { id })).data.verifyDocument;
    const unknown = (await t.gql(VERIFY, { id: '00000000-0000-4000-8000-000000000000' })).data.verifyDocument;
    expect(unsigned).toEqual({ ...unknown });
    expect(unsigned).toMatchObject({ valid: false, status: 'NOT_SIGNED', number: null, signerNip: null, agency: null });
  });

  it.each([
    ['the subject', `UPDATE "Document" SET subject = subject || ' (diubah)' WHERE id = $1::uuid`],
    ['the body', `UPDATE "Document" SET body = 'Isi palsu' WHERE id = $1::uuid`],
    ['the number', `UPDATE "Document" SET number = '999/X/000.1.2/01/2026' WHERE id = $1::uuid`],
    ['the signer', `UPDATE "Document" SET "signerUsername" = '199001012015011001' WHERE id = $1::uuid`],
    ['a recipient', `UPDATE "Recipient" SET "agencyCode" = 'BKN' WHERE "documentId" = $1::uuid`],
    ['an attachment hash', `UPDATE "Attachment" SET sha256 = repeat('0', 64) WHERE "documentId" = $1::uuid`],
    ['the stored signature', `UPDATE "Document" SET signature = translate(signature, 'ABCDEFGH', 'BCDEFGHA') WHERE id = $1::uuid`],
  ])('reports a letter whose %s was altered behind the service', async (_what, sql) => {
    const id = await draft(t, cast, { reviewers: [] });
    // An attachment row as the service would have written it (the bytes are not needed to sign).
    await t.service.prisma.$executeRawUnsafe(
      `INSERT INTO "Attachment" (id, "documentId", filename, "contentType", size, sha256, "objectName", "uploadedBy") VALUES (gen_random_uuid(), $1::uuid, 'lampiran.pdf', 'application/pdf', 10, repeat('a', 64), gen_random_uuid()::text, 'x')`,
      id,
    );
    await step(t, 'submitDocument', id, cast.tokens.author);
    await step(t, 'signDocument', id, cast.tokens.signer);
    expect((await t.gql(VERIFY, { id })).data.verifyDocument.status).toBe('VALID');

    expect(await t.service.prisma.$executeRawUnsafe(sql, id)).toBeGreaterThan(0);
    const after = (await t.gql(VERIFY, { id })).data.verifyDocument;
    expect(after).toMatchObject({ valid: false, status: 'ALTERED' });
    expect(after.reason).toMatch(/changed after it was signed|signature does not match/);
  });
});

describe('key rotation', () => {
  it('a national administrator rotates the key; letters signed before still verify', async () => {
    const before = await sentLetter(t, cast);
    const denied = await t.gql(`mutation { rotateDocumentSigningKey { kid } }`, {}, cast.tokens.signer);
    expect(errorCodes(denied)).toEqual(['FORBIDDEN']);
    const rotated = await t.gql(`mutation { rotateDocumentSigningKey { kid publicKeyPem } }`, {}, cast.tokens.admin);
    expect(rotated.errors).toBeUndefined();
    const after = await sentLetter(t, cast);
    const keyOf = async (id: string) => (await t.gql(`query ($id: ID!) { verifyDocument(id: $id) { valid keyId } }`, { id })).data.verifyDocument;
    expect(await keyOf(after)).toEqual({ valid: true, keyId: rotated.data.rotateDocumentSigningKey.kid });
    const old = await keyOf(before);
    expect(old.valid).toBe(true);
    expect(old.keyId).not.toBe(rotated.data.rotateDocumentSigningKey.kid);
    const keys = (await t.gql(`{ documentSigningKeys { kid retiredAt } }`)).data.documentSigningKeys;
    expect(keys.find((k: { kid: string }) => k.kid === old.keyId).retiredAt).not.toBeNull();
  });
});

describe('audit trail', () => {
  it.each([
    ['an entry is deleted', `DELETE FROM "DocumentAuditEntry" WHERE "documentId" = $1::uuid AND seq = 2`, 2],
    [
      'the newest entry is deleted',
      `DELETE FROM "DocumentAuditEntry" WHERE "documentId" = $1::uuid AND seq = (SELECT max(seq) FROM "DocumentAuditEntry" WHERE "documentId" = $1::uuid)`,
      6,
    ],
    ['an entry is altered', `UPDATE "DocumentAuditEntry" SET actor = 'someone-else' WHERE "documentId" = $1::uuid AND seq = 3`, 3],
    ['a detail is altered', `UPDATE "DocumentAuditEntry" SET detail = '{"number":"1/forged"}' WHERE "documentId" = $1::uuid AND action = 'signed'`, 5],
  ])('notices when %s', async (_what, sql, brokenAt) => {
    const id = await sentLetter(t, cast);
    const query = `query ($id: ID!) { documentAuditTrail(id: $id) { intact brokenAtSeq problem entries { seq } } }`;
    const before = (await t.gql(query, { id }, cast.tokens.author)).data.documentAuditTrail;
    expect(before).toMatchObject({ intact: true, brokenAtSeq: null });
    expect(before.entries).toHaveLength(6);
    await t.service.prisma.$executeRawUnsafe(sql, id);
    const after = (await t.gql(query, { id }, cast.tokens.author)).data.documentAuditTrail;
    expect(after).toMatchObject({ intact: false, brokenAtSeq: brokenAt });
    expect(after.problem).toBeTruthy();
  });
});
