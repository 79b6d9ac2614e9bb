import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually, postGraphQL, queryDatabase, type GraphQLResponse } from '@simpul/testing';
import { startPlatform, type Platform } from './platform.ts';

// The platform with its telemetry service, every process sending its spans there (as
// `npm start` runs it): after the login and document flows, nothing secret is stored.
let platform: Platform;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- results are read ad hoc
async function gql<T = any>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<GraphQLResponse<T>> {
  return (await postGraphQL<T>(platform.url, query, variables, token)).body;
}

const AUTHOR = { nip: '198501012010011001', name: 'Rina Penulis', agencyCode: 'E2E-RAHASIA', unitCode: 'TU' };
const SIGNER = { nip: '197503032000011003', name: 'Bambang Kepala', agencyCode: 'E2E-RAHASIA', unitCode: 'TU' };
const SECRET_SUBJECT = 'Rencana mutasi pejabat Zulkarnaen 4471';
const SECRET_BODY = 'Isi surat yang sangat rahasia 9052';
const SECRET_ATTACHMENT = 'lampiran rahasia 6623';
const AUTHOR_PASSWORD = 'kata sandi penulis 2026';

beforeAll(async () => {
  platform = await startPlatform({ TELEMETRY_SETTLE_MS: '500', TELEMETRY_SWEEP_MS: '500' }, { services: ['identity', 'personnel', 'documents', 'telemetry'] });
}, 180_000);
afterAll(async () => {
  await platform?.stop();
});

