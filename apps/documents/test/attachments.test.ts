import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Objm, type ObjectStore } from '@nats-io/obj';
import { stagedUploadBucket, type StagedUpload } from '@simpul/contracts';
import { attachmentBucket } from '@simpul/contracts';
import { createCast, draft, step, type Cast } from './support/letters.ts';
import { errorCodes, startTestDocuments, type TestDocuments } from './support/documents.ts';

let t: TestDocuments;
let cast: Cast;
let staged: ObjectStore;
let stored: ObjectStore;

beforeAll(async () => {
  t = await startTestDocuments({ ATTACHMENT_MAX_BYTES: '1500000', ATTACHMENT_CONTENT_TYPES: 'application/pdf,image/png' });
  cast = await createCast(t);
  const objm = new Objm(t.client);
  staged = await objm.open(stagedUploadBucket(t.service.subjects));
  stored = await objm.open(attachmentBucket(t.service.subjects));
});
afterAll(async () => {
  await t?.close();
});

const ADD = `mutation ($id: ID!, $file: Upload!, $sha: String!) { addDocumentAttachment(documentId: $id, file: $file, sha256: $sha) { id filename contentType size sha256 } }`;
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
/** A deleted object keeps a tombstone entry in the bucket. */
const gone = async (bucket: ObjectStore, name: string) => {
  const info = await bucket.info(name);
  return info === null || info.deleted;
};

/** Stages bytes as the gateway does for a multipart request. */
async function stage(bytes: Uint8Array, options: Partial<StagedUpload> = {}): Promise<StagedUpload> {
  const upload = randomUUID();
  const uploadedBy = options.uploadedBy ?? cast.author.nip;
  await staged.putBlob({ name: upload, metadata: { uploadedBy } }, bytes);
  return { upload, filename: 'lampiran.pdf', contentType: 'application/pdf', size: bytes.length, uploadedBy, ...options };
}

async function counts(documentId: string) {
  return {
    rows: await t.service.prisma.attachment.count({ where: { documentId } }),
    objects: (await stored.list()).length,
    staged: (await staged.list()).length,
  };
}

describe('attachments', () => {
  it('a file bigger than a NATS message is checked, stored with its SHA-256, and signed with the letter', async () => {
    const id = await draft(t, cast, { reviewers: [] });
    const bytes = randomBytes(1_200_000);
    const file = await stage(bytes);
    const result = await t.gql(ADD, { id, file, sha: sha(bytes).toUpperCase() }, cast.tokens.author);
    expect(result.errors).toBeUndefined();
    expect(result.data.addDocumentAttachment).toMatchObject({ filename: 'lampiran.pdf', contentType: 'application/pdf', size: 1_200_000, sha256: sha(bytes) });
    const row = await t.service.prisma.attachment.findFirstOrThrow({ where: { documentId: id } });
    expect(sha((await stored.getBlob(row.objectName)) ?? new Uint8Array())).toBe(sha(bytes));
    expect(await gone(staged, file.upload)).toBe(true);

    await step(t, 'submitDocument', id, cast.tokens.author);
    await step(t, 'signDocument', id, cast.tokens.signer);
    const verified = await t.gql(`query ($id: ID!) { verifyDocument(id: $id) { valid } }`, { id });
    expect(verified.data.verifyDocument.valid).toBe(true);
    // Signed: attachments are part of what was signed and can no longer change.
    const late = await t.gql(ADD, { id, file: await stage(bytes), sha: sha(bytes) }, cast.tokens.author);
    expect(errorCodes(late)).toEqual(['CONFLICT']);
  });

  it.each([
    ['a wrong hash', async () => ({ file: await stage(Buffer.from('isi surat')), sha: sha(Buffer.from('isi lain')) }), 'BAD_USER_INPUT', 'sha256'],
    ['a malformed hash', async () => ({ file: await stage(Buffer.from('isi surat')), sha: 'abc' }), 'BAD_USER_INPUT', 'sha256'],
    ['an oversized file', async () => ({ file: await stage(randomBytes(1_600_000)), sha: '0'.repeat(64) }), 'BAD_USER_INPUT', 'file'],
    // The gateway reported a small size, but the staged bytes are bigger: the bytes count.
    [
      'an oversized file with a wrong declared size',
      async () => {
        const bytes = randomBytes(1_600_000);
        return { file: { ...(await stage(bytes)), size: 10 }, sha: sha(bytes) };
      },
      'BAD_USER_INPUT',
      'file',
    ],
    [
      'a content type not on the list',
      async () => ({ file: await stage(Buffer.from('x'), { contentType: 'application/x-msdownload' }), sha: sha(Buffer.from('x')) }),
      'BAD_USER_INPUT',
      'file',
    ],
  ])('%s is refused and nothing is left half-stored', async (_what, make, code, field) => {
    const id = await draft(t, cast);
    const { file, sha: declared } = await make();
    const before = await counts(id);
    const result = await t.gql(ADD, { id, file, sha: declared }, cast.tokens.author);
    expect(errorCodes(result)).toEqual([code]);
    if (field) expect(result.errors?.[0]?.extensions?.field).toBe(field);
    expect(await counts(id)).toEqual({ ...before, staged: before.staged - 1 });
  });

  it("someone else's upload is refused and left alone (it is theirs)", async () => {
    const id = await draft(t, cast);
    const file = await stage(Buffer.from('x'), { uploadedBy: cast.colleague.nip });
    const before = await counts(id);
    for (const claimed of [file, { ...file, uploadedBy: cast.author.nip }]) {
      const result = await t.gql(ADD, { id, file: claimed, sha: sha(Buffer.from('x')) }, cast.tokens.author);
      expect(errorCodes(result)).toEqual(['FORBIDDEN']);
    }
    expect(await counts(id)).toEqual(before);
    expect(await gone(staged, file.upload)).toBe(false);
  });

  it('only the author attaches to a draft', async () => {
    const id = await draft(t, cast);
    const bytes = Buffer.from('x');
    const result = await t.gql(ADD, { id, file: await stage(bytes, { uploadedBy: cast.reviewer1.nip }), sha: sha(bytes) }, cast.tokens.reviewer1);
    expect(errorCodes(result)).toEqual(['FORBIDDEN']);
  });

  it('a file written inline instead of uploaded is refused', async () => {
    const id = await draft(t, cast);
    const result = await t.gql(ADD, { id, file: 'aGVsbG8=', sha: '0'.repeat(64) }, cast.tokens.author);
    expect(result.errors?.[0]?.message).toContain('multipart');
  });

  it('an attachment can be removed from a draft, bytes included', async () => {
    const id = await draft(t, cast);
    const bytes = randomBytes(1000);
    const added = await t.gql(ADD, { id, file: await stage(bytes, { contentType: 'image/png', filename: 'foto.png' }), sha: sha(bytes) }, cast.tokens.author);
    const attachmentId = added.data.addDocumentAttachment.id;
    const row = await t.service.prisma.attachment.findUniqueOrThrow({ where: { id: attachmentId } });
    const removed = await t.gql(`mutation ($id: ID!) { removeDocumentAttachment(id: $id) { attachments { id } } }`, { id: attachmentId }, cast.tokens.author);
    expect(removed.data.removeDocumentAttachment.attachments).toEqual([]);
    expect(await gone(stored, row.objectName)).toBe(true);
  });
});
