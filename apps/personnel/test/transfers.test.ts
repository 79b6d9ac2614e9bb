import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '@simpul/contracts';
import { CALLERS, errorCodes, startTestPersonnel, type Caller, type TestPersonnel } from './support/personnel.ts';

// Moves between agencies (mutasi antar instansi) are requests the receiving agency decides.
let personnel: TestPersonnel;

beforeAll(async () => {
  personnel = await startTestPersonnel();
});
afterAll(async () => {
  await personnel?.close();
});

const hrKominfo: Caller = { username: 'hr.kominfo', agency: 'KOMINFO', roles: ['HR_OFFICER'] };
const adminKominfo: Caller = { username: 'admin.kominfo', agency: 'KOMINFO', roles: ['AGENCY_ADMIN'] };
const hrSetneg: Caller = { username: 'hr.setneg', agency: 'SETNEG', roles: ['HR_OFFICER'] };

const APPOINT = 'mutation ($input: AppointEmployeeInput!) { appointEmployee(input: $input) { nip } }';
const TRANSFER = `mutation ($nip: String!, $to: String!, $unit: String, $date: String, $decree: String) {
  transferEmployee(nip: $nip, toAgencyCode: $to, toUnitCode: $unit, effectiveDate: $date, decreeNumber: $decree) {
    nip agencyCode unitCode pendingTransfer { toAgencyCode toUnitCode toAgency { code } toUnit { agencyCode code } requestedBy effectiveDate decreeNumber } } }`;
const ACCEPT = `mutation ($nip: String!, $unit: String, $date: String, $decree: String) {
  acceptTransfer(nip: $nip, toUnitCode: $unit, effectiveDate: $date, decreeNumber: $decree) { nip agencyCode unitCode pendingTransfer { id } } }`;
const REJECT = 'mutation ($nip: String!, $reason: String) { rejectTransfer(nip: $nip, reason: $reason) { nip agencyCode pendingTransfer { id } } }';
const CANCEL = 'mutation ($nip: String!, $reason: String) { cancelTransfer(nip: $nip, reason: $reason) { nip agencyCode pendingTransfer { id } } }';
const EMPLOYEE = 'query ($nip: String!) { employee(nip: $nip) { nip agencyCode pendingTransfer { toAgencyCode } careerHistory { kind } } }';
const PENDING = `query ($agency: String, $direction: TransferDirection, $first: Int, $after: String) {
  pendingTransfers(agencyCode: $agency, direction: $direction, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { nip fromAgencyCode toAgencyCode requestedBy employee { nip name } } } } }`;

let sequence = 0;
/** Appoints a fresh PNS in BKN and returns the NIP. */
async function appointInBkn(): Promise<string> {
  sequence++;
  const nip = `19900101201501${sequence % 2 ? 1 : 2}${String(sequence).padStart(3, '0')}`;
  const result = await personnel.gql(
    APPOINT,
    {
      input: {
        nip,
        name: `Pegawai ${sequence}`,
        agencyCode: 'BKN',
        unitCode: 'DEP.SINKA',
        asnStatus: 'PNS',
        rank: 'III/a',
        positionName: 'Analis Kepegawaian Ahli Pertama',
        positionType: 'AHLI_PERTAMA',
        effectiveDate: '2015-01-01',
      },
    },
    CALLERS.hrBkn,
  );
  expect(result.errors).toBeUndefined();
  return nip;
}

async function outboxOf(nip: string, type: string): Promise<Record<string, unknown>[]> {
  const rows = await personnel.service.prisma.outboxEvent.findMany({ where: { type }, orderBy: { seq: 'asc' } });
  return rows.map((r) => (r.payload as unknown as EventEnvelope).data as Record<string, unknown>).filter((d) => JSON.stringify(d).includes(nip));
}

