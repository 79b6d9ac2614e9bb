import { randomUUID } from 'node:crypto';
import { createEvent, recordAudit, type OutgoingEvent } from '@simpul/bus';
import {
  ASN_STATUSES,
  AuditRecorded,
  EmployeeAppointed,
  EmployeeConfirmed,
  EmployeePositionChanged,
  EmployeePromoted,
  EmployeeRetired,
  AGENCY_CODE_PATTERN,
  UNIT_CODE_PATTERN,
  type AsnStatus,
  type PositionType,
  type Subjects,
} from '@simpul/contracts';
import {
  badUserInput,
  conflict,
  decodeCursor,
  encodeCursor,
  forbidden,
  hasRole,
  lookupKeys,
  notFound,
  pageSize,
  requirePrincipal,
  searchText,
  toConnection,
  type Connection,
  type Principal,
} from '@simpul/kit';
import type { Employee, PrismaClient } from '../db.ts';
import {
  canAuthoriseEarlyPromotion,
  canDecideIncomingTransfer,
  canKeepRecords,
  canReadAgency,
  canReadAllAgencies,
  canReadEmployee,
  requireAgencyReader,
  requireRecordKeeper,
} from '../auth/permissions.ts';
import { applyCareerStep, CareerError, type CareerState, type CareerStep } from '../domain/career.ts';
import { addMonths, compareDates, formatDate, fromDbDate, parseDate, todayInJakarta } from '../domain/dates.ts';
import { parseNip } from '../domain/nip.ts';
import { isPositionType, retirementDate } from '../domain/positions.ts';
import { decideConfirmation } from '../domain/probation.ts';
import { decidePromotion } from '../domain/promotion.ts';
import { findRank, rankSchemeOf } from '../domain/ranks.ts';
import type { OrganisationDirectory } from '../organisation/directory.ts';
import type { TransferDecision, TransferStore } from '../transfers/transfer-store.ts';
import type { CareerWrite, EmployeeFilter, EmployeeStore, HeadcountDimension } from './employee-store.ts';

/** What every recorded decision carries: when it takes effect and the decree behind it. */
export interface DecreeInput {
  /** `YYYY-MM-DD`; today (WIB) when omitted. */
  effectiveDate?: string | null;
  /** The decree (SK) number; a Simpul registration number stands in when omitted. */
  decreeNumber?: string | null;
}

export interface AppointEmployeeInput extends DecreeInput {
  nip: string;
  name: string;
  agencyCode: string;
  unitCode?: string | null;
  asnStatus?: AsnStatus | null;
  rank: string;
  positionName: string;
  positionType: PositionType;
  /** Optional: when given they must agree with the NIP, which is what is stored. */
  sex?: 'MALE' | 'FEMALE' | null;
  birthDate?: string | null;
}

export interface ConfirmEmployeeInput extends DecreeInput {
  nip: string;
}

export interface PromoteEmployeeInput extends DecreeInput {
  nip: string;
  toRank?: string | null;
  reason?: string | null;
}

export interface ChangePositionInput extends DecreeInput {
  nip: string;
  positionName: string;
  positionType: PositionType;
}

export interface RetireEmployeeInput extends DecreeInput {
  nip: string;
  /** Needed when retiring before the retirement date (early retirement). */
  reason?: string | null;
}

export interface ListEmployeesInput extends Omit<EmployeeFilter, 'agencyCode'> {
  agencyCode?: string | null;
  first?: number | null;
  after?: string | null;
}

/** CPNS start at the rank their schooling gives: I/a (SD), I/c (SMP), II/a (SMA), II/c (D3), III/a (S1), III/b (S2). */
export const CPNS_ENTRY_RANKS = ['I/a', 'I/c', 'II/a', 'II/c', 'III/a', 'III/b'];

const CURSOR_KIND = 'employee';
const MAX_NAME = 200;

