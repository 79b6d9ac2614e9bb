import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvent, encodeJson } from '@simpul/bus';
import { EmployeeAppointed, EmployeeRetired, EmployeeTransferred, type EventData, type EventEnvelope } from '@simpul/contracts';
import { errorCodes, eventually } from '@simpul/testing';
import { startTestIdentity, type TestIdentity } from './support/identity.ts';

// An account's roles and agency are in its tokens: whenever they change, identity writes
// identity.token.revoked and every verifier (identity's own here) refuses the old tokens.
let identity: TestIdentity;
let admin: string;

beforeAll(async () => {
  identity = await startTestIdentity();
  admin = await identity.login('admin');
});
afterAll(async () => {
  await identity?.close();
});

const ME = '{ me { username roles agency { code } } }';
const decree = { effectiveDate: '2026-11-01', decreeNumber: 'SK/1/2026', recordedBy: 'hr' };
const appointment = (nip: string, agencyCode: string, unitCode: string | null = null): EventData<typeof EmployeeAppointed> => ({
  nip,
  name: 'Pegawai Uji',
  sex: 'MALE',
  birthDate: `${nip.slice(0, 4)}-${nip.slice(4, 6)}-${nip.slice(6, 8)}`,
  asnStatus: 'PNS',
  agencyCode,
  unitCode,
  rank: 'III/a',
  positionName: 'Analis',
  positionType: 'AHLI_PERTAMA',
  ...decree,
});

/** Puts a personnel event on the stream as personnel's outbox relay would. */
async function publish(event: ReturnType<typeof createEvent>) {
  identity.client.publish(event.subject, encodeJson(event.payload));
  await identity.client.flush();
}

async function accountOf(username: string) {
  return (await identity.service.stores.users.findByUsername(username))!;
}

/** Resolves once identity refuses the token (its deny list learnt the revocation). */
async function refused(token: string) {
  return eventually(async () => {
    const result = await identity.gql(ME, {}, token);
    return errorCodes(result)[0] === 'UNAUTHENTICATED' ? result : undefined;
  }, 'the token to be refused');
}

async function revocationsOf(userId: string): Promise<string[]> {
  const rows = await identity.service.prisma.outboxEvent.findMany({ where: { type: 'identity.token.revoked' }, orderBy: { seq: 'asc' } });
  return rows
    .map((r) => (r.payload as unknown as EventEnvelope).data as { subject: string; reason: string })
    .filter((d) => d.subject === userId)
    .map((d) => d.reason);
}

const SET_ROLES = 'mutation ($u: String!, $r: [Role!]!) { setUserRoles(username: $u, roles: $r) { roles } }';

describe('a change of agency', () => {
  it('a transfer leaves the account only EMPLOYEE in the new agency and refuses its old tokens', async () => {
    // Repro 2 of issue 16: Banyuwangi's administrator made this employee AGENCY_ADMIN and HR_OFFICER.
    const nip = '198807072012011001';
    await publish(createEvent(identity.service.subjects, EmployeeAppointed, appointment(nip, 'KAB-BANYUWANGI', 'BKPSDM')));
    await eventually(async () => (await identity.service.stores.users.findByUsername(nip)) ?? undefined, 'the account');
    const granted = await identity.gql(SET_ROLES, { u: nip, r: ['EMPLOYEE', 'AGENCY_ADMIN', 'HR_OFFICER'] }, await identity.login('admin.kab-banyuwangi'));
    expect(granted.errors).toBeUndefined();
    const before = await identity.login(nip);
    expect((await identity.gql('{ users(agencyCode: "KAB-BANYUWANGI") { totalCount } }', {}, before)).errors).toBeUndefined();

    await publish(
      createEvent(identity.service.subjects, EmployeeTransferred, {
        nip,
        fromAgencyCode: 'KAB-BANYUWANGI',
        fromUnitCode: 'BKPSDM',
        toAgencyCode: 'KOTA-SURABAYA',
        toUnitCode: 'BKPSDM',
        ...decree,
      }),
    );
    await eventually(async () => ((await accountOf(nip)).agencyCode === 'KOTA-SURABAYA' ? true : undefined), 'the account to move');
    expect(await accountOf(nip)).toMatchObject({ agencyCode: 'KOTA-SURABAYA', roles: ['EMPLOYEE'] });
    expect((await refused(before)).errors![0]!.message).toMatch(/revoked/);
    expect(await revocationsOf((await accountOf(nip)).id)).toEqual(['ROLES_CHANGED', 'AGENCY_CHANGED']);

    // Logged in again: an employee of Surabaya, who reads none of Surabaya's users or API clients.
    const after = await identity.login(nip);
    expect((await identity.gql(ME, {}, after)).data.me).toEqual({ username: nip, roles: ['EMPLOYEE'], agency: { code: 'KOTA-SURABAYA' } });
    expect(errorCodes(await identity.gql('{ users(agencyCode: "KOTA-SURABAYA") { totalCount } }', {}, after))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await identity.gql('{ apiClients(agencyCode: "KOTA-SURABAYA") { clientId } }', {}, after))).toEqual(['FORBIDDEN']);
  });

  it('a move to another unit of the same agency keeps the roles and the tokens', async () => {
    const nip = '198907072013011002';
    await publish(createEvent(identity.service.subjects, EmployeeAppointed, appointment(nip, 'KAB-BANYUWANGI', 'BKPSDM')));
    await eventually(async () => (await identity.service.stores.users.findByUsername(nip)) ?? undefined, 'the account');
    await identity.gql(SET_ROLES, { u: nip, r: ['EMPLOYEE', 'HR_OFFICER'] }, admin);
    const token = await identity.login(nip);
    await publish(
      createEvent(identity.service.subjects, EmployeeTransferred, {
        nip,
        fromAgencyCode: 'KAB-BANYUWANGI',
        fromUnitCode: 'BKPSDM',
        toAgencyCode: 'KAB-BANYUWANGI',
        toUnitCode: 'DISKOMINFO',
        ...decree,
      }),
    );
    await eventually(async () => ((await accountOf(nip)).unitId !== null ? true : undefined), 'the account to move');
    await eventually(
      async () => ((await identity.service.prisma.processedEvent.count({ where: { consumer: 'identity-employee-transferred' } })) >= 2 ? true : undefined),
      'the transfer',
    );
    expect(await accountOf(nip)).toMatchObject({ agencyCode: 'KAB-BANYUWANGI', roles: ['EMPLOYEE', 'HR_OFFICER'] });
    expect((await identity.gql(ME, {}, token)).data.me.roles).toEqual(['EMPLOYEE', 'HR_OFFICER']);
    expect(await revocationsOf((await accountOf(nip)).id)).toEqual(['ROLES_CHANGED']);
  });

  it('an appointment that takes over an account of another agency leaves it only EMPLOYEE and refuses its tokens', async () => {
    const nip = '199001012015011003';
    const created = await identity.gql(
      'mutation ($i: CreateUserInput!) { createUser(input: $i) { id } }',
      {
        i: { username: nip, displayName: 'Akun Lama', agencyCode: 'BKN', roles: ['HR_OFFICER'], password: identity.password },
      },
      admin,
    );
    expect(created.errors).toBeUndefined();
    const before = await identity.login(nip);
    await publish(createEvent(identity.service.subjects, EmployeeAppointed, appointment(nip, 'KAB-BANYUWANGI')));
    await eventually(async () => ((await accountOf(nip)).agencyCode === 'KAB-BANYUWANGI' ? true : undefined), 'the account to be taken over');
    expect((await accountOf(nip)).roles).toEqual(['EMPLOYEE']);
    await refused(before);
  });
});

