import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, eventually, postGraphQL, type GraphQLResponse } from '@simpul/testing';
import { startPlatform, type Platform } from './platform.ts';

// Identity, personnel and documents as real processes behind the real gateway: the
// life of a letter as a new user would try it, from draft to archive.
let platform: Platform;
let admin: string;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- results are read ad hoc
async function gql<T = any>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<GraphQLResponse<T>> {
  return (await postGraphQL<T>(platform.url, query, variables, token)).body;
}

// NIPs whose digits agree with birth date, appointment month (TMT) and sex.
const PEOPLE = {
  author: { nip: '198501012010011001', name: 'Rina Penulis', agencyCode: 'E2E-SETDA', unitCode: 'TU' },
  reviewer: { nip: '198502022010011002', name: 'Agus Pemeriksa', agencyCode: 'E2E-SETDA', unitCode: 'TU' },
  signer: { nip: '197503032000011003', name: 'Bambang Kepala', agencyCode: 'E2E-SETDA', unitCode: 'PIMPINAN' },
  head: { nip: '197804042003011004', name: 'Siti Kadis', agencyCode: 'E2E-KOMINFO', unitCode: 'PIMPINAN' },
  staff: { nip: '199005052015011005', name: 'Budi Staf', agencyCode: 'E2E-KOMINFO', unitCode: 'TU' },
} as const;
const tokens = {} as Record<keyof typeof PEOPLE | 'clerk', string>;

beforeAll(async () => {
  platform = await startPlatform({}, { services: ['identity', 'personnel', 'documents'] });
  admin = (await gql('mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { token } }', { u: 'admin', p: platform.adminPassword })).data
    .login.token;
  for (const [code, name] of [
    ['E2E-SETDA', 'Sekretariat Daerah Uji'],
    ['E2E-KOMINFO', 'Dinas Kominfo Uji'],
  ] as const) {
    expect(
      (await gql('mutation ($i: CreateAgencyInput!) { createAgency(input: $i) { code } }', { i: { code, name, kind: 'AGENCY' } }, admin)).errors,
    ).toBeUndefined();
    for (const unit of ['TU', 'PIMPINAN']) {
      const made = await gql(
        'mutation ($i: CreateUnitInput!) { createUnit(input: $i) { code } }',
        { i: { agencyCode: code, code: unit, name: `Bagian ${unit}` } },
        admin,
      );
      expect(made.errors).toBeUndefined();
    }
  }
  for (const [key, p] of Object.entries(PEOPLE)) {
    const tmt = `${p.nip.slice(8, 12)}-${p.nip.slice(12, 14)}-01`;
    const appointed = await eventually(async () => {
      const result = await gql(
        'mutation ($input: AppointEmployeeInput!) { appointEmployee(input: $input) { nip } }',
        {
          input: {
            ...p,
            asnStatus: 'PNS',
            rank: 'III/a',
            positionName: 'Analis Kebijakan Ahli Pertama',
            positionType: 'AHLI_PERTAMA',
            effectiveDate: tmt,
            decreeNumber: `SK/${p.nip}`,
          },
        },
        admin,
      );
      // Personnel learns new agencies from identity's events; until then it answers NOT_FOUND.
      return result.errors?.[0]?.extensions?.code === 'NOT_FOUND' ? undefined : result;
    }, `appointment of ${key}`);
    expect(appointed.errors).toBeUndefined();
    const password = `password of ${key} 2026`;
    await eventually(async () => {
      const reset = await gql('mutation ($u: String!, $p: String!) { resetPassword(username: $u, newPassword: $p) }', { u: p.nip, p: password }, admin);
      return reset.data?.resetPassword === true ? true : undefined;
    }, `account of ${key}`);
    tokens[key as keyof typeof PEOPLE] = (
      await gql('mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { token } }', { u: p.nip, p: password })
    ).data.login.token;
  }
  const clerk = await gql(
    'mutation ($i: CreateUserInput!) { createUser(input: $i) { username } }',
    {
      i: {
        username: 'arsip.e2e',
        displayName: 'Arsiparis Uji',
        agencyCode: 'E2E-SETDA',
        unitCode: 'TU',
        roles: ['RECORDS_OFFICER'],
        password: 'password of the clerk 2026',
      },
    },
    admin,
  );
  expect(clerk.errors).toBeUndefined();
  tokens.clerk = (await gql('mutation { login(username: "arsip.e2e", password: "password of the clerk 2026") { token } }')).data.login.token;
}, 180_000);
afterAll(async () => {
  await platform?.stop();
});

