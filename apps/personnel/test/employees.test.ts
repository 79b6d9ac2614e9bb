import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMergedFields } from '@simpul/testing';
import { typeDefs } from '../src/schema/type-defs.ts';
import type { EventEnvelope } from '@simpul/contracts';
import { foldCareer, type CareerStep } from '../src/domain/career.ts';
import { fromDbDate } from '../src/domain/dates.ts';
import { CALLERS, errorCodes, startTestPersonnel, type Caller, type TestPersonnel } from './support/personnel.ts';

let personnel: TestPersonnel;

beforeAll(async () => {
  personnel = await startTestPersonnel();
});
afterAll(async () => {
  await personnel?.close();
});

const APPOINT = `mutation ($input: AppointEmployeeInput!) {
  appointEmployee(input: $input) {
    nip name sex birthDate asnStatus agencyCode unitCode rank { code title } rankTmt position { name type group retirementAge }
    status retirementDate promotionDueOn agency { code } unit { agencyCode code }
  }
}`;
const EMPLOYEE = `query ($nip: String!) { employee(nip: $nip) { nip name agencyCode unitCode rank { code } status retiredOn
  careerHistory { seq kind effectiveDate decreeNumber recordedBy reason agencyCode unitCode rank { code } positionType } } }`;
const PROMOTE = 'mutation ($input: PromoteEmployeeInput!) { promoteEmployee(input: $input) { nip rank { code title } rankTmt } }';
const TRANSFER = `mutation ($nip: String!, $to: String!, $unit: String, $date: String) {
  transferEmployee(nip: $nip, toAgencyCode: $to, toUnitCode: $unit, effectiveDate: $date) { nip agencyCode unitCode } }`;
const ACCEPT = 'mutation ($nip: String!) { acceptTransfer(nip: $nip) { nip agencyCode unitCode pendingTransfer { id } } }';
const CHANGE = 'mutation ($input: ChangePositionInput!) { changePosition(input: $input) { nip position { name type } retirementDate } }';
const RETIRE = 'mutation ($input: RetireEmployeeInput!) { retireEmployee(input: $input) { nip status retiredOn } }';

const appointInput = (overrides: Record<string, unknown> = {}) => ({
  nip: '199203152018012001',
  name: 'Ratna Sari, S.Kom.',
  agencyCode: 'BKN',
  unitCode: 'DEP.SINKA',
  asnStatus: 'PNS',
  rank: 'III/a',
  positionName: 'Pranata Komputer Ahli Pertama',
  positionType: 'AHLI_PERTAMA',
  effectiveDate: '2018-01-01',
  decreeNumber: 'SK-CPNS/001/2018',
  ...overrides,
});

async function appoint(overrides: Record<string, unknown> = {}, as: Caller = CALLERS.hrBkn) {
  const result = await personnel.gql(APPOINT, { input: appointInput(overrides) }, as);
  expect(result.errors).toBeUndefined();
  return result.data.appointEmployee;
}

async function outboxTypes(nip: string): Promise<string[]> {
  const rows = await personnel.service.prisma.outboxEvent.findMany({ orderBy: { seq: 'asc' } });
  return rows.filter((r) => JSON.stringify((r.payload as unknown as EventEnvelope).data).includes(nip)).map((r) => r.type);
}

/** The stored state must always be the fold of the stored history. */
async function expectConsistent(nip: string) {
  const prisma = personnel.service.prisma;
  const employee = (await prisma.employee.findUnique({ where: { nip } }))!;
  const history = await prisma.careerEvent.findMany({ where: { nip }, orderBy: { seq: 'asc' } });
  const state = foldCareer(history.map((e) => ({ ...e, effectiveDate: fromDbDate(e.effectiveDate) }) as CareerStep));
  expect({
    asnStatus: employee.asnStatus,
    agencyCode: employee.agencyCode,
    unitCode: employee.unitCode,
    rank: employee.rank,
    rankTmt: fromDbDate(employee.rankTmt),
    positionName: employee.positionName,
    positionType: employee.positionType,
    status: employee.status,
    retiredOn: employee.retiredOn ? fromDbDate(employee.retiredOn) : null,
    version: employee.version,
  }).toEqual({
    asnStatus: state.asnStatus,
    agencyCode: state.agencyCode,
    unitCode: state.unitCode,
    rank: state.rank,
    rankTmt: state.rankTmt,
    positionName: state.positionName,
    positionType: state.positionType,
    status: state.status,
    retiredOn: state.retiredOn,
    version: state.version,
  });
  expect(history.map((e) => e.seq)).toEqual(history.map((_, i) => i + 1));
}