export interface EmployeeManagerOptions {
  subjects: Subjects;
  now: () => number;
  /** Called after a committed change wrote events (the outbox relay's nudge). */
  eventsWritten: () => void;
}

/**
 * Decisions about civil-servant records. Every change is one career event: the manager
 * checks the caller's permission and the domain rules, folds the event onto the current
 * state, and has the store write event, state and outbox events together. Transfers are
 * decided in TransferManager, on the same steps (current, record, ...).
 */
export class EmployeeManager {
  constructor(
    private readonly store: EmployeeStore,
    private readonly transfers: TransferStore,
    private readonly prisma: PrismaClient,
    private readonly directory: OrganisationDirectory,
    private readonly options: EmployeeManagerOptions,
  ) {}

  today(): string {
    return todayInJakarta(this.options.now());
  }

  /** The employee, null when there is none; FORBIDDEN when the caller may not read it. */
  async get(principal: Principal | null, nip: string): Promise<Employee | null> {
    const caller = requirePrincipal(principal);
    const employee = await this.store.findByNip(nip.trim());
    if (!employee) return null;
    if (!canReadEmployee(caller, employee) && !(await this.decidesTransferOf(caller, [employee])).has(employee.nip)) {
      await this.deny(caller, 'employee.read', employee.nip, 'not their agency');
      throw forbidden('You may read your own record, or the records of your agency with HR_OFFICER or AGENCY_ADMIN');
    }
    return employee;
  }

  /** The stitching lookup: same order as `nips`, null for unknown ones and ones the caller may not read. */
  async getMany(principal: Principal | null, nips: readonly string[]): Promise<(Employee | null)[]> {
    lookupKeys(nips, 'nips');
    if (!principal) return nips.map(() => null);
    const found = new Map((await this.store.findByNips([...new Set(nips)])).map((e) => [e.nip, e]));
    const incoming = await this.decidesTransferOf(
      principal,
      [...found.values()].filter((e) => !canReadEmployee(principal, e)),
    );
    return nips.map((nip) => {
      const employee = found.get(nip);
      return employee && (canReadEmployee(principal, employee) || incoming.has(nip)) ? employee : null;
    });
  }

  /**
   * Of these employees, those whose pending transfer the caller decides: the receiving
   * agency reads the record of whom it is asked to take.
   */
  private async decidesTransferOf(principal: Principal, employees: Employee[]): Promise<Set<string>> {
    if (employees.length === 0 || !hasRole(principal, 'HR_OFFICER', 'AGENCY_ADMIN')) return new Set();
    const pending = await this.transfers.pendingForNips(employees.map((e) => e.nip));
    return new Set(pending.filter((r) => canDecideIncomingTransfer(principal, r, r.toAgencyCode)).map((r) => r.nip));
  }

  async list(principal: Principal | null, input: ListEmployeesInput): Promise<Connection<Employee>> {
    const caller = requirePrincipal(principal);
    const take = pageSize(input.first);
    const afterNip = decodeCursor(CURSOR_KIND, input.after);
    let agencyCode = input.agencyCode ? checkAgencyCode(input.agencyCode) : undefined;
    if (!agencyCode && !canReadAllAgencies(caller)) agencyCode = caller.agencyCode;
    if (agencyCode) requireAgencyReader(caller, agencyCode);
    const filter: EmployeeFilter = { ...checkFilter(input), agencyCode };
    const [rows, totalCount] = await Promise.all([this.store.page(filter, afterNip, take + 1), this.store.count(filter)]);
    return toConnection(rows, take, totalCount, (e) => encodeCursor(CURSOR_KIND, e.nip));
  }

