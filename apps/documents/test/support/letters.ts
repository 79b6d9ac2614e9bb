import type { EmployeeFacts } from '../../src/employees/employee-store.ts';
import { testNip, type TestDocuments } from './documents.ts';

/** A small cast: one agency's author, two reviewers, a signer, a records officer; a second agency's head and staff. */
export interface Cast {
  author: EmployeeFacts;
  reviewer1: EmployeeFacts;
  reviewer2: EmployeeFacts;
  signer: EmployeeFacts;
  colleague: EmployeeFacts;
  otherHead: EmployeeFacts;
  otherStaff: EmployeeFacts;
  otherStaff2: EmployeeFacts;
  stranger: EmployeeFacts;
  tokens: Record<keyof Omit<Cast, 'tokens'> | 'records' | 'otherRecords' | 'admin' | 'auditor', string>;
}

const person = (name: string, agencyCode: string, unitCode: string): EmployeeFacts => ({ nip: testNip(), name, agencyCode, unitCode, active: true });

export async function createCast(t: TestDocuments, agency = 'KAB-BANYUWANGI', other = 'KOMINFO'): Promise<Cast> {
  const people = {
    author: person('Rina Author', agency, 'SETDA.UMUM'),
    reviewer1: person('Agus Reviewer', agency, 'SETDA.UMUM'),
    reviewer2: person('Dewi Reviewer', agency, 'SETDA'),
    signer: person('Bambang Signer', agency, 'SETDA'),
    colleague: person('Joko Colleague', agency, 'DISKOMINFO'),
    otherHead: person('Siti Head', other, 'DIT.LAIP'),
    otherStaff: person('Budi Staff', other, 'DIT.LAIP'),
    otherStaff2: person('Yuni Staff', other, 'DIT.LAIP'),
    stranger: person('Hadi Stranger', other, 'ITJEN'),
  };
  await t.addEmployees(Object.values(people));
  const tokens = {} as Cast['tokens'];
  for (const [key, e] of Object.entries(people)) tokens[key as keyof typeof people] = await t.token({ username: e.nip, agencyCode: e.agencyCode });
  tokens.records = await t.token({ username: 'arsip.banyuwangi', agencyCode: agency, roles: ['RECORDS_OFFICER'] });
  tokens.otherRecords = await t.token({ username: 'arsip.kominfo', agencyCode: other, roles: ['RECORDS_OFFICER'] });
  tokens.admin = await t.token({ username: 'admin', agencyCode: 'KEMENPANRB', roles: ['NATIONAL_ADMIN'] });
  tokens.auditor = await t.token({ username: 'auditor', agencyCode: 'KEMENPANRB', roles: ['AUDITOR'] });
  return { ...people, tokens };
}

export const DOCUMENT_FIELDS = `id status number subject securityClass signedAt reviewers { order initialled employee { nip } } allowedActions`;

export interface LetterOptions {
  securityClass?: string;
  reviewers?: string[];
  recipients?: Record<string, unknown>[];
  subject?: string;
}

/** Creates a draft as the cast's author and returns its id. */
export async function draft(t: TestDocuments, cast: Cast, options: LetterOptions = {}): Promise<string> {
  const result = await t.gql<{ createDocument: { id: string } }>(
    `mutation ($input: CreateDocumentInput!) { createDocument(input: $input) { id } }`,
    {
      input: {
        type: 'NOTA_DINAS',
        subject: options.subject ?? 'Permohonan data pegawai',
        body: 'Dengan hormat, mohon data pegawai.',
        classificationCode: '800.1.2',
        securityClass: options.securityClass ?? 'BIASA',
        reviewerNips: options.reviewers ?? [cast.reviewer1.nip, cast.reviewer2.nip],
        signerNip: cast.signer.nip,
        recipients: options.recipients ?? [{ kind: 'EMPLOYEE', nip: cast.otherHead.nip }],
      },
    },
    cast.tokens.author,
  );
  if (!result.data) throw new Error(`createDocument failed: ${JSON.stringify(result.errors)}`);
  return result.data.createDocument.id;
}

/** Runs a document mutation `name(id: $id)` as `token`, failing loudly on errors. */
export async function step(t: TestDocuments, name: string, id: string, token: string, extra = ''): Promise<{ status: string; number: string | null }> {
  const result = await t.gql(`mutation ($id: ID!) { ${name}(id: $id${extra}) { status number } }`, { id }, token);
  if (!result.data) throw new Error(`${name} failed: ${JSON.stringify(result.errors)}`);
  return result.data[name];
}

/** Draft → reviewed → signed → sent. */
export async function sentLetter(t: TestDocuments, cast: Cast, options: LetterOptions = {}): Promise<string> {
  const id = await draft(t, cast, options);
  await step(t, 'submitDocument', id, cast.tokens.author);
  const reviewers = options.reviewers ?? [cast.reviewer1.nip, cast.reviewer2.nip];
  const byNip = new Map(
    [cast.reviewer1, cast.reviewer2, cast.colleague].map((e, i) => [e.nip, [cast.tokens.reviewer1, cast.tokens.reviewer2, cast.tokens.colleague][i] as string]),
  );
  for (const nip of reviewers) await step(t, 'initialDocument', id, byNip.get(nip) as string);
  await step(t, 'signDocument', id, cast.tokens.signer);
  await step(t, 'sendDocument', id, cast.tokens.author);
  return id;
}