describe('appointing', () => {
  it('an HR officer appoints into their agency; birth date and sex come from the NIP; the event goes to the outbox', async () => {
    const employee = await appoint();
    expect(employee).toEqual({
      nip: '199203152018012001',
      name: 'Ratna Sari, S.Kom.',
      sex: 'FEMALE',
      birthDate: '1992-03-15',
      asnStatus: 'PNS',
      agencyCode: 'BKN',
      unitCode: 'DEP.SINKA',
      rank: { code: 'III/a', title: 'Penata Muda' },
      rankTmt: '2018-01-01',
      position: { name: 'Pranata Komputer Ahli Pertama', type: 'AHLI_PERTAMA', group: 'FUNCTIONAL_SKILL', retirementAge: 58 },
      status: 'ACTIVE',
      retirementDate: '2050-04-01',
      promotionDueOn: '2022-01-01',
      agency: { code: 'BKN' },
      unit: { agencyCode: 'BKN', code: 'DEP.SINKA' },
    });
    expect(await outboxTypes(employee.nip)).toEqual(['personnel.employee.appointed', 'personnel.audit.recorded']);
    const [row] = await personnel.service.prisma.outboxEvent.findMany({ where: { type: 'personnel.employee.appointed' } });
    expect((row!.payload as unknown as EventEnvelope).data).toMatchObject({
      nip: employee.nip,
      sex: 'FEMALE',
      birthDate: '1992-03-15',
      agencyCode: 'BKN',
      unitCode: 'DEP.SINKA',
      rank: 'III/a',
      decreeNumber: 'SK-CPNS/001/2018',
      recordedBy: 'id-hr.bkn',
    });
    await expectConsistent(employee.nip);
  });

  it.each<[string, Record<string, unknown>, string, string, RegExp]>([
    ['a NIP with an impossible birth date', { nip: '199202302018012001' }, 'BAD_USER_INPUT', 'nip', /1992-02-30 does not exist/],
    ['a NIP with sequence 000', { nip: '199203152018012000' }, 'BAD_USER_INPUT', 'nip', /sequence/],
    ['a birth date that disagrees with the NIP', { nip: '199203152018012002', birthDate: '1992-03-16' }, 'BAD_USER_INPUT', 'birthDate', /NIP says 1992-03-15/],
    ['a sex that disagrees with the NIP', { nip: '199203152018012002', sex: 'MALE' }, 'BAD_USER_INPUT', 'sex', /NIP says FEMALE/],
    ['a PPPK with a golongan', { nip: '199203152018012002', asnStatus: 'PPPK' }, 'BAD_USER_INPUT', 'rank', /grade I-XVII/],
    ['a PNS with a PPPK grade', { nip: '199203152018012002', rank: 'IX' }, 'BAD_USER_INPUT', 'rank', /golongan/],
    ['a CPNS above the entry ranks', { nip: '199203152018012002', asnStatus: 'CPNS', rank: 'III/c' }, 'BAD_USER_INPUT', 'rank', /CPNS starts at/],
    ['an effective date before the TMT', { nip: '199203152018012002', effectiveDate: '2017-12-31' }, 'BAD_USER_INPUT', 'effectiveDate', /before the TMT/],
    ['an effective date in the future', { nip: '199203152018012002', effectiveDate: '2026-12-01' }, 'BAD_USER_INPUT', 'effectiveDate', /future/],
    ['an unknown position type', { nip: '199203152018012002', positionType: 'KEPALA' }, 'BAD_USER_INPUT', '', /PositionType/],
    [
      'someone past retirement age',
      { nip: '196801012000011001', positionType: 'PELAKSANA', positionName: 'Pengadministrasi Umum', effectiveDate: '2000-01-01' },
      'BAD_USER_INPUT',
      'nip',
      /past the retirement age/,
    ],
    ['an unknown unit', { nip: '199203152018012002', unitCode: 'NO.SUCH' }, 'NOT_FOUND', '', /unitCode: BKN has no unit/],
    ['a NIP that is taken', {}, 'CONFLICT', '', /already exists/],
  ])('refuses %s', async (_case, overrides, code, field, message) => {
    const result = await personnel.gql(APPOINT, { input: appointInput(overrides) }, CALLERS.hrBkn);
    expect(errorCodes(result)).toEqual([code]);
    expect(result.errors![0]!.message).toMatch(message);
    if (field) expect(result.errors![0]!.extensions).toMatchObject({ field });
    expect(await personnel.service.prisma.employee.count({ where: { nip: '199203152018012002' } })).toBe(0);
  });

  it('refuses an unknown agency with NOT_FOUND (for a national administrator; HR officers are refused any other agency)', async () => {
    const result = await personnel.gql(APPOINT, { input: appointInput({ nip: '199203152018012002', agencyCode: 'NO-SUCH' }) }, CALLERS.national);
    expect(errorCodes(result)).toEqual(['NOT_FOUND']);
    expect(result.errors![0]!.message).toMatch(/agencyCode: no agency has the code "NO-SUCH"/);
  });

  it.each<[string, Caller | undefined, string]>([
    ['without a login', undefined, 'UNAUTHENTICATED'],
    ['an HR officer of another agency', CALLERS.hrBanyuwangi, 'FORBIDDEN'],
    ['an agency administrator', CALLERS.adminBkn, 'FORBIDDEN'],
    ['a records officer', CALLERS.recordsBkn, 'FORBIDDEN'],
    ['an employee', CALLERS.employeeBkn, 'FORBIDDEN'],
  ])('refuses %s', async (_case, as, code) => {
    const result = await personnel.gql(APPOINT, { input: appointInput({ nip: '199203152018012003' }) }, as);
    expect(errorCodes(result)).toEqual([code]);
    expect(await personnel.service.prisma.employee.count({ where: { nip: '199203152018012003' } })).toBe(0);
  });

  it('records a denial in the audit outbox', async () => {
    await personnel.gql(APPOINT, { input: appointInput({ nip: '199203152018012004' }) }, CALLERS.hrBanyuwangi);
    const denials = await personnel.service.prisma.outboxEvent.findMany({ where: { type: 'personnel.audit.recorded' } });
    const data = denials.map((r) => (r.payload as unknown as EventEnvelope).data as { outcome: string; target: string; actorName: string });
    expect(data).toContainEqual(expect.objectContaining({ outcome: 'DENIED', target: 'employee:199203152018012004', actorName: 'hr.banyuwangi' }));
  });
});

