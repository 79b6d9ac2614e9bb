import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, eventually, postGraphQL, type GraphQLResponse } from '@simpul/testing';
import { startPlatform, type Platform } from './platform.ts';

// Issue 16, item 1, as it was reproduced against a running platform: a transfer carried
// an account (and its roles) into another agency without that agency being asked. Now a
// transfer between agencies waits for the receiving agency, the account arrives with
// EMPLOYEE only, and its old tokens are refused by the gateway within moments.
let platform: Platform;
let admin: string;
const tokens: Record<string, string> = {};
let bknLetterId: string;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- results are read ad hoc
async function gql<T = any>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<GraphQLResponse<T>> {
  return (await postGraphQL<T>(platform.url, query, variables, token)).body;
}

async function login(username: string, password: string): Promise<string> {
  const result = await gql('mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { token } }', { u: username, p: password });
  expect(result.errors, `login of ${username}`).toBeUndefined();
  return result.data.login.token;
}

const PASSWORD = 'password for the e2e test 2026';
const AGENCIES = [
  ['KAB-BANYUWANGI', 'Kabupaten Banyuwangi', 'BKPSDM'],
  ['BKN', 'Badan Kepegawaian Negara', 'DEP.MUTASI'],
  ['KOTA-SURABAYA', 'Kota Surabaya', 'BKPSDM'],
] as const;
const OFFICERS = [
  ['hr.banyuwangi', 'KAB-BANYUWANGI', ['HR_OFFICER']],
  ['admin.banyuwangi', 'KAB-BANYUWANGI', ['AGENCY_ADMIN']],
  ['hr.bkn', 'BKN', ['HR_OFFICER']],
  ['admin.surabaya', 'KOTA-SURABAYA', ['AGENCY_ADMIN']],
] as const;

const APPOINT = 'mutation ($input: AppointEmployeeInput!) { appointEmployee(input: $input) { nip } }';
const TRANSFER = `mutation ($nip: String!, $to: String!) { transferEmployee(nip: $nip, toAgencyCode: $to) {
  nip agencyCode pendingTransfer { toAgency { code name } requestedBy } } }`;
const ACCEPT = 'mutation ($nip: String!) { acceptTransfer(nip: $nip) { nip agencyCode pendingTransfer { id } } }';
const ME = '{ me { username roles agency { code } } }';

async function appoint(nip: string, agencyCode: string, unitCode: string, by: string) {
  const tmt = `${nip.slice(8, 12)}-${nip.slice(12, 14)}-01`;
  const result = await gql(
    APPOINT,
    {
      input: {
        nip,
        name: `Pegawai ${nip.slice(-3)}`,
        agencyCode,
        unitCode,
        asnStatus: 'PNS',
        rank: 'III/a',
        positionName: 'Analis SDM Aparatur Ahli Pertama',
        positionType: 'AHLI_PERTAMA',
        effectiveDate: tmt,
      },
    },
    by,
  );
  expect(result.errors, `appointment of ${nip}`).toBeUndefined();
}

/** Sets the first password of a new employee account once identity has opened it. */
async function setFirstPassword(nip: string, by: string) {
  await eventually(async () => {
    const reset = await gql('mutation ($u: String!, $p: String!) { resetPassword(username: $u, newPassword: $p) }', { u: nip, p: PASSWORD }, by);
    return reset.data?.resetPassword === true ? true : undefined;
  }, `the account of ${nip}`);
}

/** Polls the gateway with a token until it answers 401; returns how long that took after `since`. */
async function refusedAfter(token: string, since: number): Promise<number> {
  return eventually(async () => {
    const res = await postGraphQL(platform.url, ME, {}, token);
    return res.status === 401 ? Date.now() - since : undefined;
  }, 'the gateway to refuse the revoked token');
}