  /** Active employees retiring within `months` (and any past their date but not yet retired), soonest first. */
  async retirementsDue(principal: Principal | null, months: number, agencyCode?: string | null): Promise<Employee[]> {
    const caller = requirePrincipal(principal);
    if (!Number.isInteger(months) || months < 0 || months > 120) throw badUserInput('months: between 0 and 120', { field: 'months' });
    let agency = agencyCode ? checkAgencyCode(agencyCode) : undefined;
    if (!agency && !canReadAllAgencies(caller)) agency = caller.agencyCode;
    if (agency) requireAgencyReader(caller, agency);
    const until = formatDate(addMonths(parseDate(this.today())!, months));
    return this.store.retiringBy(until, agency);
  }

  async headcount(principal: Principal | null, dimension: HeadcountDimension, filter: EmployeeFilter): Promise<{ key: string; count: number }[]> {
    const caller = requirePrincipal(principal);
    if (filter.agencyCode) requireAgencyReader(caller, filter.agencyCode);
    else if (!canReadAllAgencies(caller)) throw forbidden('A headcount of every agency needs NATIONAL_ADMIN or AUDITOR; name your agency');
    return this.store.headcount(dimension, filter);
  }

  async total(principal: Principal | null, filter: EmployeeFilter): Promise<number> {
    const caller = requirePrincipal(principal);
    if (filter.agencyCode) requireAgencyReader(caller, filter.agencyCode);
    else if (!canReadAllAgencies(caller)) throw forbidden('A headcount of every agency needs NATIONAL_ADMIN or AUDITOR; name your agency');
    return this.store.count(filter);
  }

  async appoint(principal: Principal | null, input: AppointEmployeeInput): Promise<Employee> {
    const today = this.today();
    const parsed = parseNip(input.nip, today);
    if (!parsed.ok) throw badUserInput(`nip: ${parsed.message}`, { field: 'nip', segment: parsed.segment });
    const { nip, birthDate, sex, tmtDate } = parsed.parts;
    const agencyCode = checkAgencyCode(input.agencyCode);
    const unitCode = input.unitCode ? checkUnitCode(input.unitCode, 'unitCode') : null;
    const caller = await this.requireKeeper(principal, agencyCode, 'employee.appoint', nip);

    const name = input.name.trim();
    if (name.length < 1 || name.length > MAX_NAME) throw badUserInput(`name: must be 1-${MAX_NAME} characters`, { field: 'name' });
    if (input.birthDate != null && input.birthDate !== birthDate) {
      throw badUserInput(`birthDate: the NIP says ${birthDate} (digits 1-8), not ${input.birthDate}`, { field: 'birthDate' });
    }
    if (input.sex != null && input.sex !== sex) throw badUserInput(`sex: the NIP says ${sex} (digit 15), not ${input.sex}`, { field: 'sex' });
    const asnStatus = input.asnStatus ?? 'CPNS';
    if (!(ASN_STATUSES as readonly string[]).includes(asnStatus)) throw badUserInput(`asnStatus: unknown status "${asnStatus}"`, { field: 'asnStatus' });
    const rank = findRank(input.rank);
    if (!rank || rank.scheme !== rankSchemeOf(asnStatus)) {
      throw badUserInput(
        asnStatus === 'PPPK' ? `rank: a PPPK has a grade I-XVII, not "${input.rank}"` : `rank: a ${asnStatus} has a golongan I/a-IV/e, not "${input.rank}"`,
        { field: 'rank' },
      );
    }
    if (asnStatus === 'CPNS' && !CPNS_ENTRY_RANKS.includes(rank.code)) {
      throw badUserInput(`rank: a CPNS starts at ${CPNS_ENTRY_RANKS.join(', ')} (by schooling), not ${rank.code}`, { field: 'rank' });
    }
    const positionType = checkPositionType(input.positionType);
    const positionName = checkPositionName(input.positionName);
    const effectiveDate = this.effectiveDate(input.effectiveDate, today);
    if (compareDates(effectiveDate, tmtDate) < 0) {
      throw badUserInput(`effectiveDate: ${effectiveDate} is before the TMT in the NIP (${tmtDate.slice(0, 7)})`, { field: 'effectiveDate' });
    }
    const retires = retirementDate(birthDate, positionType);
    if (compareDates(retires, today) <= 0) {
      throw badUserInput(`nip: born ${birthDate}, this employee is past the retirement age of a ${positionType} position (retirement ${retires})`, {
        field: 'nip',
      });
    }
    await this.directory.requireUnit(agencyCode, unitCode, { agency: 'agencyCode', unit: 'unitCode' }, caller.token);

    const decreeNumber = this.decreeNumber(input.decreeNumber, 'APPOINTMENT', effectiveDate);
    const step: CareerStep = { kind: 'APPOINTMENT', effectiveDate, asnStatus, agencyCode, unitCode, rank: rank.code, positionName, positionType };
    const state = applyCareerStep(null, step);
    const events = [
      createEvent(this.options.subjects, EmployeeAppointed, {
        nip,
        name,
        sex,
        birthDate,
        asnStatus,
        agencyCode,
        unitCode,
        rank: rank.code as never,
        positionName,
        positionType,
        effectiveDate,
        decreeNumber,
        recordedBy: caller.id,
      }),
      this.audit(caller, 'employee.appoint', nip, { agencyCode, rank: rank.code }),
    ];
    const result = await this.store.append({
      nip,
      expectedVersion: null,
      personal: { name, sex, birthDate },
      step: { ...step, decreeNumber, recordedById: caller.id, recordedByName: caller.username },
      state,
      retirementDate: retires,
      events,
    });
    if (!result.ok) throw conflict(`An employee with the NIP ${nip} already exists`);
    this.options.eventsWritten();
    return result.employee;
  }

