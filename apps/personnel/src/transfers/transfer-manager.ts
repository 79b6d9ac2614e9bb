import { createEvent } from '@simpul/bus';
import { EmployeeTransferred, type Subjects } from '@simpul/contracts';
import {
  badUserInput,
  conflict,
  decodeCursor,
  encodeCursor,
  forbidden,
  notFound,
  pageSize,
  requirePrincipal,
  toConnection,
  type Connection,
  type Principal,
} from '@simpul/kit';
import type { Employee, TransferRequest } from '../db.ts';
import { canDecideIncomingTransfer, canReadAgency, canReadIncomingTransfers, canTransfer, isSelf } from '../auth/permissions.ts';
import type { CareerState } from '../domain/career.ts';
import { fromDbDate } from '../domain/dates.ts';
import { checkAgencyCode, checkUnitCode, type DecreeInput, type EmployeeManager } from '../employees/employee-manager.ts';
import type { OrganisationDirectory } from '../organisation/directory.ts';
import type { TransferDirection, TransferStore } from './transfer-store.ts';

export interface TransferEmployeeInput extends DecreeInput {
  nip: string;
  toAgencyCode: string;
  toUnitCode?: string | null;
}

/** The receiving agency may place the employee in another unit, and names the decree's date and number. */
export interface AcceptTransferInput extends DecreeInput {
  nip: string;
  toUnitCode?: string | null;
}

export interface EndTransferInput {
  nip: string;
  reason?: string | null;
}

export interface ListPendingTransfersInput {
  agencyCode?: string | null;
  direction?: TransferDirection | null;
  first?: number | null;
  after?: string | null;
}

const CURSOR_KIND = 'transfer';
const MAX_REASON = 500;

/**
 * Transfers (mutasi). Within an agency the sending agency's HR officer moves the
 * employee at once. Between agencies it is a request: the employee stays where they are
 * until the receiving agency (its HR officer or administrator, or a national
 * administrator) accepts; only then are the TRANSFER career event and
 * `employee.transferred` written, and identity moves the account. The receiving agency
 * may reject, the sending agency may cancel. Nobody decides their own transfer.
 */
export class TransferManager {
  constructor(
    private readonly employees: EmployeeManager,
    private readonly store: TransferStore,
    private readonly directory: OrganisationDirectory,
    private readonly options: { subjects: Subjects; eventsWritten: () => void },
  ) {}

  /** Moves within the agency at once; to another agency, asks it (the employee is returned unchanged, with `pendingTransfer`). */
  async transfer(principal: Principal | null, input: TransferEmployeeInput): Promise<Employee> {
    const caller = requirePrincipal(principal);
    const toAgencyCode = checkAgencyCode(input.toAgencyCode, 'toAgencyCode');
    const toUnitCode = input.toUnitCode ? checkUnitCode(input.toUnitCode, 'toUnitCode') : null;
    const { employee, state } = await this.employees.current(input.nip);
    if (!canTransfer(caller, employee)) {
      const self = isSelf(caller, employee.nip);
      await this.employees.deny(caller, 'employee.transfer', employee.nip, self ? 'their own transfer' : 'not the sending agency');
      throw forbidden(
        self
          ? 'Nobody transfers themselves; ask the HR officer of your agency'
          : toAgencyCode === employee.agencyCode
            ? `Moving an employee within ${employee.agencyCode} needs its HR_OFFICER or NATIONAL_ADMIN`
            : `A transfer out of ${employee.agencyCode} is asked for by its HR_OFFICER or a NATIONAL_ADMIN`,
      );
    }
    if (toAgencyCode === state.agencyCode) return this.moveWithin(caller, employee, state, toUnitCode, input);
    return this.request(caller, employee, state, { toAgencyCode, toUnitCode }, input);
  }