describe('a transfer to another agency', () => {
  it('is a request: the employee stays, pendingTransfer shows it, nothing is recorded or published yet', async () => {
    const nip = await appointInBkn();
    const asked = await personnel.gql(TRANSFER, { nip, to: 'KOMINFO', unit: 'DIT.LAIP', date: '2026-11-02', decree: 'SK-MUTASI/9/2026' }, CALLERS.hrBkn);
    expect(asked.errors).toBeUndefined();
    expect(asked.data.transferEmployee).toEqual({
      nip,
      agencyCode: 'BKN',
      unitCode: 'DEP.SINKA',
      pendingTransfer: {
        toAgencyCode: 'KOMINFO',
        toUnitCode: 'DIT.LAIP',
        toAgency: { code: 'KOMINFO' },
        toUnit: { agencyCode: 'KOMINFO', code: 'DIT.LAIP' },
        requestedBy: 'hr.bkn',
        effectiveDate: '2026-11-02',
        decreeNumber: 'SK-MUTASI/9/2026',
      },
    });
    expect((await personnel.gql(EMPLOYEE, { nip }, CALLERS.hrBkn)).data.employee.careerHistory).toEqual([{ kind: 'APPOINTMENT' }]);
    expect(await outboxOf(nip, 'personnel.employee.transferred')).toEqual([]);
    expect(await outboxOf(nip, 'personnel.audit.recorded')).toContainEqual(
      expect.objectContaining({ action: 'employee.transfer.request', outcome: 'SUCCESS' }),
    );
    // One request at a time.
    expect(errorCodes(await personnel.gql(TRANSFER, { nip, to: 'SETNEG' }, CALLERS.hrBkn))).toEqual(['CONFLICT']);
  });

  it('the receiving agency sees whom it is asked to take, in its list and in the record; others do not', async () => {
    const nip = await appointInBkn();
    await personnel.gql(TRANSFER, { nip, to: 'KOMINFO' }, CALLERS.hrBkn);
    expect((await personnel.gql(EMPLOYEE, { nip }, hrKominfo)).data.employee).toMatchObject({
      nip,
      agencyCode: 'BKN',
      pendingTransfer: { toAgencyCode: 'KOMINFO' },
    });
    expect(errorCodes(await personnel.gql(EMPLOYEE, { nip }, hrSetneg))).toEqual(['FORBIDDEN']);

    const incoming = (await personnel.gql(PENDING, { first: 100 }, hrKominfo)).data.pendingTransfers;
    expect(incoming.edges.map((e: { node: { nip: string } }) => e.node)).toContainEqual({
      nip,
      fromAgencyCode: 'BKN',
      toAgencyCode: 'KOMINFO',
      requestedBy: 'hr.bkn',
      employee: { nip, name: expect.stringMatching(/^Pegawai/) },
    });
    const outgoing = (await personnel.gql(PENDING, { direction: 'OUTGOING', first: 100 }, CALLERS.hrBkn)).data.pendingTransfers;
    expect(outgoing.edges.map((e: { node: { nip: string } }) => e.node.nip)).toContain(nip);
    expect(errorCodes(await personnel.gql(PENDING, {}, { username: 'pegawai.kominfo', agency: 'KOMINFO', roles: ['EMPLOYEE'] }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await personnel.gql(PENDING, { agency: 'KOMINFO' }, CALLERS.hrBkn))).toEqual(['FORBIDDEN']);
    expect((await personnel.gql(PENDING, { agency: 'KOMINFO' }, CALLERS.auditor)).errors).toBeUndefined();
  });

  it('only the receiving agency (HR officer or administrator) or a national administrator accepts it', async () => {
    const nip = await appointInBkn();
    await personnel.gql(TRANSFER, { nip, to: 'KOMINFO', unit: 'DIT.LAIP' }, CALLERS.hrBkn);
    const self: Caller = { username: nip, agency: 'BKN', roles: ['EMPLOYEE', 'HR_OFFICER'] };
    for (const caller of [CALLERS.hrBkn, CALLERS.adminBkn, hrSetneg, self, { username: 'pegawai.kominfo', agency: 'KOMINFO', roles: ['EMPLOYEE'] } as Caller]) {
      expect(errorCodes(await personnel.gql(ACCEPT, { nip }, caller)), caller.username).toEqual(['FORBIDDEN']);
    }
    expect(await outboxOf(nip, 'personnel.audit.recorded')).toContainEqual(expect.objectContaining({ action: 'employee.transfer.accept', outcome: 'DENIED' }));

    // The receiving agency may place the employee elsewhere and name the decree.
    const accepted = await personnel.gql(ACCEPT, { nip, unit: 'ITJEN', date: '2026-11-20', decree: 'SK-KOMINFO/3/2026' }, adminKominfo);
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data.acceptTransfer).toEqual({ nip, agencyCode: 'KOMINFO', unitCode: 'ITJEN', pendingTransfer: null });
    expect(await outboxOf(nip, 'personnel.employee.transferred')).toEqual([
      expect.objectContaining({
        fromAgencyCode: 'BKN',
        toAgencyCode: 'KOMINFO',
        toUnitCode: 'ITJEN',
        effectiveDate: '2026-11-20',
        decreeNumber: 'SK-KOMINFO/3/2026',
        recordedBy: 'id-admin.kominfo',
      }),
    ]);
    const request = await personnel.service.prisma.transferRequest.findFirstOrThrow({ where: { nip } });
    expect(request).toMatchObject({ status: 'ACCEPTED', decidedByName: 'admin.kominfo', requestedByName: 'hr.bkn' });
    expect(errorCodes(await personnel.gql(ACCEPT, { nip }, adminKominfo))).toEqual(['NOT_FOUND']);
  });

  it('an acceptance dated before the latest career event is refused and the request stays', async () => {
    const nip = await appointInBkn();
    await personnel.gql(TRANSFER, { nip, to: 'KOMINFO' }, CALLERS.hrBkn);
    const early = await personnel.gql(ACCEPT, { nip, date: '2014-12-31' }, hrKominfo);
    expect(errorCodes(early)).toEqual(['BAD_USER_INPUT']);
    expect((await personnel.gql(EMPLOYEE, { nip }, CALLERS.hrBkn)).data.employee).toMatchObject({
      agencyCode: 'BKN',
      pendingTransfer: { toAgencyCode: 'KOMINFO' },
    });
  });

  it('the receiving agency may reject it and the sending agency may cancel it; the employee stays either way', async () => {
    const nip = await appointInBkn();
    await personnel.gql(TRANSFER, { nip, to: 'KOMINFO' }, CALLERS.hrBkn);
    expect(errorCodes(await personnel.gql(REJECT, { nip }, CALLERS.hrBkn))).toEqual(['FORBIDDEN']);
    const rejected = await personnel.gql(REJECT, { nip, reason: 'Formasi penuh' }, hrKominfo);
    expect(rejected.data.rejectTransfer).toEqual({ nip, agencyCode: 'BKN', pendingTransfer: null });
    expect(await personnel.service.prisma.transferRequest.findFirstOrThrow({ where: { nip } })).toMatchObject({ status: 'REJECTED', reason: 'Formasi penuh' });
    // With nothing pending, KOMINFO no longer reads the record.
    expect(errorCodes(await personnel.gql(EMPLOYEE, { nip }, hrKominfo))).toEqual(['FORBIDDEN']);

    await personnel.gql(TRANSFER, { nip, to: 'SETNEG' }, CALLERS.hrBkn);
    expect(errorCodes(await personnel.gql(CANCEL, { nip }, hrSetneg))).toEqual(['FORBIDDEN']);
    const cancelled = await personnel.gql(CANCEL, { nip, reason: 'Salah tujuan' }, CALLERS.hrBkn);
    expect(cancelled.data.cancelTransfer).toEqual({ nip, agencyCode: 'BKN', pendingTransfer: null });
    expect(errorCodes(await personnel.gql(ACCEPT, { nip }, hrSetneg))).toEqual(['NOT_FOUND']);
    expect((await personnel.gql(EMPLOYEE, { nip }, CALLERS.hrBkn)).data.employee.careerHistory).toEqual([{ kind: 'APPOINTMENT' }]);
  });

  it('ends with a retirement', async () => {
    const nip = await appointInBkn();
    await personnel.gql(TRANSFER, { nip, to: 'KOMINFO' }, CALLERS.hrBkn);
    const retired = await personnel.gql(
      'mutation ($nip: String!) { retireEmployee(input: { nip: $nip, reason: "Pensiun dini" }) { status pendingTransfer { id } } }',
      { nip },
      CALLERS.hrBkn,
    );
    expect(retired.data.retireEmployee).toEqual({ status: 'RETIRED', pendingTransfer: null });
    expect(await personnel.service.prisma.transferRequest.findFirstOrThrow({ where: { nip } })).toMatchObject({ status: 'CANCELLED', reason: 'retired' });
  });

  it('pages through the waiting requests, oldest first', async () => {
    const nips = [await appointInBkn(), await appointInBkn(), await appointInBkn()];
    for (const nip of nips) await personnel.gql(TRANSFER, { nip, to: 'PROV-DIY' }, CALLERS.hrBkn);
    const hrDiy: Caller = { username: 'hr.diy', agency: 'PROV-DIY', roles: ['HR_OFFICER'] };
    const first = (await personnel.gql(PENDING, { first: 2 }, hrDiy)).data.pendingTransfers;
    expect(first.totalCount).toBe(3);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = (await personnel.gql(PENDING, { first: 2, after: first.pageInfo.endCursor }, hrDiy)).data.pendingTransfers;
    expect([...first.edges, ...rest.edges].map((e: { node: { nip: string } }) => e.node.nip)).toEqual(nips);
    expect(errorCodes(await personnel.gql(PENDING, { after: 'bm9wZQ' }, hrDiy))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('nobody transfers themselves', () => {
  it('an HR officer and agency administrator cannot move their own record, in or out of the agency', async () => {
    // Repro 2 of issue 16, in personnel: the account is the employee's own (user name = NIP).
    const nip = await appointInBkn();
    const self: Caller = { username: nip, agency: 'BKN', roles: ['EMPLOYEE', 'AGENCY_ADMIN', 'HR_OFFICER'] };
    expect(errorCodes(await personnel.gql(TRANSFER, { nip, to: 'KOMINFO' }, self))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await personnel.gql(TRANSFER, { nip, to: 'BKN', unit: 'INSPEKTORAT' }, self))).toEqual(['FORBIDDEN']);
    const employee = (await personnel.gql(EMPLOYEE, { nip }, CALLERS.hrBkn)).data.employee;
    expect(employee).toMatchObject({ agencyCode: 'BKN', pendingTransfer: null, careerHistory: [{ kind: 'APPOINTMENT' }] });
    expect(await outboxOf(nip, 'personnel.audit.recorded')).toContainEqual(
      expect.objectContaining({ action: 'employee.transfer', outcome: 'DENIED', detail: { why: 'their own transfer' } }),
    );
  });
});