beforeAll(async () => {
  platform = await startPlatform({}, { services: ['identity', 'personnel', 'documents'] });
  admin = await login('admin', platform.adminPassword);
  for (const [code, name, unit] of AGENCIES) {
    expect(
      (await gql('mutation ($i: CreateAgencyInput!) { createAgency(input: $i) { code } }', { i: { code, name, kind: 'AGENCY' } }, admin)).errors,
    ).toBeUndefined();
    expect(
      (await gql('mutation ($i: CreateUnitInput!) { createUnit(input: $i) { code } }', { i: { agencyCode: code, code: unit, name: `Unit ${unit}` } }, admin))
        .errors,
    ).toBeUndefined();
  }
  for (const [username, agencyCode, roles] of OFFICERS) {
    const created = await gql(
      'mutation ($i: CreateUserInput!) { createUser(input: $i) { username } }',
      {
        i: { username, displayName: username, agencyCode, roles, password: PASSWORD },
      },
      admin,
    );
    expect(created.errors).toBeUndefined();
    tokens[username] = await login(username, PASSWORD);
  }
  // A BKN civil servant drafts a TERBATAS letter: everyone in BKN may read it, nobody outside.
  const author = '198001012005011001';
  await appoint(author, 'BKN', 'DEP.MUTASI', tokens['hr.bkn']!);
  await setFirstPassword(author, admin);
  const authorToken = await login(author, PASSWORD);
  const created = await eventually(async () => {
    const result = await gql(
      'mutation ($input: CreateDocumentInput!) { createDocument(input: $input) { id } }',
      {
        input: {
          type: 'NOTA_DINAS',
          subject: 'Rencana mutasi pegawai 2027',
          body: 'Terbatas untuk BKN.',
          classificationCode: '000.2.3',
          securityClass: 'TERBATAS',
          signerNip: author,
          recipients: [{ kind: 'UNIT', agencyCode: 'BKN', unitCode: 'DEP.MUTASI' }],
        },
      },
      authorToken,
    );
    // Documents learns the author from personnel's events: until then BAD_USER_INPUT.
    return result.errors?.[0]?.extensions?.code === 'BAD_USER_INPUT' ? undefined : result;
  }, 'documents to learn the author');
  expect(created.errors).toBeUndefined();
  bknLetterId = created.data.createDocument.id;
}, 240_000);
afterAll(async () => {
  await platform?.stop();
});

const LETTER = 'query ($id: ID!) { document(id: $id) { id subject } }';

