import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subjectsFor } from '@simpul/contracts';
import { connectTestBus, errorCodes, eventually, postGraphQL, testNatsUrl, type GraphQLResponse } from '@simpul/testing';
import { startPlatform, type Platform } from './platform.ts';

// Identity and personnel as real processes behind the real gateway: a civil servant's
// whole life through the public graph, as an HR application would drive it.
let platform: Platform;
let admin: string;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- results are read ad hoc
async function gql<T = any>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<GraphQLResponse<T>> {
  return (await postGraphQL<T>(platform.url, query, variables, token)).body;
}

async function login(username: string, password: string): Promise<GraphQLResponse<{ login: { token: string } }>> {
  return gql('mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { token } }', { u: username, p: password });
}

beforeAll(async () => {
  platform = await startPlatform({}, { services: ['identity', 'personnel'] });
  const result = await login('admin', platform.adminPassword);
  admin = result.data!.login.token;
  // Without demo data only the home agency exists: two agencies with units for the test.
  for (const [code, name] of [
    ['E2E-BKD', 'Badan Kepegawaian Uji'],
    ['E2E-DISKOMINFO', 'Dinas Kominfo Uji'],
  ] as const) {
    const created = await gql('mutation ($i: CreateAgencyInput!) { createAgency(input: $i) { code } }', { i: { code, name, kind: 'AGENCY' } }, admin);
    expect(created.errors).toBeUndefined();
    for (const unit of ['SDM', 'TIK']) {
      const made = await gql(
        'mutation ($i: CreateUnitInput!) { createUnit(input: $i) { code } }',
        { i: { agencyCode: code, code: unit, name: `Bidang ${unit}` } },
        admin,
      );
      expect(made.errors).toBeUndefined();
    }
  }
});
afterAll(async () => {
  await platform?.stop();
});

const NIP = '199203152018012001';
const APPOINT = `mutation ($input: AppointEmployeeInput!) {
  appointEmployee(input: $input) { nip name birthDate sex rank { code title } agency { code name } unit { code name } retirementDate }
}`;

