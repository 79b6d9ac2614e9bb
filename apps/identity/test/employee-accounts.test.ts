import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { createEvent, encodeJson } from '@simpul/bus';
import { EmployeeAppointed, EmployeeRetired, EmployeeTransferred, type EventData } from '@simpul/contracts';
import { EMPLOYEE_ACCOUNT_CONSUMERS, openEmployeeAccount, type EmployeeAccountDeps } from '../src/employees/employee-accounts.ts';
import { startTestIdentity, type TestIdentity } from './support/identity.ts';
import { errorCodes } from '@simpul/testing';

let identity: TestIdentity;

beforeAll(async () => {
  identity = await startTestIdentity();
});
afterAll(async () => {
  await identity?.close();
});

async function eventually<T>(read: () => Promise<T | undefined | null>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined && value !== null) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const NIP = '199203152018012001';
const decree = { effectiveDate: '2026-11-01', decreeNumber: 'SK/1/2026', recordedBy: 'hr' };
const appointed: EventData<typeof EmployeeAppointed> = {
  nip: NIP,
  name: 'Ratna Sari',
  sex: 'FEMALE',
  birthDate: '1992-03-15',
  asnStatus: 'CPNS',
  agencyCode: 'BKN',
  unitCode: 'DEP.SINKA',
  rank: 'III/a',
  positionName: 'Pranata Komputer Ahli Pertama',
  positionType: 'AHLI_PERTAMA',
  ...decree,
};

/** Puts the event on the stream as personnel's outbox relay would (a plain publish is stored by the stream too). */
async function publish(event: ReturnType<typeof createEvent>) {
  identity.client.publish(event.subject, encodeJson(event.payload));
  await identity.client.flush();
}

/** Delivers `event` again (another message id, the same event id) and waits until `durable` acknowledged it. */
async function redeliver(durable: string, event: ReturnType<typeof createEvent>) {
  const ack = await jetstream(identity.client).publish(event.subject, encodeJson(event.payload), { msgID: randomUUID() });
  const jsm = await jetstreamManager(identity.client);
  await eventually(
    async () => ((await jsm.consumers.info(identity.service.subjects.eventStream, durable)).ack_floor.stream_seq >= ack.seq ? true : undefined),
    60_000,
  );
}

/** Opens an account as the appointment consumer would, without going through NATS. */
const openAccount = (t: TestIdentity, data: EventData<typeof EmployeeAppointed>) =>
  t.service.prisma.$transaction((tx) => openEmployeeAccount(tx, deps(t), data, null));

const ME = '{ me { username displayName roles status agency { code } unit { code } } }';

const deps = (t: TestIdentity = identity): EmployeeAccountDeps => ({ prisma: t.service.prisma, subjects: t.service.subjects });