describe('other changes that revoke tokens', () => {
  it('new roles, a disabled account and a retirement refuse the tokens issued before; a new login works', async () => {
    const nip = '199102022016011004';
    await publish(createEvent(identity.service.subjects, EmployeeAppointed, appointment(nip, 'BKN', 'DEP.MUTASI')));
    await eventually(async () => (await identity.service.stores.users.findByUsername(nip)) ?? undefined, 'the account');

    const first = await identity.login(nip);
    expect((await identity.gql(SET_ROLES, { u: nip, r: ['EMPLOYEE', 'RECORDS_OFFICER'] }, admin)).errors).toBeUndefined();
    await refused(first);
    const second = await identity.login(nip);
    expect((await identity.gql(ME, {}, second)).data.me.roles).toEqual(['EMPLOYEE', 'RECORDS_OFFICER']);
    // The same roles again change nothing, and revoke nothing.
    await identity.gql(SET_ROLES, { u: nip, r: ['RECORDS_OFFICER', 'EMPLOYEE'] }, admin);

    expect(
      (await identity.gql('mutation ($u: String!) { setUserStatus(username: $u, status: DISABLED) { status } }', { u: nip }, admin)).errors,
    ).toBeUndefined();
    await refused(second);
    await identity.gql('mutation ($u: String!) { setUserStatus(username: $u, status: ACTIVE) { status } }', { u: nip }, admin);
    const third = await identity.login(nip);

    await publish(createEvent(identity.service.subjects, EmployeeRetired, { nip, agencyCode: 'BKN', ...decree }));
    await refused(third);
    expect(await revocationsOf((await accountOf(nip)).id)).toEqual(['ROLES_CHANGED', 'USER_DISABLED', 'USER_RETIRED']);
  });

  it('a revoked API client’s tokens are refused', async () => {
    const registered = await identity.gql(
      'mutation { registerApiClient(input: { agencyCode: "BKN", name: "SIMPEG BKN" }) { clientId clientSecret } }',
      {},
      admin,
    );
    const { clientId, clientSecret } = registered.data.registerApiClient;
    const issued = await identity.gql('mutation ($id: String!, $s: String!) { issueClientToken(clientId: $id, clientSecret: $s) { token } }', {
      id: clientId,
      s: clientSecret,
    });
    const token = issued.data.issueClientToken.token as string;
    const read = '{ agency(code: "BKN") { code } }';
    expect((await identity.gql(read, {}, token)).data).toEqual({ agency: { code: 'BKN' } });
    await identity.gql('mutation ($id: String!) { revokeApiClient(clientId: $id) { revokedAt } }', { id: clientId }, admin);
    await eventually(
      async () => (errorCodes(await identity.gql(read, {}, token))[0] === 'UNAUTHENTICATED' ? true : undefined),
      'the client token to be refused',
    );
  });
});
