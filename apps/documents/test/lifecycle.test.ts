import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCast, DOCUMENT_FIELDS, draft, sentLetter, step, type Cast } from './support/letters.ts';
import { errorCodes, startTestDocuments, type TestDocuments } from './support/documents.ts';

let t: TestDocuments;
let cast: Cast;

beforeAll(async () => {
  t = await startTestDocuments();
  cast = await createCast(t);
});
afterAll(async () => {
  await t?.close();
});

const GET = `query ($id: ID!) { document(id: $id) { ${DOCUMENT_FIELDS} signer { nip } author { nip } authorName agency { code } reviewHistory { nip action comment } } }`;

describe('the life of a letter', () => {
  it('goes from draft through review, signature and sending to the archive', async () => {
    const id = await draft(t, cast);
    let doc = (await t.gql(GET, { id }, cast.tokens.author)).data.document;
    expect(doc).toMatchObject({
      status: 'DRAFT',
      number: null,
      author: { nip: cast.author.nip },
      authorName: 'Rina Author',
      agency: { code: 'KAB-BANYUWANGI' },
    });
    expect(doc.allowedActions).toEqual(['EDIT', 'SUBMIT']);

    expect(await step(t, 'submitDocument', id, cast.tokens.author)).toMatchObject({ status: 'IN_REVIEW' });
    // The second reviewer has to wait for the first.
    const early = await t.gql(`mutation ($id: ID!) { initialDocument(id: $id) { status } }`, { id }, cast.tokens.reviewer2);
    expect(errorCodes(early)).toEqual(['FORBIDDEN']);
    expect(early.errors?.[0]?.message).toContain('not your turn');

    await step(t, 'initialDocument', id, cast.tokens.reviewer1, ', comment: "Setuju"');
    expect(await step(t, 'initialDocument', id, cast.tokens.reviewer2)).toMatchObject({ status: 'READY_TO_SIGN' });

    const notSigner = await t.gql(`mutation ($id: ID!) { signDocument(id: $id) { status } }`, { id }, cast.tokens.author);
    expect(errorCodes(notSigner)).toEqual(['FORBIDDEN']);
    // Every refusal is on the platform's audit record (identity collects these events).
    const denials = await t.service.prisma.outboxEvent.findMany({ where: { type: 'documents.audit.recorded' }, orderBy: { seq: 'asc' } });
    expect(denials.map((e) => (e.payload as { data: { action: string; outcome: string; actorName: string; target: string } }).data)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'permission.denied', outcome: 'DENIED', actorName: cast.reviewer2.nip, target: 'field:initialDocument' }),
        expect.objectContaining({ action: 'permission.denied', outcome: 'DENIED', actorName: cast.author.nip, target: 'field:signDocument' }),
      ]),
    );

    const signed = await step(t, 'signDocument', id, cast.tokens.signer);
    expect(signed.status).toBe('SIGNED');
    expect(signed.number).toMatch(/^\d+\/SETDA\.UMUM\/800\.1\.2\/\d{2}\/\d{4}$/);

    const twice = await t.gql(`mutation ($id: ID!) { signDocument(id: $id) { status } }`, { id }, cast.tokens.signer);
    expect(errorCodes(twice)).toEqual(['CONFLICT']);

    // A records officer of the agency sends it (an officer account, not an employee).
    expect(await step(t, 'sendDocument', id, cast.tokens.records)).toMatchObject({ status: 'SENT' });
    expect(await step(t, 'archiveDocument', id, cast.tokens.records)).toMatchObject({ status: 'ARCHIVED' });

    doc = (await t.gql(GET, { id }, cast.tokens.author)).data.document;
    expect(doc.reviewHistory).toEqual([
      { nip: cast.reviewer1.nip, action: 'INITIAL', comment: 'Setuju' },
      { nip: cast.reviewer2.nip, action: 'INITIAL', comment: null },
    ]);
    expect(doc.signer).toEqual({ nip: cast.signer.nip });

    const trail = await t.gql(`query ($id: ID!) { documentAuditTrail(id: $id) { intact entries { seq action actor } } }`, { id }, cast.tokens.author);
    expect(trail.data.documentAuditTrail.intact).toBe(true);
    expect(trail.data.documentAuditTrail.entries.map((e: { action: string }) => e.action)).toEqual([
      'created',
      'submitted',
      'initialled',
      'initialled',
      'signed',
      'sent',
      'archived',
    ]);
  });

  it('a reviewer sends it back with a comment, the author fixes and resubmits', async () => {
    const id = await draft(t, cast);
    await step(t, 'submitDocument', id, cast.tokens.author);
    const noComment = await t.gql(`mutation ($id: ID!) { returnDocument(id: $id, comment: " ") { status } }`, { id }, cast.tokens.reviewer1);
    expect(errorCodes(noComment)).toEqual(['BAD_USER_INPUT']);
    expect(noComment.errors?.[0]?.extensions).toMatchObject({ field: 'comment' });
    expect(await step(t, 'returnDocument', id, cast.tokens.reviewer1, ', comment: "Lampiran kurang"')).toMatchObject({ status: 'RETURNED' });

    const edited = await t.gql(
      `mutation ($id: ID!) { updateDocument(id: $id, input: { subject: "Permohonan data pegawai (revisi)" }) { subject status } }`,
      { id },
      cast.tokens.author,
    );
    expect(edited.data.updateDocument).toEqual({ subject: 'Permohonan data pegawai (revisi)', status: 'RETURNED' });
    const notAuthor = await t.gql(`mutation ($id: ID!) { updateDocument(id: $id, input: { subject: "x" }) { status } }`, { id }, cast.tokens.reviewer1);
    expect(errorCodes(notAuthor)).toEqual(['FORBIDDEN']);

    expect(await step(t, 'submitDocument', id, cast.tokens.author)).toMatchObject({ status: 'IN_REVIEW' });
    // The round starts again with the first reviewer.
    const second = await t.gql(`mutation ($id: ID!) { initialDocument(id: $id) { status } }`, { id }, cast.tokens.reviewer2);
    expect(errorCodes(second)).toEqual(['FORBIDDEN']);
  });

  it('refuses bad input with the field named', async () => {
    const base = {
      type: 'NOTA_DINAS',
      subject: 'x',
      classificationCode: '800.1.2',
      securityClass: 'BIASA',
      signerNip: cast.signer.nip,
      recipients: [{ kind: 'AGENCY', agencyCode: 'KOMINFO' }],
    };
    const cases: [Record<string, unknown>, string][] = [
      [{ classificationCode: '999.9' }, 'classificationCode'],
      [{ signerNip: '123' }, 'signerNip'],
      [{ signerNip: cast.otherHead.nip }, 'signerNip'],
      [{ reviewerNips: [cast.signer.nip] }, 'reviewerNips'],
      [{ reviewerNips: [cast.reviewer1.nip, cast.reviewer1.nip] }, 'reviewerNips'],
      [{ subject: '   ' }, 'subject'],
      [{ recipients: [] }, 'recipients'],
      [{ recipients: [{ kind: 'EMPLOYEE', nip: '000000000000000000' }] }, 'recipients[0].nip'],
      [{ recipients: [{ kind: 'UNIT', agencyCode: 'KOMINFO' }] }, 'recipients[0].unitCode'],
      [{ recipients: [{ kind: 'AGENCY', agencyCode: 'bad code!' }] }, 'recipients[0].agencyCode'],
    ];
    for (const [change, field] of cases) {
      const result = await t.gql(
        `mutation ($input: CreateDocumentInput!) { createDocument(input: $input) { id } }`,
        { input: { ...base, ...change } },
        cast.tokens.author,
      );
      expect(errorCodes(result), field).toEqual(['BAD_USER_INPUT']);
      expect(result.errors?.[0]?.extensions?.field, JSON.stringify(change)).toBe(field);
    }
    const anonymous = await t.gql(`mutation ($input: CreateDocumentInput!) { createDocument(input: $input) { id } }`, { input: base });
    expect(errorCodes(anonymous)).toEqual(['UNAUTHENTICATED']);
  });

  it('an unknown or malformed id is NOT_FOUND', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const result = await t.gql(`mutation ($id: ID!) { submitDocument(id: $id) { status } }`, { id }, cast.tokens.author);
      expect(errorCodes(result)).toEqual(['NOT_FOUND']);
    }
  });

  it('refuses a search or a lookup too large to run cheaply (issue 16)', async () => {
    const search = (s: string) => t.gql('query ($s: String) { documents(filter: { search: $s }) { totalCount } }', { s }, cast.tokens.author);
    expect((await search('x'.repeat(101))).errors![0]!.message).toBe('filter.search: at most 100 characters');
    expect((await search('a b c d e f g h i')).errors![0]!.message).toBe('filter.search: at most 8 words');
    expect((await search('x')).errors![0]!.message).toBe('filter.search: at least 2 characters');
    expect(errorCodes(await search('halaman uji'))).toEqual([]);
    const nips = Array.from({ length: 1001 }, (_, i) => String(i));
    const lookup = await t.gql('query ($n: [String!]!) { _documentsEmployees(nips: $n) { nip } }', { n: nips }, cast.tokens.author);
    expect(lookup.errors![0]!.message).toBe('nips: at most 1000 at once');
  });

  it('lists documents with filters and cursor pagination', async () => {
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(await draft(t, cast, { subject: `Halaman uji ${i}` }));
    const query = `query ($after: String) { documents(first: 2, after: $after, filter: { search: "halaman uji", status: DRAFT }) { totalCount edges { node { id } cursor } pageInfo { hasNextPage endCursor } } }`;
    const first = (await t.gql(query, {}, cast.tokens.author)).data.documents;
    expect(first.totalCount).toBe(3);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = (await t.gql(query, { after: first.pageInfo.endCursor }, cast.tokens.author)).data.documents;
    expect(second.pageInfo.hasNextPage).toBe(false);
    const seen = [...first.edges, ...second.edges].map((e: { node: { id: string } }) => e.node.id);
    expect(seen).toEqual([...ids].reverse());
    const badCursor = await t.gql(query, { after: 'nonsense' }, cast.tokens.author);
    expect(errorCodes(badCursor)).toEqual(['BAD_USER_INPUT']);
    const byAuthor = await t.gql(
      `query ($nips: [String!]!) { _documentsEmployees(nips: $nips) { nip documents(first: 100) { totalCount } } }`,
      { nips: [cast.author.nip, cast.stranger.nip] },
      cast.tokens.author,
    );
    expect(byAuthor.data._documentsEmployees[0].documents.totalCount).toBeGreaterThanOrEqual(3);
    expect(byAuthor.data._documentsEmployees[1]).toEqual({ nip: cast.stranger.nip, documents: { totalCount: 0 } });
  });

  it('an agency sets its own number format', async () => {
    const denied = await t.gql(`mutation { setDocumentNumberFormat(agencyCode: "KAB-BANYUWANGI", format: "{seq}") }`, {}, cast.tokens.author);
    expect(errorCodes(denied)).toEqual(['FORBIDDEN']);
    const bad = await t.gql(`mutation { setDocumentNumberFormat(agencyCode: "KAB-BANYUWANGI", format: "{unitCode}") }`, {}, cast.tokens.records);
    expect(errorCodes(bad)).toEqual(['BAD_USER_INPUT']);
    const set = await t.gql(
      `mutation { setDocumentNumberFormat(agencyCode: "KAB-BANYUWANGI", format: "B-{seq}/{classificationCode}/{YYYY}") }`,
      {},
      cast.tokens.records,
    );
    expect(set.data.setDocumentNumberFormat).toBe('B-{seq}/{classificationCode}/{YYYY}');
    const id = await draft(t, cast, { reviewers: [] });
    await step(t, 'submitDocument', id, cast.tokens.author);
    const signed = await step(t, 'signDocument', id, cast.tokens.signer);
    expect(signed.number).toMatch(/^B-\d+\/800\.1\.2\/\d{4}$/);
    await t.gql(
      `mutation { setDocumentNumberFormat(agencyCode: "KAB-BANYUWANGI", format: "{seq}/{unitCode}/{classificationCode}/{MM}/{YYYY}") }`,
      {},
      cast.tokens.records,
    );
  });

  it('publishes its signing keys and records signatures in the audit outbox', async () => {
    const keys = await t.gql(`{ documentSigningKeys { kid publicKeyPem retiredAt } }`);
    expect(keys.data.documentSigningKeys).toHaveLength(1);
    expect(keys.data.documentSigningKeys[0].publicKeyPem).toContain('BEGIN PUBLIC KEY');
    const id = await sentLetter(t, cast);
    const audits = await t.service.prisma.outboxEvent.findMany({ where: { type: 'documents.audit.recorded' } });
    const mine = audits
      .map((a) => (a.payload as { data: { action: string; outcome: string; target: string } }).data)
      .filter((d) => d.target === `document:${id}`);
    expect(mine).toEqual([expect.objectContaining({ action: 'document.sign', outcome: 'SUCCESS' })]);
  });
});