describe('accounts follow personnel events', () => {
  it('employee.appointed opens an EMPLOYEE account named after the NIP (demo mode: with the demo password)', async () => {
    await publish(createEvent(identity.service.subjects, EmployeeAppointed, appointed));
    const user = await eventually(() => identity.service.stores.users.findByUsername(NIP));
    expect(user).toMatchObject({ username: NIP, displayName: 'Ratna Sari', agencyCode: 'BKN', roles: ['EMPLOYEE'], status: 'ACTIVE' });
    const token = await identity.login(NIP);
    expect((await identity.gql(ME, {}, token)).data).toEqual({
      me: { username: NIP, displayName: 'Ratna Sari', roles: ['EMPLOYEE'], status: 'ACTIVE', agency: { code: 'BKN' }, unit: { code: 'DEP.SINKA' } },
    });
  });

  it('employee.transferred moves the account; a redelivered event changes nothing', async () => {
    const event = createEvent(identity.service.subjects, EmployeeTransferred, {
      nip: NIP,
      fromAgencyCode: 'BKN',
      fromUnitCode: 'DEP.SINKA',
      toAgencyCode: 'KOMINFO',
      toUnitCode: 'DIT.LAIP',
      ...decree,
    });
    await publish(event);
    await eventually(async () => ((await identity.service.stores.users.findByUsername(NIP))?.agencyCode === 'KOMINFO' ? true : undefined));
    const token = await identity.login(NIP);
    expect((await identity.gql(ME, {}, token)).data.me).toMatchObject({ agency: { code: 'KOMINFO' }, unit: { code: 'DIT.LAIP' } });

    // The same events handled again (a redelivery): the account stays where the latest event put it.
    await identity.service.prisma.user.update({ where: { username: NIP }, data: { displayName: 'Ratna Sari, S.Kom.' } });
    const [processed] = await identity.service.prisma.processedEvent.findMany({ where: { consumer: EMPLOYEE_ACCOUNT_CONSUMERS.appointed } });
    const appointment = createEvent(identity.service.subjects, EmployeeAppointed, appointed);
    await redeliver(EMPLOYEE_ACCOUNT_CONSUMERS.appointed, { ...appointment, payload: { ...appointment.payload, id: processed!.id } });
    // Were it applied again, this copy would move the account to SETNEG.
    await redeliver(EMPLOYEE_ACCOUNT_CONSUMERS.transferred, {
      ...event,
      payload: { ...event.payload, data: { ...(event.payload.data as EventData<typeof EmployeeTransferred>), toAgencyCode: 'SETNEG' } },
    });
    expect(await identity.service.stores.users.findByUsername(NIP)).toMatchObject({ agencyCode: 'KOMINFO', displayName: 'Ratna Sari, S.Kom.' });
  });

  it('employee.retired disables the account: login is refused', async () => {
    await publish(createEvent(identity.service.subjects, EmployeeRetired, { nip: NIP, agencyCode: 'KOMINFO', ...decree }));
    await eventually(async () => ((await identity.service.stores.users.findByUsername(NIP))?.status === 'DISABLED' ? true : undefined));
    const login = await identity.gql('mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { token } }', { u: NIP, p: identity.password });
    expect(errorCodes(login)).toEqual(['UNAUTHENTICATED']);
  });

  it('without demo mode a new account has no password until an HR officer or administrator of the agency sets one', async () => {
    const plain = await startTestIdentity({ SIMPUL_DEMO: 'false' });
    try {
      const nip = '199001012015011001';
      await openAccount(plain, { ...appointed, nip, agencyCode: 'KEMENPANRB', unitCode: null });
      expect((await plain.service.stores.users.findByUsername(nip))?.passwordHash).toBeNull();
      const login = () => plain.gql('mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { token } }', { u: nip, p: 'first password 123' });
      expect(errorCodes(await login())).toEqual(['UNAUTHENTICATED']);
      const admin = await plain.login('admin');
      const RESET = 'mutation ($u: String!) { resetPassword(username: $u, newPassword: "first password 123") }';
      expect((await plain.gql(RESET, { u: nip }, admin)).data).toEqual({ resetPassword: true });
      expect((await login()).data?.login.token).toBeTruthy();
    } finally {
      await plain.close();
    }
  });
});

describe('HR officers set first passwords', () => {
  const RESET = 'mutation ($u: String!) { resetPassword(username: $u, newPassword: "a new password 42") }';

  it('of employee accounts in their own agency only', async () => {
    const nip = '198001012005011001';
    await openAccount(identity, { ...appointed, nip, agencyCode: 'KAB-BANYUWANGI', unitCode: 'BKPSDM' });
    const hr = await identity.login('hr.banyuwangi');
    expect((await identity.gql(RESET, { u: nip }, hr)).data).toEqual({ resetPassword: true });
    // Not an account with other roles, not another agency's employee.
    expect(errorCodes(await identity.gql(RESET, { u: 'arsip.banyuwangi' }, hr))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await identity.gql(RESET, { u: 'pegawai.kominfo' }, hr))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await identity.gql(RESET, { u: 'nobody.here' }, hr))).toEqual(['NOT_FOUND']);
  });
});

describe('units for stitching', () => {
  it('unitsByKeys answers in the order asked, null for unknown units', async () => {
    const result = await identity.gql('query ($k: [UnitKeyInput!]!) { unitsByKeys(keys: $k) { agencyCode code name } }', {
      k: [
        { agencyCode: 'BKN', code: 'DEP.MUTASI' },
        { agencyCode: 'BKN', code: 'NOPE' },
        { agencyCode: 'KOMINFO', code: 'DIT.LAIP' },
      ],
    });
    expect(result.data).toEqual({
      unitsByKeys: [
        { agencyCode: 'BKN', code: 'DEP.MUTASI', name: 'Deputi Bidang Mutasi Kepegawaian' },
        null,
        { agencyCode: 'KOMINFO', code: 'DIT.LAIP', name: 'Direktorat Layanan Aplikasi Informatika Pemerintahan' },
      ],
    });
  });
});
