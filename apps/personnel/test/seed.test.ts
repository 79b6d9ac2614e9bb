import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AGENCIES, DEMO_AS_OF, DEMO_EMPLOYEES, demoEmployees } from '@simpul/contracts/demo';
import { EmployeeAppointed, type EventEnvelope } from '@simpul/contracts';
import { foldCareer, type CareerStep } from '../src/domain/career.ts';
import { addYears, compareDates, formatDate, fromDbDate, parseDate } from '../src/domain/dates.ts';
import { parseNip } from '../src/domain/nip.ts';
import { retirementDate } from '../src/domain/positions.ts';
import { findRank } from '../src/domain/ranks.ts';
import { seedDemoEmployees } from '../src/seed/seed.ts';
import { CALLERS, errorCodes, startTestPersonnel, type TestPersonnel } from './support/personnel.ts';

let personnel: TestPersonnel;

beforeAll(async () => {
  personnel = await startTestPersonnel({ SIMPUL_DEMO: 'true' });
});
afterAll(async () => {
  await personnel?.close();
});

describe('the demo employees (generator in @simpul/contracts/demo)', () => {
  it('are the same on every call, at least 500, with unique valid NIPs that agree with birth date and sex', () => {
    expect(demoEmployees()).toEqual(DEMO_EMPLOYEES);
    expect(DEMO_EMPLOYEES.length).toBeGreaterThanOrEqual(500);
    expect(new Set(DEMO_EMPLOYEES.map((e) => e.nip)).size).toBe(DEMO_EMPLOYEES.length);
    for (const e of DEMO_EMPLOYEES) {
      const parsed = parseNip(e.nip, DEMO_AS_OF);
      expect(parsed, e.nip).toMatchObject({ ok: true, parts: { birthDate: e.birthDate, sex: e.sex } });
    }
  });

  it('spread over every demo agency, with units that exist there', () => {
    const agencies = new Map(DEMO_AGENCIES.map((a) => [a.code, a]));
    const perAgency = new Map<string, number>();
    for (const e of DEMO_EMPLOYEES) perAgency.set(e.agencyCode, (perAgency.get(e.agencyCode) ?? 0) + 1);
    expect([...perAgency.keys()].sort()).toEqual([...agencies.keys()].sort());
    expect(Math.min(...perAgency.values())).toBeGreaterThanOrEqual(30);
  });

  it('have careers that add up, with realistic ranks for their age and service', () => {
    const kinds = new Set<string>();
    for (const e of DEMO_EMPLOYEES) {
      const state = foldCareer(e.history);
      expect({ ...state, lastEffectiveDate: undefined, version: undefined, status: undefined, retiredOn: undefined }, e.nip).toMatchObject({
        asnStatus: e.asnStatus,
        agencyCode: e.agencyCode,
        unitCode: e.unitCode,
        rank: e.rank,
        rankTmt: e.rankTmt,
        positionName: e.positionName,
        positionType: e.positionType,
      });
      const rank = findRank(e.rank)!;
      expect(rank.scheme, e.nip).toBe(e.asnStatus === 'PPPK' ? 'PPPK' : 'PNS');
      const appointed = e.history[0]!;
      // Appointed after the 18th birthday and no earlier than the TMT in the NIP.
      expect(compareDates(appointed.effectiveDate, formatDate(addYears(parseDate(e.birthDate)!, 18)))).toBeGreaterThan(0);
      expect(appointed.effectiveDate.slice(0, 7)).toBe(`${e.nip.slice(8, 12)}-${e.nip.slice(12, 14)}`);
      // One step per promotion, at least four years apart.
      let previous = appointed;
      let step = findRank(appointed.rank!)!.step;
      for (const event of e.history) {
        kinds.add(event.kind);
        if (event.kind !== 'PROMOTION') continue;
        expect(findRank(event.rank!)!.step, e.nip).toBe(step + 1);
        expect(compareDates(event.effectiveDate, formatDate(addYears(parseDate(previous.effectiveDate)!, 4))), e.nip).toBeGreaterThanOrEqual(0);
        previous = event;
        step++;
      }
      // Appointed CPNS; a PNS was confirmed a year later.
      if (e.asnStatus !== 'PPPK') expect(appointed.asnStatus, e.nip).toBe('CPNS');
      if (e.asnStatus === 'PNS') {
        expect(e.history[1], e.nip).toMatchObject({ kind: 'CONFIRMATION', effectiveDate: formatDate(addYears(parseDate(appointed.effectiveDate)!, 1)) });
      }
      // Nobody is past retirement on DEMO_AS_OF.
      expect(compareDates(retirementDate(e.birthDate, e.positionType), DEMO_AS_OF), e.nip).toBeGreaterThan(0);
    }
    expect([...kinds].sort()).toEqual(['APPOINTMENT', 'CONFIRMATION', 'POSITION_CHANGE', 'PROMOTION', 'TRANSFER']);
    const ranks = new Set(DEMO_EMPLOYEES.map((e) => e.rank));
    expect(ranks.size).toBeGreaterThanOrEqual(12);
    expect(new Set(DEMO_EMPLOYEES.map((e) => e.positionType)).size).toBeGreaterThanOrEqual(10);
  });
});