describe('reading', () => {
  it.each<[string, Caller, 'allowed' | 'FORBIDDEN']>([
    ['the employee themself', { username: '199203152018012001', agency: 'BKN', roles: ['EMPLOYEE'] }, 'allowed'],
    ['an HR officer of the agency', CALLERS.hrBkn, 'allowed'],
    ['the agency administrator', CALLERS.adminBkn, 'allowed'],
    ['an auditor', CALLERS.auditor, 'allowed'],
    ['a national administrator', CALLERS.national, 'allowed'],
    ['a colleague', CALLERS.employeeBkn, 'FORBIDDEN'],
    ['an HR officer of another agency', CALLERS.hrBanyuwangi, 'FORBIDDEN'],
  ])('%s: %s', async (_case, as, outcome) => {
    const result = await personnel.gql(EMPLOYEE, { nip: '199203152018012001' }, as);
    if (outcome === 'allowed') expect(result.data.employee).toMatchObject({ nip: '199203152018012001', name: 'Ratna Sari, S.Kom.' });
    else expect(errorCodes(result)).toEqual([outcome]);
  });

  it('an unknown NIP reads as null', async () => {
    expect((await personnel.gql(EMPLOYEE, { nip: '199001012015011009' }, CALLERS.national)).data).toEqual({ employee: null });
  });

  it('employeesByNips keeps the order and hides what the caller may not read', async () => {
    const result = await personnel.gql(
      'query ($n: [String!]!) { employeesByNips(nips: $n) { nip } }',
      {
        n: ['000000000000000000', '199203152018012001'],
      },
      CALLERS.hrBanyuwangi,
    );
    // Unknown and not-yours read alike, so a refusal does not reveal that the NIP exists.
    expect(result.data).toEqual({ employeesByNips: [null, null] });
    expect(result.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([
      [['employeesByNips', 0], 'NOT_FOUND'],
      [['employeesByNips', 1], 'NOT_FOUND'],
    ]);
    const own = await personnel.gql(
      'query ($n: [String!]!) { employeesByNips(nips: $n) { nip } }',
      { n: ['000000000000000000', '199203152018012001'] },
      CALLERS.hrBkn,
    );
    expect(own.data).toEqual({ employeesByNips: [null, { nip: '199203152018012001' }] });
    expect(own.errors?.map((e) => e.path)).toEqual([['employeesByNips', 0]]);
  });

  it('checkNip explains a wrong NIP', async () => {
    const result = await personnel.gql(
      '{ a: checkNip(nip: "198503302010013002") { valid segment message } b: checkNip(nip: "198503302010011002") { valid birthDate tmt sex sequence } }',
    );
    expect(result.data).toEqual({
      a: { valid: false, segment: 'sex', message: 'NIP digit 15 is the sex: 1 (male) or 2 (female), not 3' },
      b: { valid: true, birthDate: '1985-03-30', tmt: '2010-01', sex: 'MALE', sequence: 2 },
    });
  });
});

describe('a career', () => {
  const nip = '198001012005011001';

  beforeAll(async () => {
    await appoint({
      nip,
      name: 'Budi Santoso',
      unitCode: 'DEP.MUTASI',
      rank: 'III/c',
      positionName: 'Analis Kepegawaian Ahli Muda',
      positionType: 'AHLI_MUDA',
      effectiveDate: '2023-01-01',
    });
  });

  it('promotion: refused before four years, allowed early only with a reason from an authorised officer, one step at a time', async () => {
    const early = await personnel.gql(PROMOTE, { input: { nip, effectiveDate: '2026-10-01' } }, CALLERS.hrBkn);
    expect(errorCodes(early)).toEqual(['BAD_USER_INPUT']);
    expect(early.errors![0]).toMatchObject({ extensions: { field: 'reason' } });
    expect(early.errors![0]!.message).toMatch(/Only 3 years 9 months in III\/c/);

    const hrWithReason = await personnel.gql(PROMOTE, { input: { nip, effectiveDate: '2026-10-01', reason: 'Prestasi luar biasa' } }, CALLERS.hrBkn);
    expect(errorCodes(hrWithReason)).toEqual(['FORBIDDEN']);

    const twoSteps = await personnel.gql(PROMOTE, { input: { nip, toRank: 'IV/a', reason: 'Prestasi', effectiveDate: '2026-10-01' } }, CALLERS.adminBkn);
    expect(errorCodes(twoSteps)).toEqual(['BAD_USER_INPUT']);

    const authorised = await personnel.gql(
      PROMOTE,
      { input: { nip, toRank: 'III/d', effectiveDate: '2026-10-01', reason: 'Kenaikan pangkat pilihan: prestasi luar biasa', decreeNumber: 'KP/77/2026' } },
      CALLERS.adminBkn,
    );
    expect(authorised.errors).toBeUndefined();
    expect(authorised.data.promoteEmployee).toEqual({ nip, rank: { code: 'III/d', title: 'Penata Tingkat I' }, rankTmt: '2026-10-01' });
    await expectConsistent(nip);
  });

  it('transfer: within the agency at once by its HR officer; to another agency only once that agency accepts', async () => {
    const hrKominfo: Caller = { username: 'hr.kominfo', agency: 'KOMINFO', roles: ['HR_OFFICER'] };
    expect(errorCodes(await personnel.gql(TRANSFER, { nip, to: 'KOMINFO' }, hrKominfo))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await personnel.gql(TRANSFER, { nip, to: 'BKN', unit: 'DEP.MUTASI' }, CALLERS.hrBkn))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await personnel.gql(TRANSFER, { nip, to: 'KOMINFO', unit: 'NO.SUCH' }, CALLERS.hrBkn))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await personnel.gql(TRANSFER, { nip, to: 'BKN', unit: 'INSPEKTORAT', date: '2026-09-01' }, CALLERS.hrBkn))).toEqual(['BAD_USER_INPUT']);

    const within = await personnel.gql(TRANSFER, { nip, to: 'BKN', unit: 'INSPEKTORAT', date: '2026-10-15' }, CALLERS.hrBkn);
    expect(within.data).toEqual({ transferEmployee: { nip, agencyCode: 'BKN', unitCode: 'INSPEKTORAT' } });
    // To another agency: a request; the employee stays in BKN meanwhile.
    const asked = await personnel.gql(TRANSFER, { nip, to: 'KOMINFO', unit: 'DIT.LAIP', date: '2026-11-01' }, CALLERS.hrBkn);
    expect(asked.data).toEqual({ transferEmployee: { nip, agencyCode: 'BKN', unitCode: 'INSPEKTORAT' } });
    const accepted = await personnel.gql(ACCEPT, { nip }, hrKominfo);
    expect(accepted.data).toEqual({ acceptTransfer: { nip, agencyCode: 'KOMINFO', unitCode: 'DIT.LAIP', pendingTransfer: null } });
    // Now KOMINFO keeps the record: BKN's HR officer no longer reads or changes it.
    expect(errorCodes(await personnel.gql(EMPLOYEE, { nip }, CALLERS.hrBkn))).toEqual(['FORBIDDEN']);
    const events = await personnel.service.prisma.outboxEvent.findMany({ where: { type: 'personnel.employee.transferred' }, orderBy: { seq: 'asc' } });
    expect(events.map((e) => (e.payload as unknown as EventEnvelope).data)).toEqual([
      expect.objectContaining({ nip, fromAgencyCode: 'BKN', fromUnitCode: 'DEP.MUTASI', toAgencyCode: 'BKN', toUnitCode: 'INSPEKTORAT' }),
      expect.objectContaining({
        nip,
        fromAgencyCode: 'BKN',
        fromUnitCode: 'INSPEKTORAT',
        toAgencyCode: 'KOMINFO',
        toUnitCode: 'DIT.LAIP',
        effectiveDate: '2026-11-01',
        recordedBy: 'id-hr.kominfo',
      }),
    ]);
    await expectConsistent(nip);
  });

  it('position change by the new agency, which moves the retirement date with the BUP', async () => {
    const hrKominfo: Caller = { username: 'hr.kominfo', agency: 'KOMINFO', roles: ['HR_OFFICER'] };
    expect(errorCodes(await personnel.gql(CHANGE, { input: { nip, positionName: 'Analis Ahli Madya', positionType: 'AHLI_MADYA' } }, CALLERS.hrBkn))).toEqual([
      'FORBIDDEN',
    ]);
    const changed = await personnel.gql(CHANGE, { input: { nip, positionName: 'Pranata Komputer Ahli Madya', positionType: 'AHLI_MADYA' } }, hrKominfo);
    expect(changed.data).toEqual({
      changePosition: { nip, position: { name: 'Pranata Komputer Ahli Madya', type: 'AHLI_MADYA' }, retirementDate: '2040-02-01' },
    });
    await expectConsistent(nip);
  });

  it('retirement: early only with a reason; then the record is closed', async () => {
    const hrKominfo: Caller = { username: 'hr.kominfo', agency: 'KOMINFO', roles: ['HR_OFFICER'] };
    const noReason = await personnel.gql(RETIRE, { input: { nip } }, hrKominfo);
    expect(errorCodes(noReason)).toEqual(['BAD_USER_INPUT']);
    expect(noReason.errors![0]!.message).toMatch(/retirement date \(BUP\) is 2040-02-01/);
    const retired = await personnel.gql(RETIRE, { input: { nip, reason: 'Pensiun dini atas permintaan sendiri' } }, hrKominfo);
    expect(retired.data).toEqual({ retireEmployee: { nip, status: 'RETIRED', retiredOn: '2026-11-29' } });
    expect(errorCodes(await personnel.gql(PROMOTE, { input: { nip, reason: 'x' } }, CALLERS.national))).toEqual(['CONFLICT']);

    const history = (await personnel.gql(EMPLOYEE, { nip }, CALLERS.national)).data.employee.careerHistory;
    expect(history.map((e: { kind: string }) => e.kind)).toEqual(['APPOINTMENT', 'PROMOTION', 'TRANSFER', 'TRANSFER', 'POSITION_CHANGE', 'RETIREMENT']);
    expect(history[1]).toMatchObject({
      seq: 2,
      decreeNumber: 'KP/77/2026',
      recordedBy: 'admin.bkn',
      reason: 'Kenaikan pangkat pilihan: prestasi luar biasa',
      rank: { code: 'III/d' },
    });
    expect(history[5]).toMatchObject({ seq: 6, recordedBy: 'hr.kominfo', decreeNumber: expect.stringMatching(/^SIMPUL\/RETIREMENT\/2026\//) });
    expect(await outboxTypes(nip)).toEqual(
      expect.arrayContaining([
        'personnel.employee.appointed',
        'personnel.employee.promoted',
        'personnel.employee.transferred',
        'personnel.employee.position-changed',
        'personnel.employee.retired',
      ]),
    );
    await expectConsistent(nip);
  });

  it('the history is append-only in the database itself', async () => {
    await expect(personnel.service.prisma.careerEvent.updateMany({ where: { nip }, data: { decreeNumber: 'forged' } })).rejects.toThrow(/append-only/);
    await expect(personnel.service.prisma.careerEvent.deleteMany({ where: { nip } })).rejects.toThrow(/append-only/);
  });

  it('two promotions racing for the same record: one wins, the other gets CONFLICT, history and state agree', async () => {
    const racer = '198502022006042001';
    await appoint({
      nip: racer,
      name: 'Dewi Lestari',
      rank: 'III/b',
      positionName: 'Analis Ahli Pertama',
      positionType: 'AHLI_PERTAMA',
      effectiveDate: '2010-01-01',
    });
    const results = await Promise.all([1, 2, 3].map(() => personnel.gql(PROMOTE, { input: { nip: racer } }, CALLERS.hrBkn)));
    const ok = results.filter((r) => !r.errors);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    // A promotion that read the record after the first one committed is refused by the 4-year rule instead.
    expect(
      results
        .filter((r) => r.errors)
        .map(errorCodes)
        .flat()
        .every((c) => c === 'CONFLICT' || c === 'BAD_USER_INPUT'),
    ).toBe(true);
    expect(ok).toHaveLength(1);
    expect((await personnel.service.prisma.employee.findUnique({ where: { nip: racer } }))!.rank).toBe('III/c');
    await expectConsistent(racer);
  });
});

describe('probation', () => {
  const CONFIRM = 'mutation ($input: ConfirmEmployeeInput!) { confirmEmployee(input: $input) { nip asnStatus careerHistory { kind asnStatus } } }';
  const nip = '199806122025031002';

  it('a CPNS is confirmed as PNS by the HR officer once the year is complete, and only then promoted', async () => {
    await appoint({
      nip,
      name: 'Fajar Pratama',
      asnStatus: 'CPNS',
      rank: 'II/c',
      positionName: 'Pranata Komputer Terampil',
      positionType: 'TERAMPIL',
      effectiveDate: '2025-03-01',
    });
    expect(errorCodes(await personnel.gql(PROMOTE, { input: { nip, reason: 'x' } }, CALLERS.national))).toEqual(['BAD_USER_INPUT']);
    const early = await personnel.gql(CONFIRM, { input: { nip, effectiveDate: '2026-02-28' } }, CALLERS.hrBkn);
    expect(errorCodes(early)).toEqual(['BAD_USER_INPUT']);
    expect(early.errors![0]).toMatchObject({ extensions: { field: 'effectiveDate' } });
    expect(errorCodes(await personnel.gql(CONFIRM, { input: { nip, effectiveDate: '2026-03-01' } }, CALLERS.hrBanyuwangi))).toEqual(['FORBIDDEN']);

    const confirmed = await personnel.gql(CONFIRM, { input: { nip, effectiveDate: '2026-03-01', decreeNumber: 'SK-PNS/9/2026' } }, CALLERS.hrBkn);
    expect(confirmed.data).toEqual({
      confirmEmployee: {
        nip,
        asnStatus: 'PNS',
        careerHistory: [
          { kind: 'APPOINTMENT', asnStatus: 'CPNS' },
          { kind: 'CONFIRMATION', asnStatus: 'PNS' },
        ],
      },
    });
    expect(errorCodes(await personnel.gql(CONFIRM, { input: { nip } }, CALLERS.hrBkn))).toEqual(['BAD_USER_INPUT']);
    expect(await outboxTypes(nip)).toContain('personnel.employee.confirmed');
    await expectConsistent(nip);
  });
});

describe('listing', () => {
  const LIST = `query ($agency: String, $first: Int, $after: String, $search: String, $rank: String, $type: PositionType, $status: EmployeeStatus, $unit: String) {
    employees(agencyCode: $agency, first: $first, after: $after, search: $search, rank: $rank, positionType: $type, status: $status, unitCode: $unit) {
      totalCount edges { cursor node { nip name } } pageInfo { hasNextPage endCursor } } }`;

  it('an HR officer lists their own agency by default, page by page, with filters', async () => {
    const nips = ['199501012020011001', '199501012020011002', '199501012020012003'];
    for (const [i, nip] of nips.entries()) {
      await appoint({
        nip,
        name: `Pegawai ${i} Wibowo`,
        rank: 'III/a',
        unitCode: 'SETTAMA.SDM',
        positionName: 'Pengelola Data',
        positionType: 'PELAKSANA',
        effectiveDate: '2020-01-01',
      });
    }
    const first = await personnel.gql(LIST, { first: 2, search: 'wibowo' }, CALLERS.hrBkn);
    expect(first.data.employees).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: true } });
    expect(first.data.employees.edges.map((e: { node: { nip: string } }) => e.node.nip)).toEqual(nips.slice(0, 2));
    const second = await personnel.gql(LIST, { first: 2, search: 'wibowo', after: first.data.employees.pageInfo.endCursor }, CALLERS.hrBkn);
    expect(second.data.employees.edges.map((e: { node: { nip: string } }) => e.node.nip)).toEqual(nips.slice(2));
    expect(second.data.employees.pageInfo.hasNextPage).toBe(false);

    expect(
      (await personnel.gql(LIST, { unit: 'SETTAMA.SDM', type: 'PELAKSANA', rank: 'III/a', status: 'ACTIVE' }, CALLERS.hrBkn)).data.employees.totalCount,
    ).toBe(3);
    expect((await personnel.gql(LIST, { search: '1995010120200120' }, CALLERS.hrBkn)).data.employees.totalCount).toBe(1);
    expect((await personnel.gql(LIST, { type: 'JPT_UTAMA' }, CALLERS.hrBkn)).data.employees.totalCount).toBe(0);
  });

  it.each<[string, Caller, Record<string, unknown>, string, string?]>([
    ['another agency', CALLERS.hrBanyuwangi, { agency: 'BKN' }, 'FORBIDDEN'],
    ['an employee', CALLERS.employeeBkn, {}, 'FORBIDDEN'],
    ['a page of 101', CALLERS.hrBkn, { first: 101 }, 'BAD_USER_INPUT', 'first'],
    ['a foreign cursor', CALLERS.hrBkn, { after: 'bm9wZQ' }, 'BAD_USER_INPUT', 'after'],
    ['an unknown rank', CALLERS.hrBkn, { rank: 'V/a' }, 'BAD_USER_INPUT', 'rank'],
    ['a search of nine words (issue 16)', CALLERS.hrBkn, { search: 'a b c d e f g h i' }, 'BAD_USER_INPUT', 'search'],
    ['a search of 101 characters', CALLERS.hrBkn, { search: 'x'.repeat(101) }, 'BAD_USER_INPUT', 'search'],
  ])('refuses %s', async (_case, as, variables, code, field) => {
    const result = await personnel.gql(LIST, variables, as);
    expect(errorCodes(result)).toEqual([code]);
    if (field) expect(result.errors![0]!.extensions).toMatchObject({ field });
  });

  it('Agency.employees answers per agency with the same rules', async () => {
    const result = await personnel.gql('{ _personnelAgencies(codes: ["BKN", "KOMINFO"]) { code employees(first: 1) { totalCount } } }', {}, CALLERS.national);
    expect(result.data._personnelAgencies[0]).toMatchObject({ code: 'BKN' });
    expect(result.data._personnelAgencies[0].employees.totalCount).toBeGreaterThanOrEqual(5);
    const hr = await personnel.gql('{ _personnelAgencies(codes: ["BKN", "KOMINFO"]) { code employees(first: 1) { totalCount } } }', {}, CALLERS.hrBkn);
    expect(errorCodes(hr)).toEqual(['FORBIDDEN']);
  });

  it('User.employee finds the record whose NIP is the user name', async () => {
    const result = await personnel.gql('{ _personnelUsers(usernames: ["199203152018012001", "admin"]) { username employee { name } } }', {}, CALLERS.hrBkn);
    expect(result.data).toEqual({
      _personnelUsers: [
        { username: '199203152018012001', employee: { name: 'Ratna Sari, S.Kom.' } },
        { username: 'admin', employee: null },
      ],
    });
  });
});

