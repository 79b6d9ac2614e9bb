import { describe, expect, it } from 'vitest';
import type { PositionType } from '@simpul/contracts';
import type { Principal } from '@simpul/kit';
import { retirementDate, POSITION_TYPE_INFO } from '../src/domain/positions.ts';
import { describeRank, nextRank, PNS_RANKS, PPPK_RANKS } from '../src/domain/ranks.ts';
import { decidePromotion, type PromotionRequest } from '../src/domain/promotion.ts';
import { decideConfirmation } from '../src/domain/probation.ts';
import { applyCareerStep, foldCareer, CareerError, type CareerStep } from '../src/domain/career.ts';
import {
  canAuthoriseEarlyPromotion,
  canKeepRecords,
  canReadAgency,
  canReadAllAgencies,
  canReadEmployee,
  canDecideIncomingTransfer,
  canReadIncomingTransfers,
  canTransfer,
} from '../src/auth/permissions.ts';

describe('the rank ladder', () => {
  it('has 17 golongan from I/a Juru Muda to IV/e Pembina Utama, and 17 PPPK grades', () => {
    expect(PNS_RANKS.map((r) => r.code)).toEqual([
      'I/a',
      'I/b',
      'I/c',
      'I/d',
      'II/a',
      'II/b',
      'II/c',
      'II/d',
      'III/a',
      'III/b',
      'III/c',
      'III/d',
      'IV/a',
      'IV/b',
      'IV/c',
      'IV/d',
      'IV/e',
    ]);
    expect(PNS_RANKS[0]).toEqual({ code: 'I/a', title: 'Juru Muda', step: 1, scheme: 'PNS' });
    expect(describeRank('III/a')).toBe('III/a (Penata Muda)');
    expect(PNS_RANKS.at(-1)).toEqual({ code: 'IV/e', title: 'Pembina Utama', step: 17, scheme: 'PNS' });
    expect(PPPK_RANKS.map((r) => r.code)).toEqual([
      'I',
      'II',
      'III',
      'IV',
      'V',
      'VI',
      'VII',
      'VIII',
      'IX',
      'X',
      'XI',
      'XII',
      'XIII',
      'XIV',
      'XV',
      'XVI',
      'XVII',
    ]);
    expect(new Set(PNS_RANKS.map((r) => r.title)).size).toBe(17);
  });

  it.each([
    ['I/d', 'II/a'],
    ['II/d', 'III/a'],
    ['III/d', 'IV/a'],
    ['IV/d', 'IV/e'],
    ['IV/e', undefined],
    ['IX', 'X'],
    ['XVII', undefined],
  ])('after %s comes %s', (from, to) => {
    expect(nextRank(from)?.code).toBe(to);
  });
});

describe('retirement date: the first day of the month after the birthday at BUP', () => {
  it.each<[PositionType, number, string, string]>([
    ['JPT_UTAMA', 60, '1966-05-15', '2026-06-01'],
    ['JPT_MADYA', 60, '1966-05-15', '2026-06-01'],
    ['JPT_PRATAMA', 60, '1966-12-31', '2027-01-01'],
    ['ADMINISTRATOR', 58, '1968-05-15', '2026-06-01'],
    ['PENGAWAS', 58, '1968-05-01', '2026-06-01'],
    ['PELAKSANA', 58, '1968-12-10', '2027-01-01'],
    ['AHLI_PERTAMA', 58, '1970-01-31', '2028-02-01'],
    ['AHLI_MUDA', 58, '1970-07-04', '2028-08-01'],
    ['AHLI_MADYA', 60, '1970-07-04', '2030-08-01'],
    ['AHLI_UTAMA', 65, '1970-07-04', '2035-08-01'],
    ['PEMULA', 58, '1980-03-03', '2038-04-01'],
    ['TERAMPIL', 58, '1980-03-03', '2038-04-01'],
    ['MAHIR', 58, '1980-03-03', '2038-04-01'],
    ['PENYELIA', 58, '1980-03-03', '2038-04-01'],
    // Born 29 February: the birthday at BUP is in February, leap year or not.
    ['PELAKSANA', 58, '1968-02-29', '2026-03-01'],
    ['AHLI_MADYA', 60, '1968-02-29', '2028-03-01'],
  ])('%s (BUP %i), born %s → %s', (type, age, birth, expected) => {
    expect(POSITION_TYPE_INFO[type].retirementAge).toBe(age);
    expect(retirementDate(birth, type)).toBe(expected);
  });
});