  /** Pengangkatan PNS: a CPNS who completed the probation year becomes PNS. */
  async confirm(principal: Principal | null, input: ConfirmEmployeeInput): Promise<Employee> {
    const caller = requirePrincipal(principal);
    const { employee, state } = await this.current(input.nip);
    await this.requireKeeper(caller, employee.agencyCode, 'employee.confirm', employee.nip);
    const effectiveDate = this.effectiveDate(input.effectiveDate, this.today());
    const decision = decideConfirmation(state.asnStatus, await this.appointedOn(employee.nip), effectiveDate);
    if (!decision.ok) throw badUserInput(decision.message, { field: decision.field });
    const decreeNumber = this.decreeNumber(input.decreeNumber, 'CONFIRMATION', effectiveDate);
    return this.record(
      caller,
      employee,
      state,
      { kind: 'CONFIRMATION', effectiveDate, asnStatus: 'PNS' },
      {
        decreeNumber,
        events: [
          createEvent(this.options.subjects, EmployeeConfirmed, {
            nip: employee.nip,
            agencyCode: employee.agencyCode,
            effectiveDate,
            decreeNumber,
            recordedBy: caller.id,
          }),
          this.audit(caller, 'employee.confirm', employee.nip, { effectiveDate }),
        ],
      },
    );
  }

