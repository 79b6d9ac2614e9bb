import type { OutgoingEvent } from '@simpul/bus';
import { writeOutboxEvent } from '@simpul/bus';
import type { PositionType } from '@simpul/contracts';
import { isUniqueViolation, type CareerEvent, type Employee, type Prisma, type PrismaClient } from '../db.ts';
import type { CareerState, CareerStep } from '../domain/career.ts';
import { toDbDate } from '../domain/dates.ts';
import { closePending, type TransferDecision } from '../transfers/transfer-store.ts';

export interface EmployeeFilter {
  agencyCode?: string | undefined;
  unitCode?: string | undefined;
  rank?: string | undefined;
  positionType?: PositionType | undefined;
  status?: 'ACTIVE' | 'RETIRED' | undefined;
  asnStatus?: 'CPNS' | 'PNS' | 'PPPK' | undefined;
  /** Part of the name (any case) or the start of the NIP. */
  search?: string | undefined;
}

export interface PersonalData {
  name: string;
  sex: 'MALE' | 'FEMALE';
  birthDate: string;
}

/** One career event to append, with the state it leads to. */
export interface CareerWrite {
  nip: string;
  /** The version read before deciding; null for an appointment (the record is new). */
  expectedVersion: number | null;
  personal?: PersonalData;
  step: CareerStep & { decreeNumber: string; recordedById: string; recordedByName: string; reason?: string | null };
  state: CareerState;
  retirementDate: string;
  /** Events (domain and audit) written to the outbox in the same transaction. */
  events: OutgoingEvent[];
  /** A pending transfer request this event decides (its acceptance, or its end at retirement). */
  closesTransfer?: TransferDecision | undefined;
}

export type CareerWriteResult = { ok: true; employee: Employee } | { ok: false; error: 'exists' | 'stale' };

export type HeadcountDimension = 'agencyCode' | 'rank' | 'positionType';

/** Employees and their career events. The only writer of both is `append`. */
export class EmployeeStore {
  constructor(private readonly prisma: PrismaClient) {}

  findByNip(nip: string): Promise<Employee | null> {
    return this.prisma.employee.findUnique({ where: { nip } });
  }

  findByNips(nips: readonly string[]): Promise<Employee[]> {
    return this.prisma.employee.findMany({ where: { nip: { in: [...nips] } } });
  }

  page(filter: EmployeeFilter, afterNip: string | undefined, take: number): Promise<Employee[]> {
    return this.prisma.employee.findMany({
      where: { ...where(filter), ...(afterNip !== undefined ? { nip: { gt: afterNip } } : {}) },
      orderBy: { nip: 'asc' },
      take,
    });
  }

  count(filter: EmployeeFilter): Promise<number> {
    return this.prisma.employee.count({ where: where(filter) });
  }

  /** Career events of these employees, oldest first. */
  histories(nips: readonly string[]): Promise<CareerEvent[]> {
    return this.prisma.careerEvent.findMany({ where: { nip: { in: [...nips] } }, orderBy: [{ nip: 'asc' }, { seq: 'asc' }] });
  }

  /** Active employees whose retirement date is on or before `until`, soonest first. */
  retiringBy(until: string, agencyCode: string | undefined): Promise<Employee[]> {
    return this.prisma.employee.findMany({
      where: { status: 'ACTIVE', retirementDate: { lte: toDbDate(until) }, ...(agencyCode ? { agencyCode } : {}) },
      orderBy: [{ retirementDate: 'asc' }, { nip: 'asc' }],
      take: 1000,
    });
  }

  async headcount(dimension: HeadcountDimension, filter: EmployeeFilter): Promise<{ key: string; count: number }[]> {
    // Prisma's groupBy types cannot follow a dimension chosen at run time.
    const groupBy = this.prisma.employee.groupBy as unknown as (args: object) => Promise<(Record<string, unknown> & { _count: { _all: number } })[]>;
    const groups = await groupBy({ by: [dimension], where: where(filter), _count: { _all: true }, orderBy: { [dimension]: 'asc' } });
    return groups.map((g) => ({ key: String(g[dimension]), count: g._count._all }));
  }