describe('promotion rules', () => {
  const base: PromotionRequest = { asnStatus: 'PNS', currentRank: 'III/a', rankTmt: '2020-04-01', effectiveDate: '2024-04-01', mayAuthoriseEarly: false };
  it.each<[string, Partial<PromotionRequest>, ReturnType<typeof decidePromotion>]>([
    ['four years in rank exactly: one step up', {}, { ok: true, toRank: 'III/b', early: false }],
    ['more than four years', { effectiveDate: '2026-10-01' }, { ok: true, toRank: 'III/b', early: false }],
    ['across a group: III/d → IV/a', { currentRank: 'III/d' }, { ok: true, toRank: 'IV/a', early: false }],
    ['to the top: IV/d → IV/e', { currentRank: 'IV/d' }, { ok: true, toRank: 'IV/e', early: false }],
    ['the next rank named', { toRank: 'III/b' }, { ok: true, toRank: 'III/b', early: false }],
    ['29 Feb TMT: due on 29 Feb four years later', { rankTmt: '2020-02-29', effectiveDate: '2024-02-29' }, { ok: true, toRank: 'III/b', early: false }],
    [
      'early, with a reason, by an authorised officer',
      { effectiveDate: '2023-04-01', reason: 'Kenaikan pangkat pilihan: prestasi luar biasa', mayAuthoriseEarly: true },
      { ok: true, toRank: 'III/b', early: true },
    ],
  ])('%s', (_case, change, expected) => {
    expect(decidePromotion({ ...base, ...change })).toEqual(expected);
  });

  it.each<[string, Partial<PromotionRequest>, 'BAD_USER_INPUT' | 'FORBIDDEN', string, RegExp]>([
    ['a day short of four years', { effectiveDate: '2024-03-31' }, 'BAD_USER_INPUT', 'reason', /Only 3 years 11 months in III\/a .*\(due 2024-04-01\)/],
    [
      'early without a reason, even by an authorised officer',
      { effectiveDate: '2022-04-01', mayAuthoriseEarly: true },
      'BAD_USER_INPUT',
      'reason',
      /needs 4 years in rank/,
    ],
    [
      'early with a blank reason',
      { effectiveDate: '2022-04-01', reason: '   ', mayAuthoriseEarly: true },
      'BAD_USER_INPUT',
      'reason',
      /unless an authorised officer gives a reason/,
    ],
    [
      'early with a reason from someone not authorised',
      { effectiveDate: '2022-04-01', reason: 'Prestasi' },
      'FORBIDDEN',
      'reason',
      /needs an authorised officer/,
    ],
    ['two steps at once', { toRank: 'III/c' }, 'BAD_USER_INPUT', 'toRank', /one step: from III\/a \(Penata Muda\) the next rank is III\/b/],
    ['a step down', { toRank: 'II/d' }, 'BAD_USER_INPUT', 'toRank', /not II\/d/],
    ['past IV/e', { currentRank: 'IV/e' }, 'BAD_USER_INPUT', 'toRank', /IV\/e \(Pembina Utama\) is the highest rank/],
    ['a PPPK', { asnStatus: 'PPPK', currentRank: 'IX' }, 'BAD_USER_INPUT', 'nip', /only a PNS is promoted/],
    ['a CPNS', { asnStatus: 'CPNS' }, 'BAD_USER_INPUT', 'nip', /CPNS is promoted only after appointment as PNS/],
    ['effective before the current rank began', { effectiveDate: '2019-01-01' }, 'BAD_USER_INPUT', 'effectiveDate', /after the start of the current rank/],
  ])('refuses %s', (_case, change, code, field, message) => {
    const decision = decidePromotion({ ...base, ...change });
    expect(decision).toMatchObject({ ok: false, code, field });
    if (!decision.ok) expect(decision.message).toMatch(message);
  });
});

describe('confirmation as PNS (pengangkatan PNS) after a year of probation', () => {
  it.each<[string, 'CPNS' | 'PNS' | 'PPPK', string, string, string | null]>([
    ['a year to the day', 'CPNS', '2025-03-01', '2026-03-01', null],
    ['later', 'CPNS', '2025-03-01', '2026-11-01', null],
    ['appointed 29 Feb: the year is complete on 1 March', 'CPNS', '2024-02-29', '2025-03-01', null],
    ['a day early', 'CPNS', '2025-03-01', '2026-02-28', 'probation runs a year from the appointment (2025-03-01); confirmation is possible from 2026-03-01'],
    ['appointed 29 Feb, confirmed 28 Feb', 'CPNS', '2024-02-29', '2025-02-28', 'possible from 2025-03-01'],
    ['a PNS', 'PNS', '2010-01-01', '2026-01-01', 'Only a CPNS is appointed PNS; this employee is PNS'],
    ['a PPPK', 'PPPK', '2010-01-01', '2026-01-01', 'this employee is PPPK'],
  ])('%s', (_case, status, appointed, effective, refusal) => {
    const decision = decideConfirmation(status, appointed, effective);
    if (refusal === null) expect(decision).toEqual({ ok: true });
    else {
      expect(decision.ok).toBe(false);
      if (!decision.ok) expect(decision.message).toContain(refusal);
    }
  });
});