  async accept(principal: Principal | null, input: AcceptTransferInput): Promise<Employee> {
    const caller = requirePrincipal(principal);
    const unitGiven = input.toUnitCode ? checkUnitCode(input.toUnitCode, 'toUnitCode') : null;
    const { employee, state } = await this.employees.current(input.nip);
    const request = await this.pending(employee.nip);
    await this.requireReceiving(caller, employee, request, 'employee.transfer.accept');
    const toUnitCode = unitGiven ?? request.toUnitCode;
    await this.directory.requireUnit(request.toAgencyCode, toUnitCode, { agency: 'toAgencyCode', unit: 'toUnitCode' }, caller.token);
    const today = this.employees.today();
    const effectiveDate = this.employees.effectiveDate(input.effectiveDate ?? (request.effectiveDate ? fromDbDate(request.effectiveDate) : null), today);
    const decreeNumber = this.employees.decreeNumber(input.decreeNumber ?? request.decreeNumber, 'TRANSFER', effectiveDate);
    const step = { kind: 'TRANSFER', effectiveDate, agencyCode: request.toAgencyCode, unitCode: toUnitCode } as const;
    return this.employees.record(caller, employee, state, step, {
      decreeNumber,
      events: [
        createEvent(this.options.subjects, EmployeeTransferred, {
          nip: employee.nip,
          fromAgencyCode: state.agencyCode,
          fromUnitCode: state.unitCode,
          toAgencyCode: request.toAgencyCode,
          toUnitCode,
          effectiveDate,
          decreeNumber,
          recordedBy: caller.id,
        }),
        this.employees.audit(caller, 'employee.transfer.accept', employee.nip, {
          from: state.agencyCode,
          to: request.toAgencyCode,
          toUnitCode,
          requestedBy: request.requestedByName,
        }),
      ],
      closesTransfer: { id: request.id, status: 'ACCEPTED', decidedById: caller.id, decidedByName: caller.username },
    });
  }

  /** The receiving agency declines: the employee stays where they are. */
  async reject(principal: Principal | null, input: EndTransferInput): Promise<Employee> {
    const caller = requirePrincipal(principal);
    const reason = checkReason(input.reason);
    const { employee } = await this.employees.current(input.nip);
    const request = await this.pending(employee.nip);
    await this.requireReceiving(caller, employee, request, 'employee.transfer.reject');
    return this.end(caller, employee, request, 'REJECTED', reason);
  }

  /** The sending agency withdraws its request. */
  async cancel(principal: Principal | null, input: EndTransferInput): Promise<Employee> {
    const caller = requirePrincipal(principal);
    const reason = checkReason(input.reason);
    const { employee } = await this.employees.current(input.nip);
    const request = await this.pending(employee.nip);
    if (!canTransfer(caller, employee)) {
      await this.employees.deny(caller, 'employee.transfer.cancel', employee.nip, 'not the sending agency');
      throw forbidden(`A transfer out of ${employee.agencyCode} is withdrawn by its HR_OFFICER or a NATIONAL_ADMIN`);
    }
    return this.end(caller, employee, request, 'CANCELLED', reason);
  }

  /** Requests waiting to come into (INCOMING, the default) or go out of an agency (the caller's by default), oldest first. */
  async list(principal: Principal | null, input: ListPendingTransfersInput): Promise<Connection<TransferRequest>> {
    const caller = requirePrincipal(principal);
    const agencyCode = input.agencyCode ? checkAgencyCode(input.agencyCode) : caller.agencyCode;
    const direction = input.direction ?? 'INCOMING';
    const allowed = direction === 'INCOMING' ? canReadIncomingTransfers(caller, agencyCode) : canReadAgency(caller, agencyCode);
    if (!allowed) {
      throw forbidden(
        direction === 'INCOMING'
          ? `Transfers into ${agencyCode} are for its HR_OFFICER and AGENCY_ADMIN, AUDITOR or NATIONAL_ADMIN`
          : `Transfers out of ${agencyCode} are for those who read its records`,
      );
    }
    const take = pageSize(input.first);
    const after = readCursor(decodeCursor(CURSOR_KIND, input.after));
    const [rows, totalCount] = await Promise.all([
      this.store.pendingPage({ agencyCode, direction, after, take: take + 1 }),
      this.store.countPending({ agencyCode, direction }),
    ]);
    return toConnection(rows, take, totalCount, (r) => encodeCursor(CURSOR_KIND, `${r.requestedAt.toISOString()}|${r.id}`));
  }