describe('personnel seeded in demo mode', () => {
  it('holds every demo employee, each state the fold of its stored history', async () => {
    const prisma = personnel.service.prisma;
    expect(await prisma.employee.count()).toBe(DEMO_EMPLOYEES.length);
    const [employees, events] = await Promise.all([prisma.employee.findMany(), prisma.careerEvent.findMany({ orderBy: [{ nip: 'asc' }, { seq: 'asc' }] })]);
    const byNip = new Map<string, CareerStep[]>();
    for (const event of events) {
      const list = byNip.get(event.nip) ?? [];
      list.push({ ...event, effectiveDate: fromDbDate(event.effectiveDate) } as CareerStep);
      byNip.set(event.nip, list);
    }
    for (const employee of employees) {
      const state = foldCareer(byNip.get(employee.nip)!);
      expect(
        {
          rank: employee.rank,
          agencyCode: employee.agencyCode,
          unitCode: employee.unitCode,
          positionType: employee.positionType,
          version: employee.version,
          rankTmt: fromDbDate(employee.rankTmt),
        },
        employee.nip,
      ).toEqual({
        rank: state.rank,
        agencyCode: state.agencyCode,
        unitCode: state.unitCode,
        positionType: state.positionType,
        version: state.version,
        rankTmt: state.rankTmt,
      });
      expect(fromDbDate(employee.retirementDate)).toBe(retirementDate(fromDbDate(employee.birthDate), employee.positionType));
    }
  });

  it('wrote one employee.appointed event per employee, with the current agency, and seeding again changes nothing', async () => {
    const prisma = personnel.service.prisma;
    const appointed = await prisma.outboxEvent.findMany({ where: { type: 'personnel.employee.appointed' } });
    expect(appointed).toHaveLength(DEMO_EMPLOYEES.length);
    const sample = DEMO_EMPLOYEES.find((e) => e.history.some((h) => h.kind === 'TRANSFER' && h.agencyCode !== e.history[0]!.agencyCode))!;
    const event = appointed.map((r) => (r.payload as unknown as EventEnvelope).data).find((d) => (d as { nip: string }).nip === sample.nip);
    expect(EmployeeAppointed.data.parse(event)).toMatchObject({ nip: sample.nip, agencyCode: sample.agencyCode, unitCode: sample.unitCode, rank: sample.rank });

    expect(await seedDemoEmployees(prisma, { subjects: personnel.service.subjects })).toEqual({ employeesCreated: 0, employeesKept: DEMO_EMPLOYEES.length });
    expect(await prisma.outboxEvent.count({ where: { type: 'personnel.employee.appointed' } })).toBe(DEMO_EMPLOYEES.length);
    expect(await prisma.careerEvent.count()).toBe(DEMO_EMPLOYEES.reduce((n, e) => n + e.history.length, 0));
  });

  it('retirementsDue lists who retires within the months asked, soonest first, and only within the caller’s agency', async () => {
    const QUERY = 'query ($m: Int!, $a: String) { retirementsDue(months: $m, agencyCode: $a) { nip agencyCode retirementDate } }';
    const all = (await personnel.gql(QUERY, { m: 12 }, CALLERS.national)).data.retirementsDue as { nip: string; agencyCode: string; retirementDate: string }[];
    const expected = DEMO_EMPLOYEES.filter((e) => compareDates(retirementDate(e.birthDate, e.positionType), '2027-11-29') <= 0);
    expect(all.length).toBe(expected.length);
    expect(all.length).toBeGreaterThan(0);
    expect(all.map((e) => e.retirementDate)).toEqual([...all.map((e) => e.retirementDate)].sort());
    const bkn = (await personnel.gql(QUERY, { m: 12 }, CALLERS.hrBkn)).data.retirementsDue as { agencyCode: string }[];
    expect(bkn.every((e) => e.agencyCode === 'BKN')).toBe(true);
    expect(bkn.length).toBe(all.filter((e) => e.agencyCode === 'BKN').length);
    expect(errorCodes(await personnel.gql(QUERY, { m: 12, a: 'KOMINFO' }, CALLERS.hrBkn))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await personnel.gql(QUERY, { m: -1 }, CALLERS.national))).toEqual(['BAD_USER_INPUT']);
  });

  it('headcount by agency, rank and position type adds up to the total', async () => {
    const QUERY = `query ($a: String) { employeeHeadcount(agencyCode: $a) { total byAgency { agency { code } count } byRank { rank { code title } count } byPositionType { positionType count } } }`;
    const all = (await personnel.gql(QUERY, {}, CALLERS.auditor)).data.employeeHeadcount;
    expect(all.total).toBe(DEMO_EMPLOYEES.length);
    for (const groups of [all.byAgency, all.byRank, all.byPositionType]) {
      expect(groups.reduce((n: number, g: { count: number }) => n + g.count, 0)).toBe(DEMO_EMPLOYEES.length);
    }
    expect(all.byAgency).toContainEqual({ agency: { code: 'BKN' }, count: DEMO_EMPLOYEES.filter((e) => e.agencyCode === 'BKN').length });
    expect(all.byRank).toContainEqual({ rank: { code: 'III/a', title: 'Penata Muda' }, count: DEMO_EMPLOYEES.filter((e) => e.rank === 'III/a').length });
    const bkn = (await personnel.gql(QUERY, { a: 'BKN' }, CALLERS.hrBkn)).data.employeeHeadcount;
    expect(bkn.byAgency).toEqual([{ agency: { code: 'BKN' }, count: bkn.total }]);
    expect(errorCodes(await personnel.gql(QUERY, {}, CALLERS.hrBkn))).toEqual(['FORBIDDEN']);
  });
});