  async promote(principal: Principal | null, input: PromoteEmployeeInput): Promise<Employee> {
    const caller = requirePrincipal(principal);
    const { employee, state } = await this.current(input.nip);
    const mayAuthoriseEarly = canAuthoriseEarlyPromotion(caller, employee.agencyCode);
    if (!canKeepRecords(caller, employee.agencyCode) && !mayAuthoriseEarly) {
      await this.deny(caller, 'employee.promote', employee.nip, 'not a record keeper of the agency');
      requireRecordKeeper(caller, employee.agencyCode);
    }
    const effectiveDate = this.effectiveDate(input.effectiveDate, this.today());
    const decision = decidePromotion({
      asnStatus: state.asnStatus,
      currentRank: state.rank,
      rankTmt: state.rankTmt,
      effectiveDate,
      toRank: input.toRank ?? null,
      reason: input.reason ?? null,
      mayAuthoriseEarly,
    });
    if (!decision.ok) {
      if (decision.code === 'FORBIDDEN') {
        await this.deny(caller, 'employee.promote', employee.nip, 'early promotion needs an authorised officer');
        throw forbidden(decision.message);
      }
      throw badUserInput(decision.message, { field: decision.field });
    }
    const decreeNumber = this.decreeNumber(input.decreeNumber, 'PROMOTION', effectiveDate);
    return this.record(
      caller,
      employee,
      state,
      { kind: 'PROMOTION', effectiveDate, rank: decision.toRank },
      {
        decreeNumber,
        reason: decision.early ? input.reason!.trim() : null,
        events: [
          createEvent(this.options.subjects, EmployeePromoted, {
            nip: employee.nip,
            agencyCode: employee.agencyCode,
            fromRank: state.rank as never,
            toRank: decision.toRank as never,
            effectiveDate,
            decreeNumber,
            recordedBy: caller.id,
          }),
          this.audit(caller, 'employee.promote', employee.nip, { fromRank: state.rank, toRank: decision.toRank, early: decision.early }),
        ],
      },
    );
  }

  async changePosition(principal: Principal | null, input: ChangePositionInput): Promise<Employee> {
    const caller = requirePrincipal(principal);
    const positionType = checkPositionType(input.positionType);
    const positionName = checkPositionName(input.positionName);
    const { employee, state } = await this.current(input.nip);
    await this.requireKeeper(caller, employee.agencyCode, 'employee.change-position', employee.nip);
    if (positionName === state.positionName && positionType === state.positionType) {
      throw badUserInput('positionName: the employee already holds this position', { field: 'positionName' });
    }
    const effectiveDate = this.effectiveDate(input.effectiveDate, this.today());
    const retires = retirementDate(fromDbDate(employee.birthDate), positionType);
    if (compareDates(retires, this.today()) <= 0) {
      throw badUserInput(`positionType: the retirement age of ${positionType} was reached (retirement ${retires}); retire the employee instead`, {
        field: 'positionType',
      });
    }
    const decreeNumber = this.decreeNumber(input.decreeNumber, 'POSITION_CHANGE', effectiveDate);
    return this.record(
      caller,
      employee,
      state,
      { kind: 'POSITION_CHANGE', effectiveDate, positionName, positionType },
      {
        decreeNumber,
        events: [
          createEvent(this.options.subjects, EmployeePositionChanged, {
            nip: employee.nip,
            agencyCode: employee.agencyCode,
            fromPositionType: state.positionType,
            positionName,
            positionType,
            effectiveDate,
            decreeNumber,
            recordedBy: caller.id,
          }),
          this.audit(caller, 'employee.change-position', employee.nip, { positionType }),
        ],
      },
    );
  }

  async retire(principal: Principal | null, input: RetireEmployeeInput): Promise<Employee> {
    const caller = requirePrincipal(principal);
    const { employee, state } = await this.current(input.nip);
    await this.requireKeeper(caller, employee.agencyCode, 'employee.retire', employee.nip);
    const effectiveDate = this.effectiveDate(input.effectiveDate, this.today());
    const due = fromDbDate(employee.retirementDate);
    const reason = input.reason?.trim() || null;
    if (compareDates(effectiveDate, due) < 0 && !reason) {
      throw badUserInput(`reason: the retirement date (BUP) is ${due}; retiring earlier (${effectiveDate}) needs a reason`, { field: 'reason' });
    }
    const decreeNumber = this.decreeNumber(input.decreeNumber, 'RETIREMENT', effectiveDate);
    // A transfer still waiting for the receiving agency ends with the record.
    const pending = await this.transfers.pendingFor(employee.nip);
    return this.record(
      caller,
      employee,
      state,
      { kind: 'RETIREMENT', effectiveDate },
      {
        decreeNumber,
        reason,
        closesTransfer: pending
          ? { id: pending.id, status: 'CANCELLED', decidedById: caller.id, decidedByName: caller.username, reason: 'retired' }
          : undefined,
        events: [
          createEvent(this.options.subjects, EmployeeRetired, {
            nip: employee.nip,
            agencyCode: employee.agencyCode,
            effectiveDate,
            decreeNumber,
            recordedBy: caller.id,
          }),
          this.audit(caller, 'employee.retire', employee.nip, { effectiveDate, early: compareDates(effectiveDate, due) < 0 }),
        ],
      },
    );
  }