describe('merged fields (issue 16: every merged field asked without a token)', () => {
  const nip = '198807142012122001';
  const keys = { Agency: 'BKN', Employee: nip, User: nip };
  const ask = (as?: Caller) => (query: string, variables: Record<string, unknown>) => personnel.gql(query, variables, as);

  beforeAll(async () => {
    await appoint({ nip, name: 'Wulan Anggraini', decreeNumber: 'SK-CPNS/714/2012', effectiveDate: '2012-12-01' });
  });

  it('answers none of them without a token', async () => {
    const reads = await readMergedFields(typeDefs, keys, ask());
    expect(reads.map((r) => r.field)).toEqual(expect.arrayContaining(['Agency.employees', 'User.employee', 'Employee.name', 'Employee.birthDate']));
    expect(reads.filter((r) => r.value !== null).map((r) => r.field)).toEqual([]);
  });

  it('answers each of them to a national administrator', async () => {
    const reads = await readMergedFields(typeDefs, keys, ask(CALLERS.national));
    const answered = reads.filter((r) => r.value !== null).map((r) => r.field);
    expect(answered).toEqual(expect.arrayContaining(['Agency.employees', 'User.employee', 'Employee.name', 'Employee.birthDate']));
  });
});

describe('merge lookups (issue 16: bounded like every list argument)', () => {
  it.each([
    ['employeesByNips', 'nips', '[String!]!'],
    ['_personnelAgencies', 'codes', '[String!]!'],
    ['_personnelUsers', 'usernames', '[String!]!'],
  ])('%s takes at most 1000 keys', async (entry, arg, type) => {
    const keys = Array.from({ length: 1001 }, (_, i) => `k${i}`);
    const result = await personnel.gql(`query ($k: ${type}) { ${entry}(${arg}: $k) { __typename } }`, { k: keys }, CALLERS.national);
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0]!.message).toBe(`${arg}: at most 1000 at once`);
    // 1000 unknown keys are looked up (employeesByNips answers NOT_FOUND in their places)
    expect(
      errorCodes(await personnel.gql(`query ($k: ${type}) { ${entry}(${arg}: $k) { __typename } }`, { k: keys.slice(1) }, CALLERS.national)),
    ).not.toContain('BAD_USER_INPUT');
  });
});