describe('a civil servant through the gateway', () => {
  it('is appointed, logs in, is transferred (me shows the new agency), retires and can no longer log in', async () => {
    const appointed = await gql(
      APPOINT,
      {
        input: {
          nip: NIP,
          name: 'Ratna Sari, S.Kom.',
          agencyCode: 'E2E-BKD',
          unitCode: 'TIK',
          asnStatus: 'CPNS',
          rank: 'III/a',
          positionName: 'Pranata Komputer Ahli Pertama',
          positionType: 'AHLI_PERTAMA',
          effectiveDate: '2018-01-01',
          decreeNumber: 'SK-CPNS/1/2018',
        },
      },
      admin,
    );
    expect(appointed.errors).toBeUndefined();
    // agency and unit come from identity (type merging).
    expect(appointed.data.appointEmployee).toEqual({
      nip: NIP,
      name: 'Ratna Sari, S.Kom.',
      birthDate: '1992-03-15',
      sex: 'FEMALE',
      rank: { code: 'III/a', title: 'Penata Muda' },
      agency: { code: 'E2E-BKD', name: 'Badan Kepegawaian Uji' },
      unit: { code: 'TIK', name: 'Bidang TIK' },
      retirementDate: '2050-04-01',
    });

    // Identity opens the account from employee.appointed, without a password: the administrator sets the first one.
    const password = 'first password for Ratna';
    await eventually(async () => {
      const reset = await gql('mutation ($u: String!, $p: String!) { resetPassword(username: $u, newPassword: $p) }', { u: NIP, p: password }, admin);
      return reset.data?.resetPassword === true ? true : undefined;
    }, 'the employee account');
    const employeeLogin = await login(NIP, password);
    expect(employeeLogin.errors).toBeUndefined();
    const token = employeeLogin.data!.login.token;

    const ME = '{ me { username roles agency { code name } unit { code } employee { nip name agency { code } rank { code } } } }';
    expect((await gql(ME, {}, token)).data).toEqual({
      me: {
        username: NIP,
        roles: ['EMPLOYEE'],
        agency: { code: 'E2E-BKD', name: 'Badan Kepegawaian Uji' },
        unit: { code: 'TIK' },
        employee: { nip: NIP, name: 'Ratna Sari, S.Kom.', agency: { code: 'E2E-BKD' }, rank: { code: 'III/a' } },
      },
    });
    // The employee reads their own record, not the agency's list.
    expect((await gql('query ($n: String!) { employee(nip: $n) { nip } }', { n: NIP }, token)).data).toEqual({ employee: { nip: NIP } });
    expect(errorCodes(await gql('{ employees { totalCount } }', {}, token))).toEqual(['FORBIDDEN']);

    // A transfer to another agency is a request until that agency (here a national administrator) accepts it.
    const requested = await gql(
      'mutation ($n: String!) { transferEmployee(nip: $n, toAgencyCode: "E2E-DISKOMINFO", toUnitCode: "SDM") { nip agency { code } pendingTransfer { toAgency { name } toUnit { name } } } }',
      { n: NIP },
      admin,
    );
    expect(requested.data).toEqual({
      transferEmployee: { nip: NIP, agency: { code: 'E2E-BKD' }, pendingTransfer: { toAgency: { name: 'Dinas Kominfo Uji' }, toUnit: { name: 'Bidang SDM' } } },
    });
    const transferred = await gql('mutation ($n: String!) { acceptTransfer(nip: $n) { nip agency { code name } unit { name } } }', { n: NIP }, admin);
    expect(transferred.data).toEqual({
      acceptTransfer: { nip: NIP, agency: { code: 'E2E-DISKOMINFO', name: 'Dinas Kominfo Uji' }, unit: { name: 'Bidang SDM' } },
    });
    // The account moved: its old token is revoked, a new login shows the new agency.
    await eventually(async () => ((await postGraphQL(platform.url, ME, {}, token)).status === 401 ? true : undefined), 'the old token to be refused');
    const moved = (await gql(ME, {}, (await login(NIP, password)).data!.login.token)).data.me;
    expect(moved).toMatchObject({
      agency: { code: 'E2E-DISKOMINFO', name: 'Dinas Kominfo Uji' },
      unit: { code: 'SDM' },
      employee: { agency: { code: 'E2E-DISKOMINFO' } },
    });

    const retired = await gql(
      'mutation ($n: String!) { retireEmployee(input: { nip: $n, reason: "Pensiun dini atas permintaan sendiri" }) { status retiredOn careerHistory { kind } } }',
      { n: NIP },
      admin,
    );
    expect(retired.errors).toBeUndefined();
    expect(retired.data.retireEmployee).toMatchObject({
      status: 'RETIRED',
      careerHistory: [{ kind: 'APPOINTMENT' }, { kind: 'TRANSFER' }, { kind: 'RETIREMENT' }],
    });
    // Employee.user comes from identity: the same account, disabled once identity has applied the retirement.
    const account = await eventually(async () => {
      const read = await gql('query ($n: String!) { employee(nip: $n) { status user { username status agency { code } } } }', { n: NIP }, admin);
      return read.data?.employee?.user?.status === 'DISABLED' ? read.data.employee : undefined;
    }, 'the account to be disabled');
    expect(account).toEqual({ status: 'RETIRED', user: { username: NIP, status: 'DISABLED', agency: { code: 'E2E-DISKOMINFO' } } });
    const refused = await eventually(async () => {
      const attempt = await login(NIP, password);
      return attempt.errors ? attempt : undefined;
    }, 'the account to be disabled');
    expect(errorCodes(refused)).toEqual(['UNAUTHENTICATED']);
    expect(refused.errors![0]!.message).toMatch(/disabled/);
  });

  it('a page of 100 employees with their agencies and units costs the same number of NATS requests as a page of 10', async () => {
    const nips: string[] = [];
    for (let i = 1; nips.length < 100; i++) nips.push(`19900101201501${i % 2 ? 1 : 2}${String(i).padStart(3, '0')}`);
    // Appointed ten at a time, alternating the two units.
    for (let i = 0; i < nips.length; i += 10) {
      const batch = await Promise.all(
        nips.slice(i, i + 10).map((nip, j) =>
          gql(
            APPOINT,
            {
              input: {
                nip,
                name: `Pegawai ${i + j}`,
                agencyCode: 'E2E-BKD',
                unitCode: j % 2 ? 'SDM' : 'TIK',
                asnStatus: 'PNS',
                rank: 'III/b',
                positionName: 'Pengelola Data',
                positionType: 'PELAKSANA',
                effectiveDate: '2015-01-01',
              },
            },
            admin,
          ),
        ),
      );
      expect(batch.flatMap((r) => r.errors ?? [])).toEqual([]);
    }

    const nc = await connectTestBus(testNatsUrl());
    const seen: string[] = [];
    // A plain subscription gets a copy of every request, whichever instance answers it.
    const sub = nc.subscribe(`${subjectsFor(platform.namespace).namespace}.*.graphql`, {
      callback: (_e, msg) => {
        seen.push(msg.subject.split('.')[1]!);
        if (process.env.DEBUG_NATS) console.log(msg.subject, msg.string().slice(0, 600));
      },
    });
    await nc.flush();
    const PAGE = `query ($first: Int!) { employees(agencyCode: "E2E-BKD", first: $first, status: ACTIVE) {
      totalCount edges { node { nip name agency { code name kind } unit { code name } } } } }`;
    async function requestsFor(first: number) {
      seen.length = 0;
      const page = await gql(PAGE, { first }, admin);
      expect(page.errors).toBeUndefined();
      expect(page.data.employees.edges).toHaveLength(first);
      expect(
        page.data.employees.edges.every(
          (e: { node: { agency: { name: string }; unit: { name: string } } }) =>
            e.node.agency.name === 'Badan Kepegawaian Uji' && e.node.unit.name.startsWith('Bidang'),
        ),
      ).toBe(true);
      await nc.flush();
      return [...seen].sort();
    }
    try {
      const hundred = await requestsFor(100);
      const ten = await requestsFor(10);
      expect(hundred).toEqual(ten);
      // Measured: personnel twice (the page, then one batched employeesByNips that
      // @graphql-tools/stitch plans for a merged type whose nested fields live in another
      // service) and identity once (agenciesByCodes and unitsByKeys in one batch).
      expect(hundred.length).toBeLessThanOrEqual(3);
      expect(hundred.filter((s) => s === 'identity')).toHaveLength(1);
    } finally {
      sub.unsubscribe();
      await nc.close();
    }
  });

  it('refuses an appointment into an agency identity does not know, and a NIP that cannot be', async () => {
    const unknown = await gql(
      APPOINT,
      {
        input: {
          nip: '199203152018012002',
          name: 'X',
          agencyCode: 'NO-SUCH',
          rank: 'III/a',
          positionName: 'Analis',
          positionType: 'AHLI_PERTAMA',
          effectiveDate: '2018-01-01',
        },
      },
      admin,
    );
    expect(errorCodes(unknown)).toEqual(['NOT_FOUND']);
    const badNip = await gql(
      APPOINT,
      {
        input: { nip: '199202302018012002', name: 'X', agencyCode: 'E2E-BKD', rank: 'III/a', positionName: 'Analis', positionType: 'AHLI_PERTAMA' },
      },
      admin,
    );
    expect(errorCodes(badNip)).toEqual(['BAD_USER_INPUT']);
    expect(badNip.errors![0]!.message).toMatch(/1992-02-30 does not exist/);
  });
});