  /** Whether the caller may read the records of this agency (for Agency.employees). */
  canReadAgency(principal: Principal | null, agencyCode: string): boolean {
    return canReadAgency(principal, agencyCode);
  }

  // The steps every recorded decision takes, shared with TransferManager.

  /** The employee and their career state; NOT_FOUND, or CONFLICT once the record is closed. */
  async current(nipInput: string): Promise<{ employee: Employee; state: CareerState }> {
    const nip = nipInput.trim();
    const employee = await this.store.findByNip(nip);
    if (!employee) throw notFound(`No employee has the NIP ${nip}`);
    if (employee.status === 'RETIRED') throw conflict(`${nip} retired on ${employee.retiredOn ? fromDbDate(employee.retiredOn) : '?'}; the record is closed`);
    return { employee, state: stateOf(employee, await this.lastEffectiveDate(nip)) };
  }

  private async appointedOn(nip: string): Promise<string> {
    const first = await this.prisma.careerEvent.findFirst({ where: { nip, seq: 1 }, select: { effectiveDate: true } });
    return first ? fromDbDate(first.effectiveDate) : '';
  }

  private async lastEffectiveDate(nip: string): Promise<string> {
    const [last] = await this.prisma.careerEvent.findMany({ where: { nip }, orderBy: { seq: 'desc' }, take: 1, select: { effectiveDate: true } });
    return last ? fromDbDate(last.effectiveDate) : '0000-01-01';
  }

  /** Appends one career event (with its outbox events) onto `state`; CONFLICT when the record changed meanwhile. */
  async record(
    caller: Principal,
    employee: Employee,
    state: CareerState,
    step: CareerStep,
    extra: { decreeNumber: string; reason?: string | null; events: OutgoingEvent[]; closesTransfer?: TransferDecision | undefined },
  ): Promise<Employee> {
    let next: CareerState;
    try {
      next = applyCareerStep(state, step);
    } catch (error) {
      if (error instanceof CareerError) throw badUserInput(`effectiveDate: ${error.message}`, { field: 'effectiveDate' });
      throw error;
    }
    const write: CareerWrite = {
      nip: employee.nip,
      expectedVersion: state.version,
      step: { ...step, decreeNumber: extra.decreeNumber, recordedById: caller.id, recordedByName: caller.username, reason: extra.reason ?? null },
      state: next,
      retirementDate: retirementDate(fromDbDate(employee.birthDate), next.positionType),
      events: extra.events,
      closesTransfer: extra.closesTransfer,
    };
    const result = await this.store.append(write);
    if (!result.ok) throw conflict(`The record of ${employee.nip} changed meanwhile; read it again and retry`);
    this.options.eventsWritten();
    return result.employee;
  }

  private async requireKeeper(principal: Principal | null, agencyCode: string, action: string, nip: string): Promise<Principal> {
    const caller = requirePrincipal(principal);
    if (!canKeepRecords(caller, agencyCode)) {
      await this.deny(caller, action, nip, `not a record keeper of ${agencyCode}`);
      requireRecordKeeper(caller, agencyCode);
    }
    return caller;
  }

  /** `YYYY-MM-DD`, not in the future; today when not given. */
  effectiveDate(value: string | null | undefined, today: string): string {
    if (value == null) return today;
    const date = parseDate(value);
    if (!date) throw badUserInput(`effectiveDate: "${value}" is not a date (YYYY-MM-DD)`, { field: 'effectiveDate' });
    if (compareDates(value, today) > 0)
      throw badUserInput(`effectiveDate: ${value} is in the future; record a decree once it takes effect`, { field: 'effectiveDate' });
    return value;
  }

