import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMergedFields } from '@simpul/testing';
import { typeDefs } from '../src/schema/type-defs.ts';
import { createCast, draft, sentLetter, step, type Cast } from './support/letters.ts';
import { errorCodes, startTestDocuments, type TestDocuments } from './support/documents.ts';

let t: TestDocuments;
let cast: Cast;
type Viewer = keyof Cast['tokens'];
const letters: Record<string, { id: string; word: string }> = {};
let dispositionId = '';

/**
 * Each letter carries a word no other letter has, so a search for it counts exactly
 * that letter, and nothing else can make a count go up or down.
 */
async function letter(name: string, make: (subject: string) => Promise<string>): Promise<void> {
  const word = `kata${name.replace(/[^a-z]/gi, '')}${Math.random().toString(36).slice(2, 8)}`;
  letters[name] = { id: await make(`Surat ${word}`), word };
}

beforeAll(async () => {
  t = await startTestDocuments();
  cast = await createCast(t);
  const toHead = [{ kind: 'EMPLOYEE', nip: cast.otherHead.nip }];
  await letter('secret', (subject) => sentLetter(t, cast, { securityClass: 'RAHASIA', subject, recipients: toHead }));
  await letter('topSecretDraft', (subject) => draft(t, cast, { securityClass: 'SANGAT_RAHASIA', subject, recipients: toHead }));
  await letter('limited', (subject) => sentLetter(t, cast, { securityClass: 'TERBATAS', subject, recipients: toHead }));
  await letter('ordinaryDraft', (subject) => draft(t, cast, { securityClass: 'BIASA', subject, recipients: toHead }));
  await letter('ordinarySigned', async (subject) => {
    const id = await draft(t, cast, { securityClass: 'BIASA', subject, recipients: toHead, reviewers: [] });
    await step(t, 'submitDocument', id, cast.tokens.author);
    await step(t, 'signDocument', id, cast.tokens.signer);
    return id;
  });
  // The recipient dispositions the secret letter to one of their staff: the chain may see it, the rest of the unit may not.
  const disposed = await t.gql(
    `mutation ($id: ID!, $to: [String!]!) { dispositionDocument(documentId: $id, input: { toNips: $to, instruction: "Pelajari" }) { id } }`,
    { id: letters.secret!.id, to: [cast.otherStaff.nip] },
    cast.tokens.otherHead,
  );
  dispositionId = disposed.data.dispositionDocument[0].id;
  // The secret letter goes to the archive, so the retention query has it to (not) show.
  await step(t, 'archiveDocument', letters.secret!.id, cast.tokens.author);
  await t.service.prisma.document.update({ where: { id: letters.secret!.id }, data: { retentionEndsAt: new Date('2000-01-01T00:00:00Z') } });
});
afterAll(async () => {
  await t?.close();
});

const ALL: Viewer[] = [
  'author',
  'reviewer1',
  'reviewer2',
  'signer',
  'colleague',
  'otherHead',
  'otherStaff',
  'otherStaff2',
  'stranger',
  'records',
  'otherRecords',
  'admin',
  'auditor',
];
const onTheLetter: Viewer[] = ['author', 'reviewer1', 'reviewer2', 'signer'];
const expected: Record<string, Viewer[]> = {
  secret: [...onTheLetter, 'otherHead', 'otherStaff'],
  topSecretDraft: onTheLetter,
  limited: [...onTheLetter, 'colleague', 'records', 'otherHead'],
  ordinaryDraft: [...onTheLetter, 'colleague', 'records'],
  ordinarySigned: ALL,
};

// The audit trail is for the people on a letter and its owning agency: an ordinary
// signed letter is readable by all, its trail is not.
const ownAgency: Viewer[] = [...onTheLetter, 'colleague', 'records'];
const trail: Record<string, Viewer[]> = { ...expected, ordinarySigned: ownAgency };