it("after login and document flows, no stored span or exchange record holds a password, a token or a letter's content", async () => {
  const login = await gql('mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { token } }', { u: 'admin', p: platform.adminPassword });
  const admin = login.data.login.token as string;
  // A failed login too: its password must not be kept either.
  await gql('mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { token } }', { u: 'admin', p: `${platform.adminPassword}-wrong` });

  expect(
    (
      await gql(
        'mutation ($i: CreateAgencyInput!) { createAgency(input: $i) { code } }',
        { i: { code: 'E2E-RAHASIA', name: 'Dinas Rahasia Uji', kind: 'AGENCY' } },
        admin,
      )
    ).errors,
  ).toBeUndefined();
  expect(
    (
      await gql(
        'mutation ($i: CreateUnitInput!) { createUnit(input: $i) { code } }',
        { i: { agencyCode: 'E2E-RAHASIA', code: 'TU', name: 'Tata Usaha' } },
        admin,
      )
    ).errors,
  ).toBeUndefined();
  for (const p of [AUTHOR, SIGNER]) {
    const tmt = `${p.nip.slice(8, 12)}-${p.nip.slice(12, 14)}-01`;
    const appointed = await eventually(async () => {
      const result = await gql(
        'mutation ($input: AppointEmployeeInput!) { appointEmployee(input: $input) { nip } }',
        {
          input: {
            ...p,
            asnStatus: 'PNS',
            rank: 'III/a',
            positionName: 'Analis',
            positionType: 'AHLI_PERTAMA',
            effectiveDate: tmt,
            decreeNumber: `SK/${p.nip}`,
          },
        },
        admin,
      );
      return result.errors?.[0]?.extensions?.code === 'NOT_FOUND' ? undefined : result;
    }, `appointment of ${p.name}`);
    expect(appointed.errors).toBeUndefined();
  }
  await eventually(async () => {
    const reset = await gql(
      'mutation ($u: String!, $p: String!) { resetPassword(username: $u, newPassword: $p) }',
      { u: AUTHOR.nip, p: AUTHOR_PASSWORD },
      admin,
    );
    return reset.data?.resetPassword === true ? true : undefined;
  }, 'account of the author');
  const author = (await gql('mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { token } }', { u: AUTHOR.nip, p: AUTHOR_PASSWORD })).data
    .login.token as string;

  const input = {
    type: 'SURAT_DINAS',
    subject: SECRET_SUBJECT,
    body: SECRET_BODY,
    classificationCode: '500.12.1',
    securityClass: 'RAHASIA',
    urgency: 'SEGERA',
    reviewerNips: [],
    signerNip: SIGNER.nip,
    recipients: [{ kind: 'EMPLOYEE', nip: SIGNER.nip }],
  };
  const created = await eventually(async () => {
    const result = await gql('mutation ($input: CreateDocumentInput!) { createDocument(input: $input) { id subject } }', { input }, author);
    return result.errors?.[0]?.extensions?.code === 'BAD_USER_INPUT' ? undefined : result;
  }, 'documents to learn the employees');
  expect(created.errors).toBeUndefined();
  const id = created.data.createDocument.id as string;
  // A refused variable: graphql-js repeats its value in the error message (here the subject).
  const refused = await gql(
    'mutation ($input: CreateDocumentInput!) { createDocument(input: $input) { id } }',
    { input: { ...input, urgency: SECRET_SUBJECT } },
    author,
  );
  expect(JSON.stringify(refused.errors)).toContain(SECRET_SUBJECT);
  expect(refused.errors?.[0]?.extensions?.traceId).toMatch(/^[0-9a-f]{32}$/);

  const attachment = `%PDF-1.4 ${SECRET_ATTACHMENT}`;
  const sha = createHash('sha256').update(attachment).digest('hex');
  const form = new FormData();
  form.set(
    'operations',
    JSON.stringify({
      query: 'mutation ($id: ID!, $file: Upload!, $sha: String!) { addDocumentAttachment(documentId: $id, file: $file, sha256: $sha) { filename } }',
      variables: { id, file: null, sha },
    }),
  );
  form.set('map', JSON.stringify({ 0: ['variables.file'] }));
  form.set('0', new Blob([attachment], { type: 'application/pdf' }), 'lampiran.pdf');
  const upload = await fetch(`${platform.url}/graphql`, { method: 'POST', body: form, headers: { authorization: `Bearer ${author}` } });
  expect(((await upload.json()) as GraphQLResponse).errors).toBeUndefined();
  expect((await gql('query ($id: ID!) { document(id: $id) { subject body } }', { id }, author)).data.document.subject).toBe(SECRET_SUBJECT);

  // Everything is in the store: the document service's spans and the gateway's records, and
  // the traces of those records decided. Only this test's traces are awaited: the platform's
  // own background traces keep arriving, so "no undecided span anywhere" may never be seen
  // on a busy machine.
  const telemetryDb = platform.databaseUrls.get('telemetry')!;
  let last: unknown;
  await eventually(
    async () => {
      const [row] = await queryDatabase<{ spans: number; documents: number; exchanges: number; undecided: number }>(
        telemetryDb,
        `
      SELECT (SELECT count(*)::int FROM span) AS spans,
             (SELECT count(*)::int FROM span WHERE service = 'documents') AS documents,
             (SELECT count(*)::int FROM exchange WHERE operation_type = 'mutation') AS exchanges,
             (SELECT count(DISTINCT s.trace_id)::int FROM span s JOIN exchange e ON e.trace_id = s.trace_id WHERE NOT s.decided) AS undecided`,
      );
      last = row;
      return row && row.documents > 0 && row.exchanges >= 8 && row.undecided === 0 ? row : undefined;
    },
    'spans and records to be stored',
    120_000,
  ).catch((error: Error) => {
    throw new Error(`${error.message}; last seen ${JSON.stringify(last)}`);
  });

  const stored = await queryDatabase<{ text: string }>(
    telemetryDb,
    `
    SELECT row_to_json(s)::text AS text FROM span s
    UNION ALL SELECT row_to_json(t)::text FROM trace t
    UNION ALL SELECT row_to_json(e)::text FROM exchange e`,
  );
  expect(stored.length).toBeGreaterThan(50);
  const secrets = {
    'the admin password': platform.adminPassword,
    "the author's password": AUTHOR_PASSWORD,
    "the admin's token": admin,
    "the admin's token signature": admin.split('.')[2]!,
    "the author's token": author,
    "the letter's subject": SECRET_SUBJECT,
    "the letter's body": SECRET_BODY,
    "the attachment's bytes": SECRET_ATTACHMENT,
  };
  // The refusal's message was stored, without the value it repeated.
  expect(stored.some((r) => r.text.includes('got invalid value [value]'))).toBe(true);
  const hits = Object.entries(secrets).flatMap(([what, secret]) =>
    stored.filter((r) => r.text.includes(secret)).map((r) => `${what}: ${r.text.slice(0, 300)}`),
  );
  expect(hits).toEqual([]);
}, 300_000);