  /** The decree number given (at most 100 characters), or a Simpul registration number. */
  decreeNumber(value: string | null | undefined, kind: string, effectiveDate: string): string {
    const trimmed = value?.trim();
    if (trimmed) {
      if (trimmed.length > 100) throw badUserInput('decreeNumber: at most 100 characters', { field: 'decreeNumber' });
      return trimmed;
    }
    return `SIMPUL/${kind}/${effectiveDate.slice(0, 4)}/${randomUUID().slice(0, 8).toUpperCase()}`;
  }

  /** The audit event of a successful change, for the change's own transaction. */
  audit(caller: Principal, action: string, nip: string, detail: Record<string, unknown>): OutgoingEvent {
    return createEvent(this.options.subjects, AuditRecorded.personnel, {
      action,
      outcome: 'SUCCESS',
      actorId: caller.id,
      actorName: caller.username,
      actorAgencyCode: caller.agencyCode,
      target: `employee:${nip}`,
      sourceAddress: null,
      detail,
    });
  }

  /** Records a refusal in the audit log (the caller then throws FORBIDDEN). */
  async deny(caller: Principal, action: string, nip: string, why: string): Promise<void> {
    await recordAudit(this.prisma, this.options.subjects, 'personnel', {
      action,
      outcome: 'DENIED',
      actorId: caller.id,
      actorName: caller.username,
      actorAgencyCode: caller.agencyCode,
      target: `employee:${nip}`,
      sourceAddress: null,
      detail: { why },
    });
    this.options.eventsWritten();
  }
}

/** The career state a stored employee row holds. */
export function stateOf(employee: Employee, lastEffectiveDate: string): CareerState {
  return {
    asnStatus: employee.asnStatus,
    agencyCode: employee.agencyCode,
    unitCode: employee.unitCode,
    rank: employee.rank,
    rankTmt: fromDbDate(employee.rankTmt),
    positionName: employee.positionName,
    positionType: employee.positionType,
    status: employee.status,
    retiredOn: employee.retiredOn ? fromDbDate(employee.retiredOn) : null,
    lastEffectiveDate,
    version: employee.version,
  };
}

export function checkAgencyCode(value: string, field = 'agencyCode'): string {
  if (!AGENCY_CODE_PATTERN.test(value)) throw badUserInput(`${field}: "${value}" is not a valid agency code`, { field });
  return value;
}

export function checkUnitCode(value: string, field: string): string {
  if (!UNIT_CODE_PATTERN.test(value)) throw badUserInput(`${field}: "${value}" is not a valid unit code`, { field });
  return value;
}

function checkPositionType(value: string): PositionType {
  if (!isPositionType(value)) throw badUserInput(`positionType: unknown position type "${value}"`, { field: 'positionType' });
  return value;
}

function checkPositionName(value: string): string {
  const trimmed = value.trim();
  if (trimmed.length < 1 || trimmed.length > MAX_NAME) throw badUserInput(`positionName: must be 1-${MAX_NAME} characters`, { field: 'positionName' });
  return trimmed;
}

function checkFilter(input: ListEmployeesInput): Omit<EmployeeFilter, 'agencyCode'> {
  if (input.rank && !findRank(input.rank)) throw badUserInput(`rank: unknown rank "${input.rank}"`, { field: 'rank' });
  if (input.unitCode) checkUnitCode(input.unitCode, 'unitCode');
  const search = searchText(input.search);
  return {
    unitCode: input.unitCode ?? undefined,
    rank: input.rank ?? undefined,
    positionType: input.positionType ?? undefined,
    status: input.status ?? undefined,
    asnStatus: input.asnStatus ?? undefined,
    search,
  };
}