describe('the career history adds up to the current state', () => {
  const appointment: CareerStep = {
    kind: 'APPOINTMENT',
    effectiveDate: '2010-01-01',
    asnStatus: 'PNS',
    agencyCode: 'BKN',
    unitCode: 'DEP.MUTASI',
    rank: 'III/a',
    positionName: 'Analis Kepegawaian Ahli Pertama',
    positionType: 'AHLI_PERTAMA',
  };
  it('folds appointment, promotion, transfer, position change and retirement', () => {
    const state = foldCareer([
      appointment,
      { kind: 'PROMOTION', effectiveDate: '2014-04-01', rank: 'III/b' },
      { kind: 'TRANSFER', effectiveDate: '2016-02-01', agencyCode: 'KOMINFO', unitCode: null },
      { kind: 'POSITION_CHANGE', effectiveDate: '2016-02-01', positionName: 'Pranata Komputer Ahli Muda', positionType: 'AHLI_MUDA' },
      { kind: 'RETIREMENT', effectiveDate: '2020-01-01' },
    ]);
    expect(state).toEqual({
      asnStatus: 'PNS',
      agencyCode: 'KOMINFO',
      unitCode: null,
      rank: 'III/b',
      rankTmt: '2014-04-01',
      positionName: 'Pranata Komputer Ahli Muda',
      positionType: 'AHLI_MUDA',
      status: 'RETIRED',
      retiredOn: '2020-01-01',
      lastEffectiveDate: '2020-01-01',
      version: 5,
    });
  });

  it('a confirmation turns a CPNS into a PNS and nothing else', () => {
    const cpns = applyCareerStep(null, { ...appointment, asnStatus: 'CPNS' });
    expect(applyCareerStep(cpns, { kind: 'CONFIRMATION', effectiveDate: '2011-01-01', asnStatus: 'PNS' })).toEqual({
      ...cpns,
      asnStatus: 'PNS',
      lastEffectiveDate: '2011-01-01',
      version: 2,
    });
  });

  it.each<[string, CareerStep[], RegExp]>([
    ['confirming a PNS', [appointment, { kind: 'CONFIRMATION', effectiveDate: '2011-01-01', asnStatus: 'PNS' }], /Only a CPNS is confirmed/],
    ['a history that does not start with an appointment', [{ kind: 'PROMOTION', effectiveDate: '2014-04-01', rank: 'III/b' }], /starts with an appointment/],
    ['a second appointment', [appointment, appointment], /appointed once/],
    ['an event before the previous one', [appointment, { kind: 'PROMOTION', effectiveDate: '2009-04-01', rank: 'III/b' }], /before the latest career event/],
    [
      'anything after retirement',
      [appointment, { kind: 'RETIREMENT', effectiveDate: '2020-01-01' }, { kind: 'PROMOTION', effectiveDate: '2021-04-01', rank: 'III/b' }],
      /retired/,
    ],
    ['an empty history', [], /empty history/],
  ])('refuses %s', (_case, steps, message) => {
    expect(() => foldCareer(steps)).toThrow(CareerError);
    expect(() => foldCareer(steps)).toThrow(message);
  });

  it('applies one event without touching the fields it does not set', () => {
    const state = applyCareerStep(null, appointment);
    expect(applyCareerStep(state, { kind: 'PROMOTION', effectiveDate: '2014-04-01', rank: 'III/b' })).toMatchObject({
      agencyCode: 'BKN',
      unitCode: 'DEP.MUTASI',
      positionType: 'AHLI_PERTAMA',
      rank: 'III/b',
      rankTmt: '2014-04-01',
      version: 2,
    });
  });
});

