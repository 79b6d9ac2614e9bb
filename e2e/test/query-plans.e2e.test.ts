import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_EMPLOYEES, type DemoEmployee } from '@simpul/contracts/demo';
import { countGatewayRequests, eventually, postGraphQL } from '@simpul/testing';
import { GRAPHQL_SCENARIOS } from '../../bench/scenarios.ts';
import { startPlatform, type Platform } from './platform.ts';

// The gateway's query plans against plain stitching, on the four real services with the
// demo data: every query of the corpus must get the same answer from both (data, errors
// with their paths and codes, HTTP status), for callers with and without rights. And each
// scenario of issue 12 must cost at most one NATS request per service per level.
let platform: Platform;
/** The same services behind a gateway that only stitches (no plans, no single-service route). */
let stitchedUrl: string;
const tokens: Record<string, string | undefined> = {};
// Demo civil servants of one regency: two write letters, one signs them.
const [author, secondAuthor, signer] = DEMO_EMPLOYEES.filter((e) => e.agencyCode === 'KAB-BANYUWANGI') as [DemoEmployee, DemoEmployee, DemoEmployee];

async function login(username: string, deadline: number): Promise<string> {
  for (;;) {
    const res = await postGraphQL<{ login: { token: string } }>(
      platform.url,
      'mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { token } }',
      {
        u: username,
        p: platform.adminPassword,
      },
    );
    const token = res.body.data?.login.token;
    if (token) return token;
    if (Date.now() > deadline) throw new Error(`${username} could not log in: ${JSON.stringify(res.body.errors)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

beforeAll(async () => {
  // Demo data everywhere but in documents, whose demo letters take minutes to write through
  // their whole workflow: the test writes a few letters of its own instead.
  platform = await startPlatform({ SIMPUL_DEMO: 'true' }, { serviceEnv: (service) => (service === 'documents' ? { SIMPUL_DEMO: 'false' } : {}) });
  stitchedUrl = (await platform.startGateway({ QUERY_PLANS: 'false', SINGLE_SERVICE_ROUTE: 'false' })).url;
  // Identity opens the demo employees' accounts from personnel's events; wait for the last
  // one, so that both gateways see the same, settled data.
  const deadline = Date.now() + 150_000;
  for (const user of ['admin', 'hr.banyuwangi', 'arsip.banyuwangi', 'pegawai.kominfo', 'auditor']) tokens[user] = await login(user, deadline);
  tokens.employee = await login(DEMO_EMPLOYEES.at(-1)!.nip, deadline);
  tokens.author = await login(author.nip, deadline);
  tokens.signer = await login(signer.nip, deadline);
  const secondAuthorToken = await login(secondAuthor.nip, deadline);

  const write = async (token: string, securityClass: string, subject: string) => {
    const input = {
      type: 'SURAT_DINAS',
      subject,
      body: 'Dengan hormat.',
      classificationCode: '500.12.1',
      securityClass,
      signerNip: signer.nip,
      recipients: [{ kind: 'AGENCY', agencyCode: 'KOMINFO' }],
    };
    // Documents learns the employees from personnel's events: wait until it knows them.
    const created = await eventually(
      async () => {
        const res = await postGraphQL<{ createDocument: { id: string } }>(
          platform.url,
          'mutation ($input: CreateDocumentInput!) { createDocument(input: $input) { id } }',
          { input },
          token,
        );
        return res.body.errors?.[0]?.extensions?.code === 'BAD_USER_INPUT' ? undefined : res.body;
      },
      'documents to learn the demo employees',
      120_000,
    );
    expect(created.errors).toBeUndefined();
    return created.data!.createDocument.id;
  };
  const act = async (mutation: string, id: string, token: string) => {
    const res = await postGraphQL(platform.url, `mutation ($id: ID!) { ${mutation}(id: $id) { status } }`, { id }, token);
    expect(res.body.errors).toBeUndefined();
  };
  const signed = await write(tokens.author!, 'BIASA', 'Undangan rapat koordinasi SPBE');
  await act('submitDocument', signed, tokens.author!);
  await act('signDocument', signed, tokens.signer!);
  await write(tokens.author!, 'BIASA', 'Konsep laporan kinerja');
  await write(tokens.author!, 'RAHASIA', 'Laporan pemeriksaan');
  await write(secondAuthorToken, 'TERBATAS', 'Permohonan data pegawai');
}, 300_000);
afterAll(async () => {
  await platform?.stop();
});

type Caller = 'admin' | 'hr.banyuwangi' | 'arsip.banyuwangi' | 'pegawai.kominfo' | 'auditor' | 'employee' | 'author' | 'signer' | 'anonymous';

const EMPLOYEE_PAGE = `query Page($agency: String, $first: Int) {
  employees(agencyCode: $agency, first: $first) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { nip name rank { code title } position { name type } agency { code name kind } unit { code name } user { username roles status } } }
  }
}`;
const DOCUMENT_PAGE = `{
  documents(first: 20) {
    totalCount
    edges { node { id subject status number agency { code name }
      author { nip name rank { code title } agency { code name } }
      signer { nip name rank { code } } } }
  }
}`;

/** [name, query, variables, callers]: every query is asked by each of its callers. */
const corpus: [string, string, Record<string, unknown>, Caller[]][] = [
  [
    'employees with agency, unit and user',
    EMPLOYEE_PAGE,
    { agency: 'KAB-BANYUWANGI', first: 50 },
    ['admin', 'hr.banyuwangi', 'employee', 'anonymous', 'pegawai.kominfo'],
  ],
  ["another agency's employees (refused for an HR officer)", EMPLOYEE_PAGE, { agency: 'KOMINFO', first: 5 }, ['hr.banyuwangi', 'auditor']],
  [
    'documents with author and signer (three services)',
    DOCUMENT_PAGE,
    {},
    ['admin', 'arsip.banyuwangi', 'author', 'signer', 'employee', 'pegawai.kominfo', 'anonymous'],
  ],
  ['me', '{ me { username displayName roles agency { code name } unit { code name } } }', {}, ['admin', 'employee', 'anonymous']],
  [
    'me across every service',
    `{ me { username agency { name applications { name owner { code } } }
      employee { nip name rank { code } unit { name } documents(first: 3) { totalCount edges { node { subject signer { name } } } } } } }`,
    {},
    ['author', 'employee', 'admin', 'hr.banyuwangi'],
  ],
  ['health', '{ health }', {}, ['anonymous']],
  [
    'root fields of several services',
    '{ health rankLadder(scheme: PNS) { code } businessFunctions { code } classificationCodes { code } me { username } }',
    {},
    ['admin'],
  ],
  [
    'fragments',
    `query WithFragments { employees(agencyCode: "KAB-BANYUWANGI", first: 4) { edges { node { ...Person } } } }
      fragment Person on Employee { nip ...Names agency { ...AgencyName } }
      fragment Names on Employee { name unit { ... on Unit { name } } }
      fragment AgencyName on Agency { code name }`,
    {},
    ['admin'],
  ],
  [
    'aliases and the same field twice',
    `{ first: employees(agencyCode: "KAB-BANYUWANGI", first: 2) { edges { node { n: nip who: name place: agency { label: name } agency { code } } } }
      second: employees(agencyCode: "KOMINFO", first: 2) { edges { node { nip agency { name } agency { kind } } } } }`,
    {},
    ['admin'],
  ],
  [
    'variables, @include and @skip (true)',
    `query ($withUnit: Boolean!, $first: Int = 3) { employees(agencyCode: "KAB-BANYUWANGI", first: $first) {
      edges { node { nip unit @include(if: $withUnit) { name } agency @skip(if: $withUnit) { name } ... @include(if: $withUnit) { user { username } } } } } }`,
    { withUnit: true },
    ['admin'],
  ],
  [
    'variables, @include and @skip (false)',
    `query ($withUnit: Boolean!, $first: Int = 3) { employees(agencyCode: "KAB-BANYUWANGI", first: $first) {
      edges { node { nip unit @include(if: $withUnit) { name } agency @skip(if: $withUnit) { name } ... @include(if: $withUnit) { user { username } } } } } }`,
    { withUnit: false },
    ['admin'],
  ],
  [
    '__typename everywhere',
    '{ __typename employees(first: 2) { __typename edges { node { __typename nip agency { __typename } unit { __typename name } } } } }',
    {},
    ['admin'],
  ],
  [
    'nulls: unknown records',
    '{ employee(nip: "199001012015011999") { nip agency { name } } agency(code: "NOPE") { name applications { name } } }',
    {},
    ['admin'],
  ],
  ['nulls: an administrator has no employee record', '{ me { username employee { nip name agency { name } } } }', {}, ['admin', 'auditor']],
  [
    'an agency with its employees and applications (two services added to one type, then a third level)',
    `{ agency(code: "KAB-BANYUWANGI") { name
      applications { name status owner { code name } }
      employees(first: 3) { totalCount edges { node { name unit { name } user { username } } } } } }`,
    {},
    ['admin', 'hr.banyuwangi', 'employee', 'arsip.banyuwangi'],
  ],
  ['agencies with what other services add', '{ agencies { code name parent { code } applications { name } } }', {}, ['admin', 'pegawai.kominfo']],
  [
    'applications with owners',
    '{ applications(first: 50) { totalCount edges { node { name kind owner { code name kind } replacedBy { name owner { name } } } } } }',
    {},
    ['admin', 'employee'],
  ],
  [
    'duplicate clusters',
    '{ duplicateClusters(minScore: 0.6) { explanation applications { name owner { name } } replacement { name application { owner { code } } } keptApplication { owner { name } } } }',
    {},
    ['admin', 'employee'],
  ],
  [
    'retirements due',
    '{ retirementsDue(months: 12, agencyCode: "KAB-BANYUWANGI") { nip retirementDate agency { name } unit { name } user { status } } }',
    {},
    ['admin', 'hr.banyuwangi', 'employee'],
  ],
  [
    'headcount with agencies',
    '{ employeeHeadcount(agencyCode: "KAB-BANYUWANGI") { total byAgency { agency { code name } count } byRank { rank { code } count } } }',
    {},
    ['hr.banyuwangi', 'employee'],
  ],
  [
    'inbox',
    '{ inbox(first: 10) { totalCount edges { node { kind read document { subject author { name agency { name } } } disposition { to { name } } } } } }',
    {},
    ['arsip.banyuwangi', 'signer', 'pegawai.kominfo'],
  ],
  // (The audit log grows with every refusal, so the filter keeps its count still between the two asks.)
  [
    'an error in one service, data from the others',
    '{ auditLog(first: 2, filter: { action: "no.such.action" }) { totalCount } employees(first: 1) { totalCount } }',
    {},
    ['hr.banyuwangi', 'admin'],
  ],
  // (Type and field order in introspection follows the order the gateway discovered the services in.)
  [
    'introspection (left to stitching)',
    '{ __schema { queryType { name } mutationType { name } subscriptionType { name } } __type(name: "PageInfo") { kind fields { name type { kind ofType { name } } } } }',
    {},
    ['anonymous'],
  ],
  [
    'an abstract type in introspection mixed with data',
    '{ __type(name: "Agency") { name kind possibleTypes { name } interfaces { name } } agencies { code } }',
    {},
    ['anonymous'],
  ],
  ['a validation error', '{ employees(first: 1) { edges { node { nope } } } }', {}, ['admin']],
  ['a bad argument', '{ employees(first: "x") { totalCount } }', {}, ['admin']],
  ['a variable of the wrong type', EMPLOYEE_PAGE, { agency: 'KAB-BANYUWANGI', first: 'fifty' }, ['admin']],
];

async function ask(url: string, query: string, variables: Record<string, unknown>, caller: Caller) {
  const token = caller === 'anonymous' ? undefined : tokens[caller];
  const res = await postGraphQL(url, query, variables, token);
  // Error order is not part of the contract (it follows the order answers arrive), nor is the
  // trace id each answer has of its own; everything else is.
  const errors = res.body.errors?.map(({ extensions: { traceId: _traceId, ...extensions } = {}, ...e }) => JSON.stringify({ ...e, extensions })).sort();
  return { status: res.status, data: res.body.data, errors };
}

describe('query plans give the same answers as plain stitching', () => {
  for (const [name, query, variables, callers] of corpus) {
    it.each(callers)(`${name}, as %s`, async (caller) => {
      const planned = await ask(platform.url, query, variables, caller);
      const stitched = await ask(stitchedUrl, query, variables, caller);
      expect(planned).toEqual(stitched);
    });
  }

  it('a mutation that joins services answers alike (each gateway appoints its own employee)', async () => {
    const appoint = `mutation ($input: AppointEmployeeInput!) { appointEmployee(input: $input) {
      nip name rank { code title } agency { code name } unit { code name } position { type } } }`;
    const input = (nip: string) => ({
      nip,
      name: 'Dian Permata',
      agencyCode: 'KAB-BANYUWANGI',
      unitCode: 'BKPSDM',
      asnStatus: 'CPNS',
      rank: 'III/a',
      positionName: 'Analis SDM Aparatur Ahli Pertama',
      positionType: 'AHLI_PERTAMA',
      effectiveDate: '2024-01-02',
    });
    const planned = await ask(platform.url, appoint, { input: input('199505052024012001') }, 'admin');
    const stitched = await ask(stitchedUrl, appoint, { input: input('199505052024012002') }, 'admin');
    expect(planned.errors).toBeUndefined();
    expect(JSON.parse(JSON.stringify(planned).replaceAll('199505052024012001', 'NIP'))).toEqual(
      JSON.parse(JSON.stringify(stitched).replaceAll('199505052024012002', 'NIP')),
    );
    // Refused: the same refusal from both.
    const refusedPlanned = await ask(platform.url, appoint, { input: input('199505052024012003') }, 'pegawai.kominfo');
    const refusedStitched = await ask(stitchedUrl, appoint, { input: input('199505052024012003') }, 'pegawai.kominfo');
    expect(refusedPlanned).toEqual(refusedStitched);
    expect(refusedPlanned.errors?.join()).toContain('FORBIDDEN');
  });
});

describe('at most one NATS request per service per level', () => {
  const requestsOf = (query: string, variables: Record<string, unknown>, caller: Caller) =>
    countGatewayRequests(platform.namespace, platform.url, query, variables, caller === 'anonymous' ? undefined : tokens[caller]);

  // Every GraphQL scenario the benchmark measures (bench/scenarios.ts), as the benchmark asks it.
  it.each(GRAPHQL_SCENARIOS.map((s) => [s.name, s] as const))('benchmark scenario: %s', async (_name, scenario) => {
    const { counts, body } = await requestsOf(scenario.query, scenario.variables(), scenario.caller);
    expect(body.errors).toBeUndefined();
    expect(counts).toEqual(scenario.natsRequests);
  });

  it.each<[string, string, Record<string, unknown>, Record<string, number>]>([
    // Level 0 personnel; level 1 identity (agency, unit and user in one request).
    ['employees with agency, unit and user', EMPLOYEE_PAGE, { agency: 'KAB-BANYUWANGI', first: 50 }, { personnel: 1, identity: 1 }],
    // Level 0 documents; level 1 personnel (author and signer in one request) and identity (the document's agency); level 2 identity (the author's agency).
    ["documents with author, signer and the author's agency", DOCUMENT_PAGE, {}, { documents: 1, personnel: 1, identity: 2 }],
    ['me', '{ me { username displayName agency { name } } }', {}, { identity: 1 }],
    ['health', '{ health }', {}, { identity: 1 }],
  ])('%s', async (_name, query, variables, expected) => {
    const { counts, body } = await requestsOf(query, variables, 'admin');
    expect(body.errors).toBeUndefined();
    expect(counts).toEqual(expected);
  });

  it('a mutation that writes an event, with the agency and unit of the new employee', async () => {
    const { counts, body } = await requestsOf(
      `mutation ($input: AppointEmployeeInput!) { appointEmployee(input: $input) { nip agency { name } unit { name } } }`,
      {
        input: {
          nip: '199606062024012001',
          name: 'Eka Putri',
          agencyCode: 'KAB-BANYUWANGI',
          unitCode: 'BKPSDM',
          asnStatus: 'CPNS',
          rank: 'III/a',
          positionName: 'Pranata Komputer Ahli Pertama',
          positionType: 'AHLI_PERTAMA',
          effectiveDate: '2024-01-02',
        },
      },
      'admin',
    );
    expect(body.errors).toBeUndefined();
    expect(counts).toEqual({ personnel: 1, identity: 1 });
  });
});