  /**
   * Appends one career event and writes the state it leads to, with its outbox events,
   * in one transaction. The state row is only updated if nobody appended in between
   * (its version is still the one read), so history and state never disagree.
   */
  async append(write: CareerWrite): Promise<CareerWriteResult> {
    const { state, step } = write;
    const current = stateColumns(state, write.retirementDate);
    try {
      const employee = await this.prisma.$transaction(async (tx) => {
        let row: Employee;
        if (write.expectedVersion === null) {
          if (!write.personal) throw new Error('an appointment needs the personal data');
          row = await tx.employee.create({
            data: { nip: write.nip, ...write.personal, birthDate: toDbDate(write.personal.birthDate), ...current },
          });
        } else {
          const updated = await tx.employee.updateMany({ where: { nip: write.nip, version: write.expectedVersion }, data: current });
          if (updated.count !== 1) throw new StaleWrite();
          row = (await tx.employee.findUnique({ where: { nip: write.nip } }))!;
        }
        if (write.closesTransfer && !(await closePending(tx, write.closesTransfer))) throw new StaleWrite();
        await tx.careerEvent.create({ data: careerRow(write.nip, state.version, step) });
        for (const event of write.events) await writeOutboxEvent(tx, event);
        return row;
      });
      return { ok: true, employee };
    } catch (error) {
      if (error instanceof StaleWrite) return { ok: false, error: 'stale' };
      if (isUniqueViolation(error)) return { ok: false, error: write.expectedVersion === null ? 'exists' : 'stale' };
      throw error;
    }
  }

  /**
   * Writes whole known careers at once (the demo seed): state rows, every event and the
   * outbox events, in one transaction. Employees that exist already are skipped.
   * Returns how many were written.
   */
  async importCareers(careers: ImportedCareer[], events: (career: ImportedCareer) => OutgoingEvent[]): Promise<number> {
    const existing = new Set(
      (await this.prisma.employee.findMany({ where: { nip: { in: careers.map((c) => c.nip) } }, select: { nip: true } })).map((e) => e.nip),
    );
    const fresh = careers.filter((c) => !existing.has(c.nip));
    if (fresh.length === 0) return 0;
    await this.prisma.$transaction(
      async (tx) => {
        await tx.employee.createMany({
          data: fresh.map(({ nip, personal, state, retirementDate }) => ({
            nip,
            ...personal,
            birthDate: toDbDate(personal.birthDate),
            ...stateColumns(state, retirementDate),
          })),
        });
        await tx.careerEvent.createMany({ data: fresh.flatMap((c) => c.steps.map((step, i) => careerRow(c.nip, i + 1, step))) });
        for (const career of fresh) for (const event of events(career)) await writeOutboxEvent(tx, event);
      },
      { timeout: 60_000 },
    );
    return fresh.length;
  }
}

export interface ImportedCareer {
  nip: string;
  personal: PersonalData;
  steps: CareerWrite['step'][];
  state: CareerState;
  retirementDate: string;
}

class StaleWrite extends Error {}

/** The employee row's current-state columns, as folded from the career history. */
function stateColumns(state: CareerState, retirementDate: string) {
  return {
    asnStatus: state.asnStatus,
    agencyCode: state.agencyCode,
    unitCode: state.unitCode,
    rank: state.rank,
    rankTmt: toDbDate(state.rankTmt),
    positionName: state.positionName,
    positionType: state.positionType,
    status: state.status,
    retirementDate: toDbDate(retirementDate),
    retiredOn: state.retiredOn ? toDbDate(state.retiredOn) : null,
    version: state.version,
  };
}

function careerRow(nip: string, seq: number, step: CareerWrite['step']): Prisma.CareerEventCreateManyInput {
  return {
    nip,
    seq,
    kind: step.kind,
    effectiveDate: toDbDate(step.effectiveDate),
    decreeNumber: step.decreeNumber,
    recordedById: step.recordedById,
    recordedByName: step.recordedByName,
    reason: step.reason ?? null,
    asnStatus: step.asnStatus ?? null,
    agencyCode: step.agencyCode ?? null,
    unitCode: step.unitCode ?? null,
    rank: step.rank ?? null,
    positionName: step.positionName ?? null,
    positionType: step.positionType ?? null,
  };
}

function where(filter: EmployeeFilter): Prisma.EmployeeWhereInput {
  const search = filter.search?.trim();
  return {
    ...(filter.agencyCode ? { agencyCode: filter.agencyCode } : {}),
    ...(filter.unitCode ? { unitCode: filter.unitCode } : {}),
    ...(filter.rank ? { rank: filter.rank } : {}),
    ...(filter.positionType ? { positionType: filter.positionType } : {}),
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.asnStatus ? { asnStatus: filter.asnStatus } : {}),
    ...(search ? { OR: [{ name: { contains: search, mode: 'insensitive' as const } }, { nip: { startsWith: search } }] } : {}),
  };
}