describe('permissions', () => {
  const who = (roles: Principal['roles'], agencyCode = 'BKN', username = 'someone', kind: Principal['kind'] = 'user'): Principal => ({
    id: `id-${username}`,
    kind,
    username,
    agencyCode,
    roles,
    token: 't',
  });
  const nip = '198503302010011002';
  const national = who(['NATIONAL_ADMIN'], 'KEMENPANRB');
  const auditor = who(['AUDITOR'], 'KEMENPANRB');
  const hrBkn = who(['HR_OFFICER']);
  const hrKominfo = who(['HR_OFFICER'], 'KOMINFO');
  const adminBkn = who(['AGENCY_ADMIN']);
  const clientBkn = who(['API_CLIENT'], 'BKN', 'sapk', 'client');
  const records = who(['RECORDS_OFFICER']);
  const self = who(['EMPLOYEE'], 'BKN', nip);
  const colleague = who(['EMPLOYEE'], 'BKN', '199001012015011001');
  const selfAsClient = who(['API_CLIENT'], 'BKN', nip, 'client');

  it.each<[string, Principal | null, boolean, boolean, boolean, boolean, boolean]>([
    // caller, read BKN, read all, read the employee, keep BKN's records, authorise early promotion in BKN
    ['nobody', null, false, false, false, false, false],
    ['NATIONAL_ADMIN', national, true, true, true, true, true],
    ['AUDITOR', auditor, true, true, true, false, false],
    ['HR_OFFICER of BKN', hrBkn, true, false, true, true, false],
    ['HR_OFFICER of KOMINFO', hrKominfo, false, false, false, false, false],
    ['AGENCY_ADMIN of BKN', adminBkn, true, false, true, false, true],
    ['API client of BKN', clientBkn, true, false, true, false, false],
    ['RECORDS_OFFICER of BKN', records, false, false, false, false, false],
    ['the employee', self, false, false, true, false, false],
    ['a colleague', colleague, false, false, false, false, false],
    ['an API client named like the NIP', selfAsClient, true, false, true, false, false],
  ])('%s', (_case, caller, readAgency, readAll, readEmployee, keep, early) => {
    expect(canReadAgency(caller, 'BKN')).toBe(readAgency);
    expect(canReadAllAgencies(caller)).toBe(readAll);
    expect(canReadEmployee(caller, { nip, agencyCode: 'BKN' })).toBe(readEmployee);
    expect(canKeepRecords(caller, 'BKN')).toBe(keep);
    expect(canAuthoriseEarlyPromotion(caller, 'BKN')).toBe(early);
  });

  // Repro 2 of issue 16: an HR officer (and agency administrator) whose own account is an employee's.
  const hrSelf = who(['HR_OFFICER', 'AGENCY_ADMIN', 'EMPLOYEE'], 'BKN', nip);
  const adminKominfo = who(['AGENCY_ADMIN'], 'KOMINFO');
  const nationalSelf = who(['NATIONAL_ADMIN'], 'KEMENPANRB', nip);

  it.each<[string, Principal, boolean]>([
    ['HR of the sending agency', hrBkn, true],
    ['HR of the receiving agency', hrKominfo, false],
    ['HR of a third agency', who(['HR_OFFICER'], 'SETNEG'), false],
    ['NATIONAL_ADMIN', national, true],
    ['AGENCY_ADMIN of the sending agency', adminBkn, false],
    ['the employee', self, false],
    ['the employee, who is HR_OFFICER and AGENCY_ADMIN of the sending agency', hrSelf, false],
    ['the employee, who is NATIONAL_ADMIN', nationalSelf, false],
  ])('starting a transfer of a BKN employee (within BKN, or a request to another agency): %s → %s', (_case, caller, allowed) => {
    expect(canTransfer(caller, { nip, agencyCode: 'BKN' })).toBe(allowed);
  });

  it.each<[string, Principal, boolean, boolean]>([
    // caller, decides a transfer into KOMINFO, lists transfers into KOMINFO
    ['HR of the receiving agency', hrKominfo, true, true],
    ['AGENCY_ADMIN of the receiving agency', adminKominfo, true, true],
    ['NATIONAL_ADMIN', national, true, true],
    ['AUDITOR', auditor, false, true],
    ['HR of the sending agency', hrBkn, false, false],
    ['an employee of the receiving agency', who(['EMPLOYEE'], 'KOMINFO'), false, false],
    ['an API client of the receiving agency', who(['API_CLIENT'], 'KOMINFO', 'simpeg', 'client'), false, false],
    ['the employee, made HR_OFFICER of the receiving agency', who(['HR_OFFICER'], 'KOMINFO', nip), false, true],
    ['the employee, who is NATIONAL_ADMIN', nationalSelf, false, true],
  ])('a transfer into KOMINFO: %s decides → %s, lists → %s', (_case, caller, decides, lists) => {
    expect(canDecideIncomingTransfer(caller, { nip }, 'KOMINFO')).toBe(decides);
    expect(canReadIncomingTransfers(caller, 'KOMINFO')).toBe(lists);
  });
});