  private async moveWithin(caller: Principal, employee: Employee, state: CareerState, toUnitCode: string | null, input: DecreeInput): Promise<Employee> {
    if (toUnitCode === state.unitCode) {
      throw badUserInput(`toUnitCode: the employee is already in ${state.agencyCode}${toUnitCode ? ` ${toUnitCode}` : ''}`, { field: 'toUnitCode' });
    }
    await this.directory.requireUnit(state.agencyCode, toUnitCode, { agency: 'toAgencyCode', unit: 'toUnitCode' }, caller.token);
    const effectiveDate = this.employees.effectiveDate(input.effectiveDate, this.employees.today());
    const decreeNumber = this.employees.decreeNumber(input.decreeNumber, 'TRANSFER', effectiveDate);
    return this.employees.record(
      caller,
      employee,
      state,
      { kind: 'TRANSFER', effectiveDate, agencyCode: state.agencyCode, unitCode: toUnitCode },
      {
        decreeNumber,
        events: [
          createEvent(this.options.subjects, EmployeeTransferred, {
            nip: employee.nip,
            fromAgencyCode: state.agencyCode,
            fromUnitCode: state.unitCode,
            toAgencyCode: state.agencyCode,
            toUnitCode,
            effectiveDate,
            decreeNumber,
            recordedBy: caller.id,
          }),
          this.employees.audit(caller, 'employee.transfer', employee.nip, { from: state.agencyCode, to: state.agencyCode, toUnitCode }),
        ],
      },
    );
  }

  private async request(
    caller: Principal,
    employee: Employee,
    state: CareerState,
    to: { toAgencyCode: string; toUnitCode: string | null },
    input: DecreeInput,
  ): Promise<Employee> {
    const waiting = await this.store.pendingFor(employee.nip);
    if (waiting) throw conflict(`A transfer of ${employee.nip} to ${waiting.toAgencyCode} is waiting for that agency; cancel it first`);
    await this.directory.requireUnit(to.toAgencyCode, to.toUnitCode, { agency: 'toAgencyCode', unit: 'toUnitCode' }, caller.token);
    const effectiveDate = input.effectiveDate == null ? null : this.employees.effectiveDate(input.effectiveDate, this.employees.today());
    const decreeNumber = input.decreeNumber?.trim() ? this.employees.decreeNumber(input.decreeNumber, 'TRANSFER', '') : null;
    const result = await this.store.request(
      {
        nip: employee.nip,
        fromAgencyCode: state.agencyCode,
        fromUnitCode: state.unitCode,
        ...to,
        effectiveDate,
        decreeNumber,
        requestedById: caller.id,
        requestedByName: caller.username,
      },
      [this.employees.audit(caller, 'employee.transfer.request', employee.nip, { from: state.agencyCode, to: to.toAgencyCode, toUnitCode: to.toUnitCode })],
    );
    if (!result.ok) throw conflict(`A transfer of ${employee.nip} is already waiting; cancel it first`);
    this.options.eventsWritten();
    return employee;
  }

  private async pending(nip: string): Promise<TransferRequest> {
    const request = await this.store.pendingFor(nip);
    if (!request) throw notFound(`No transfer of ${nip} is waiting for a decision`);
    return request;
  }

  private async requireReceiving(caller: Principal, employee: Employee, request: TransferRequest, action: string): Promise<void> {
    if (canDecideIncomingTransfer(caller, employee, request.toAgencyCode)) return;
    const self = isSelf(caller, employee.nip);
    await this.employees.deny(caller, action, employee.nip, self ? 'their own transfer' : 'not the receiving agency');
    throw forbidden(
      self ? 'Nobody decides their own transfer' : `A transfer into ${request.toAgencyCode} is decided by its HR_OFFICER or AGENCY_ADMIN, or a NATIONAL_ADMIN`,
    );
  }

  private async end(
    caller: Principal,
    employee: Employee,
    request: TransferRequest,
    status: 'REJECTED' | 'CANCELLED',
    reason: string | null,
  ): Promise<Employee> {
    const action = status === 'REJECTED' ? 'employee.transfer.reject' : 'employee.transfer.cancel';
    const ended = await this.store.decide({ id: request.id, status, decidedById: caller.id, decidedByName: caller.username, reason }, [
      this.employees.audit(caller, action, employee.nip, { from: request.fromAgencyCode, to: request.toAgencyCode, reason }),
    ]);
    if (!ended) throw conflict(`The transfer of ${employee.nip} was decided meanwhile; read it again`);
    this.options.eventsWritten();
    return employee;
  }
}

function checkReason(value: string | null | undefined): string | null {
  const trimmed = value?.trim() || null;
  if (trimmed && trimmed.length > MAX_REASON) throw badUserInput(`reason: at most ${MAX_REASON} characters`, { field: 'reason' });
  return trimmed;
}

function readCursor(key: string | undefined): { requestedAt: Date; id: string } | undefined {
  if (key === undefined) return undefined;
  const [at, id] = key.split('|');
  const requestedAt = new Date(at ?? '');
  if (!id || Number.isNaN(requestedAt.getTime())) throw badUserInput('after: not a cursor from this list', { field: 'after' });
  return { requestedAt, id };
}