const act = async (mutation: string, id: string, token: string) => {
  const result = await gql(`mutation ($id: ID!) { ${mutation}(id: $id) { status number } }`, { id }, token);
  expect(result.errors, mutation).toBeUndefined();
  return result.data[mutation] as { status: string; number: string | null };
};

describe('a letter through the gateway', () => {
  it('is drafted, reviewed, signed, sent, received, dispositioned and archived; anyone can verify it', async () => {
    // The read model of employees is fed by personnel's events: wait until documents knows the signer.
    const input = {
      type: 'SURAT_DINAS',
      subject: 'Permintaan data aplikasi layanan publik',
      body: 'Dengan hormat, mohon data aplikasi layanan publik.',
      classificationCode: '500.12.1',
      securityClass: 'RAHASIA',
      urgency: 'SEGERA',
      reviewerNips: [PEOPLE.reviewer.nip],
      signerNip: PEOPLE.signer.nip,
      recipients: [{ kind: 'EMPLOYEE', nip: PEOPLE.head.nip }],
    };
    const created = await eventually(async () => {
      const result = await gql(
        'mutation ($input: CreateDocumentInput!) { createDocument(input: $input) { id status author { nip name } agency { code name } signerNip signerName } }',
        { input },
        tokens.author,
      );
      return result.errors?.[0]?.extensions?.code === 'BAD_USER_INPUT' ? undefined : result;
    }, 'documents to learn the employees');
    expect(created.errors).toBeUndefined();
    const doc = created.data.createDocument;
    // The author is personnel's Employee (an employee reads their own record), the agency is identity's Agency (type merging).
    expect(doc).toMatchObject({
      status: 'DRAFT',
      author: { nip: PEOPLE.author.nip, name: PEOPLE.author.name },
      agency: { code: 'E2E-SETDA', name: 'Sekretariat Daerah Uji' },
      signerNip: PEOPLE.signer.nip,
      signerName: PEOPLE.signer.name,
    });
    const id = doc.id as string;

    // An attachment, uploaded as a GraphQL multipart request.
    // 1.5 MB: more than one NATS message may carry, so it must go around the bus both ways.
    const bytes = Buffer.concat([Buffer.from('%PDF-1.4 lampiran surat uji\n'), Buffer.alloc(1_500_000, 0x20)]);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const form = new FormData();
    form.set(
      'operations',
      JSON.stringify({
        query:
          'mutation ($id: ID!, $file: Upload!, $sha: String!) { addDocumentAttachment(documentId: $id, file: $file, sha256: $sha) { filename size sha256 } }',
        variables: { id, file: null, sha: sha256 },
      }),
    );
    form.set('map', JSON.stringify({ 0: ['variables.file'] }));
    form.set('0', new Blob([new Uint8Array(bytes)], { type: 'application/pdf' }), 'lampiran.pdf');
    const uploaded = await fetch(`${platform.url}/graphql`, { method: 'POST', body: form, headers: { authorization: `Bearer ${tokens.author}` } });
    const upload = (await uploaded.json()) as GraphQLResponse<{ addDocumentAttachment: unknown }>;
    expect(upload.errors).toBeUndefined();
    expect(upload.data?.addDocumentAttachment).toEqual({ filename: 'lampiran.pdf', size: bytes.length, sha256 });

    expect(await act('submitDocument', id, tokens.author)).toMatchObject({ status: 'IN_REVIEW' });
    expect(await act('initialDocument', id, tokens.reviewer)).toMatchObject({ status: 'READY_TO_SIGN' });
    const signed = await act('signDocument', id, tokens.signer);
    expect(signed.number).toMatch(/^1\/TU\/500\.12\.1\/\d{2}\/\d{4}$/);
    expect(await act('sendDocument', id, tokens.author)).toMatchObject({ status: 'SENT' });

    // Verification needs no login: what a QR code on the printed letter opens.
    const verified = await gql('query ($id: ID!) { verifyDocument(id: $id) { valid number signedAt signerName signerNip agency { name } } }', { id });
    expect(verified.errors).toBeUndefined();
    expect(verified.data.verifyDocument).toMatchObject({
      valid: true,
      number: signed.number,
      signerName: PEOPLE.signer.name,
      signerNip: PEOPLE.signer.nip,
      agency: { name: 'Sekretariat Daerah Uji' },
    });

    // Received across agencies: it waits in the head's inbox.
    const INBOX = '{ inbox { totalCount edges { node { kind overdue document { id subject number } disposition { id } } } } }';
    const headInbox = await gql(INBOX, {}, tokens.head);
    expect(headInbox.data.inbox.edges).toEqual([
      { node: { kind: 'RECEIVED', overdue: false, document: { id, subject: input.subject, number: signed.number }, disposition: null } },
    ]);

    // The head dispositions it to a staff member, who completes it.
    const due = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    const disposed = await gql(
      'mutation ($id: ID!, $input: DispositionInput!) { dispositionDocument(documentId: $id, input: $input) { id status toNip toName } }',
      { id, input: { toNips: [PEOPLE.staff.nip], instruction: 'Siapkan data aplikasi', dueDate: due } },
      tokens.head,
    );
    expect(disposed.errors).toBeUndefined();
    expect(disposed.data.dispositionDocument[0]).toMatchObject({ status: 'OPEN', toNip: PEOPLE.staff.nip, toName: PEOPLE.staff.name });
    const staffInbox = await gql(INBOX, {}, tokens.staff);
    expect(staffInbox.data.inbox.edges.map((e: { node: { kind: string } }) => e.node.kind)).toEqual(['DISPOSITION']);
    const completed = await gql(
      'mutation ($id: ID!) { completeDisposition(id: $id, note: "Data terlampir") { status } }',
      { id: disposed.data.dispositionDocument[0].id },
      tokens.staff,
    );
    expect(completed.data.completeDisposition.status).toBe('COMPLETED');
    expect((await gql(INBOX, {}, tokens.staff)).data.inbox.totalCount).toBe(0);

    // A secret letter: the author's own records clerk is not on it and sees nothing.
    expect((await gql('query ($id: ID!) { document(id: $id) { id } }', { id }, tokens.clerk)).data.document).toBeNull();

    // The attachment's bytes, from the gateway's download route, for who may read the letter only.
    const files = await gql('query ($id: ID!) { document(id: $id) { attachments { downloadPath } } }', { id }, tokens.head);
    const path = files.data.document.attachments[0].downloadPath as string;
    const download = await fetch(`${platform.url}${path}`, { headers: { authorization: `Bearer ${tokens.head}` } });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(download.headers.get('content-disposition')).toContain('filename="lampiran.pdf"');
    expect(download.headers.get('x-content-sha256')).toBe(sha256);
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
    const notTheirs = await fetch(`${platform.url}${path}`, { headers: { authorization: `Bearer ${tokens.clerk}` } });
    expect(notTheirs.status).toBe(404);
    expect(((await notTheirs.json()) as GraphQLResponse<unknown>).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const anonymous = await fetch(`${platform.url}${path}`);
    expect(anonymous.status).toBe(401);
    await anonymous.text();

    expect(await act('archiveDocument', id, tokens.author)).toMatchObject({ status: 'ARCHIVED' });
    const archived = await gql(
      'query ($id: ID!) { document(id: $id) { retention { phase finalDisposition } attachments { sha256 } } documentAuditTrail(id: $id) { intact entries { action } } }',
      { id },
      tokens.author,
    );
    expect(archived.data.document).toEqual({ retention: { phase: 'ACTIVE', finalDisposition: 'DESTROY' }, attachments: [{ sha256 }] });
    expect(archived.data.documentAuditTrail.intact).toBe(true);
    expect(archived.data.documentAuditTrail.entries.map((e: { action: string }) => e.action)).toEqual([
      'created',
      'attachment-added',
      'submitted',
      'initialled',
      'signed',
      'sent',
      'dispositioned',
      'disposition-completed',
      'archived',
    ]);

    // Employee.documents: personnel's Employee gains the letters they wrote.
    const written = await gql(
      'query ($nip: String!) { employee(nip: $nip) { name documents { totalCount edges { node { id } } } } }',
      { nip: PEOPLE.author.nip },
      tokens.author,
    );
    expect(written.data.employee).toEqual({ name: PEOPLE.author.name, documents: { totalCount: 1, edges: [{ node: { id } }] } });
  });

  it('refuses a signature by someone who is not the signer, and a verification of nonsense is plainly not signed', async () => {
    const denied = await gql('mutation { signDocument(id: "00000000-0000-4000-8000-000000000000") { id } }', {}, tokens.author);
    expect(errorCodes(denied)).toEqual(['NOT_FOUND']);
    const nothing = await gql('{ verifyDocument(id: "nonsense") { valid status } }');
    expect(nothing.data.verifyDocument).toEqual({ valid: false, status: 'NOT_SIGNED' });
  });
});