describe('who may see what', () => {
  for (const [name, allowed] of Object.entries(expected)) {
    it(`${name}: every read path agrees (seen by ${allowed.length} of ${ALL.length})`, async () => {
      const { id, word } = letters[name]!;
      for (const viewer of ALL) {
        const token = cast.tokens[viewer];
        const sees = allowed.includes(viewer);
        const label = `${name} as ${viewer}`;
        const result = await t.gql(
          `query ($id: ID!, $word: String!, $author: [String!]!) {
            document(id: $id) { id subject body number recipients { kind } attachments { id } dispositions { id } }
            documents(first: 100, filter: { search: $word }) { totalCount edges { node { id } } }
            documentAuditTrail(id: $id) { intact }
            _documentsEmployees(nips: $author) { documents(first: 100) { edges { node { id } } } }
            retentionDue(asOf: "2100-01-01", first: 100) { edges { node { id } } }
            inbox(first: 100) { edges { node { document { id } } } }
          }`,
          { id, word, author: [cast.author.nip] },
          token,
        );
        expect(result.errors, label).toBeUndefined();
        const data = result.data;
        expect(data.document?.id ?? null, `${label}: document`).toBe(sees ? id : null);
        expect(data.documents.totalCount, `${label}: search count`).toBe(sees ? 1 : 0);
        expect(data.documents.edges.length, `${label}: search list`).toBe(sees ? 1 : 0);
        expect(data.documentAuditTrail !== null, `${label}: audit trail`).toBe(trail[name]!.includes(viewer));
        const byAuthor = data._documentsEmployees[0].documents.edges.map((e: { node: { id: string } }) => e.node.id);
        expect(byAuthor.includes(id), `${label}: Employee.documents`).toBe(sees);
        const due = data.retentionDue.edges.map((e: { node: { id: string } }) => e.node.id);
        if (!sees) expect(due.includes(id), `${label}: retentionDue`).toBe(false);
        const inbox = data.inbox.edges.map((e: { node: { document: { id: string } | null } }) => e.node.document?.id);
        if (!sees) expect(inbox.includes(id), `${label}: inbox`).toBe(false);
      }
    });
  }

  it("another agency's dispositions are not shown with the letter", async () => {
    const id = letters.secret!.id;
    const query = `query ($id: ID!) { document(id: $id) { dispositions { toNip } } }`;
    const recipientSide = (await t.gql(query, { id }, cast.tokens.otherHead)).data.document.dispositions;
    expect(recipientSide).toEqual([{ toNip: cast.otherStaff.nip }]);
    const senderSide = (await t.gql(query, { id }, cast.tokens.author)).data.document.dispositions;
    expect(senderSide).toEqual([]);
  });

  it('an archived secret letter is due only for those who may see it', async () => {
    const query = `{ retentionDue(asOf: "2100-01-01", first: 100) { totalCount edges { node { id retention { phase } } } } }`;
    const author = (await t.gql(query, {}, cast.tokens.author)).data.retentionDue;
    expect(author.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(letters.secret!.id);
    const records = (await t.gql(query, {}, cast.tokens.records)).data.retentionDue;
    expect(records.totalCount).toBe(0);
  });

  it('nobody outside learns that a secret letter exists through a mutation', async () => {
    const id = letters.secret!.id;
    const attempts: [string, Record<string, unknown>][] = [
      [`mutation ($id: ID!) { signDocument(id: $id) { id } }`, { id }],
      [`mutation ($id: ID!) { archiveDocument(id: $id) { id } }`, { id }],
      [`mutation ($id: ID!) { markDocumentReceived(id: $id) { id } }`, { id }],
      [`mutation ($id: ID!) { readDisposition(id: $id) { id } }`, { id: dispositionId }],
      [`mutation ($id: ID!) { withdrawDisposition(id: $id) { id } }`, { id: dispositionId }],
    ];
    // A valid colleague to disposition to, so that only the letter's visibility can refuse it.
    const colleagueOf = { stranger: cast.otherStaff2.nip, colleague: cast.author.nip, records: cast.author.nip, otherStaff2: cast.stranger.nip };
    for (const viewer of ['stranger', 'colleague', 'records', 'otherStaff2', 'admin'] as const) {
      const own =
        viewer === 'admin'
          ? []
          : [
              [
                `mutation ($id: ID!, $to: String!) { dispositionDocument(documentId: $id, input: { toNips: [$to], instruction: "x" }) { id } }`,
                { id, to: colleagueOf[viewer] },
              ] as [string, Record<string, unknown>],
            ];
      for (const [query, variables] of [...attempts, ...own]) {
        const result = await t.gql(query, variables, cast.tokens[viewer]);
        expect(errorCodes(result), `${viewer}: ${query}`).toEqual(['NOT_FOUND']);
      }
    }
  });

  it('verification without login shows only what is printed on the letter', async () => {
    const result = await t.gql(`query ($id: ID!) { verifyDocument(id: $id) { valid number signerName } }`, { id: letters.secret!.id });
    expect(result.data.verifyDocument.valid).toBe(true);
    const subject = await t.gql(`query ($id: ID!) { verifyDocument(id: $id) { subject } }`, { id: letters.secret!.id });
    expect(errorCodes(subject)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('without a token nothing is listed', async () => {
    const result = await t.gql(`query ($id: ID!) { document(id: $id) { id } }`, { id: letters.ordinarySigned!.id });
    expect(result.data.document).toBeNull();
    const list = await t.gql(`{ documents { totalCount } }`);
    expect(errorCodes(list)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('merged fields (issue 16: every merged field asked without a token)', () => {
  const keys = () => ({ Agency: 'KAB-BANYUWANGI', Employee: cast.author.nip });
  const ask = (token?: string) => (query: string, variables: Record<string, unknown>) => t.gql(query, variables, token);

  it('answers none of them without a token', async () => {
    const reads = await readMergedFields(typeDefs, keys(), ask());
    expect(reads.map((r) => r.field)).toContain('Employee.documents');
    expect(reads.filter((r) => r.value !== null).map((r) => r.field)).toEqual([]);
  });

  it('answers each of them to the author', async () => {
    const reads = await readMergedFields(typeDefs, keys(), ask(cast.tokens.author));
    expect(reads.filter((r) => r.value === null).map((r) => r.field)).toEqual([]);
  });
});