describe('a transfer between agencies (issue 16, item 1)', () => {
  it('repro 1: Banyuwangi’s HR officer appoints a NIP, sets its password, transfers it to BKN: no BKN token, no BKN letters until BKN accepts', async () => {
    const nip = '199504042020011001';
    await appoint(nip, 'KAB-BANYUWANGI', 'BKPSDM', tokens['hr.banyuwangi']!);
    await setFirstPassword(nip, tokens['hr.banyuwangi']!);

    const asked = await gql(TRANSFER, { nip, to: 'BKN' }, tokens['hr.banyuwangi']);
    expect(asked.errors).toBeUndefined();
    // Before the fix the employee moved at once; now they stay until BKN decides.
    expect(asked.data.transferEmployee).toEqual({
      nip,
      agencyCode: 'KAB-BANYUWANGI',
      pendingTransfer: { toAgency: { code: 'BKN', name: 'Badan Kepegawaian Negara' }, requestedBy: 'hr.banyuwangi' },
    });
    const token = await login(nip, PASSWORD);
    expect((await gql(ME, {}, token)).data.me).toEqual({ username: nip, roles: ['EMPLOYEE'], agency: { code: 'KAB-BANYUWANGI' } });
    const letter = await gql(LETTER, { id: bknLetterId }, token);
    expect(letter.errors).toBeUndefined();
    expect(letter.data.document).toBeNull();

    // BKN's HR officer finds the request in its list and accepts it.
    const incoming = await gql('{ pendingTransfers { edges { node { nip fromAgency { code } employee { name } } } } }', {}, tokens['hr.bkn']);
    expect(incoming.data.pendingTransfers.edges).toEqual([{ node: { nip, fromAgency: { code: 'KAB-BANYUWANGI' }, employee: { name: 'Pegawai 001' } } }]);
    const accepted = await gql(ACCEPT, { nip }, tokens['hr.bkn']);
    expect(accepted.data.acceptTransfer).toEqual({ nip, agencyCode: 'BKN', pendingTransfer: null });
    const acceptedAt = Date.now();

    // The token issued in Banyuwangi stops working at the gateway within moments.
    const delayMs = await refusedAfter(token, acceptedAt);
    console.log(`[transfers.e2e] token refused by the gateway ${delayMs} ms after acceptTransfer answered`);
    const res = await postGraphQL(platform.url, ME, {}, token);
    expect(res.body.errors?.[0]?.message).toMatch(/revoked/);

    // A new login: a BKN employee now, who reads BKN's TERBATAS letter (once documents applied the transfer).
    const bknToken = await login(nip, PASSWORD);
    expect((await gql(ME, {}, bknToken)).data.me).toEqual({ username: nip, roles: ['EMPLOYEE'], agency: { code: 'BKN' } });
    const read = await eventually(
      async () => (await gql(LETTER, { id: bknLetterId }, bknToken)).data?.document ?? undefined,
      'documents to apply the transfer',
    );
    expect(read).toEqual({ id: bknLetterId, subject: 'Rencana mutasi pegawai 2027' });
  });

  it('repro 2: an account with AGENCY_ADMIN and HR_OFFICER cannot transfer itself; moved by others it arrives in Surabaya as EMPLOYEE only', async () => {
    const nip = '199606062021011002';
    await appoint(nip, 'KAB-BANYUWANGI', 'BKPSDM', tokens['hr.banyuwangi']!);
    await setFirstPassword(nip, tokens['admin.banyuwangi']!);
    const granted = await gql(
      'mutation ($u: String!) { setUserRoles(username: $u, roles: [EMPLOYEE, AGENCY_ADMIN, HR_OFFICER]) { roles } }',
      { u: nip },
      tokens['admin.banyuwangi'],
    );
    expect(granted.errors).toBeUndefined();
    const token = await login(nip, PASSWORD);

    const self = await gql(TRANSFER, { nip, to: 'KOTA-SURABAYA' }, token);
    expect(errorCodes(self)).toEqual(['FORBIDDEN']);
    expect((await gql('query ($n: String!) { employee(nip: $n) { agencyCode pendingTransfer { id } } }', { n: nip }, token)).data.employee).toEqual({
      agencyCode: 'KAB-BANYUWANGI',
      pendingTransfer: null,
    });

    // A colleague asks for the move; the employee cannot accept it for Surabaya, Surabaya's administrator can.
    expect((await gql(TRANSFER, { nip, to: 'KOTA-SURABAYA' }, tokens['hr.banyuwangi'])).errors).toBeUndefined();
    expect(errorCodes(await gql(ACCEPT, { nip }, token))).toEqual(['FORBIDDEN']);
    expect((await gql(ACCEPT, { nip }, tokens['admin.surabaya'])).data.acceptTransfer).toMatchObject({ agencyCode: 'KOTA-SURABAYA' });
    await refusedAfter(token, Date.now());

    const surabaya = await login(nip, PASSWORD);
    expect((await gql(ME, {}, surabaya)).data.me).toEqual({ username: nip, roles: ['EMPLOYEE'], agency: { code: 'KOTA-SURABAYA' } });
    for (const query of [
      '{ users(agencyCode: "KOTA-SURABAYA") { totalCount } }',
      '{ employees(agencyCode: "KOTA-SURABAYA") { totalCount } }',
      '{ apiClients(agencyCode: "KOTA-SURABAYA") { clientId } }',
    ]) {
      expect(errorCodes(await gql(query, {}, surabaya)), query).toEqual(['FORBIDDEN']);
    }
  });
});
