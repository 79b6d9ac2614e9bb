import { createEvent, recordAudit } from '@simpul/bus';
import { AGENCY_CODE_PATTERN, ApplicationDesignated, ApplicationRegistered, ApplicationUpdated, type Subjects } from '@simpul/contracts';
import { badUserInput, conflict, decodeCursor, encodeCursor, notFound, pageSize, toConnection, type Connection, type Principal, searchText } from '@simpul/kit';
import type { Application, ExposedService, PrismaClient } from '../db.ts';
import { agencyManagerDenial, requireNationalAdmin, requireReader } from '../auth/permissions.ts';
import { isFunctionCode } from '../functions/taxonomy.ts';
import { parseServiceId, parseSubsystemId, subsystemOf } from './xroad.ts';
import type {
  ApplicationFields,
  ApplicationFilter,
  ApplicationHosting,
  ApplicationKind,
  ApplicationStatus,
  ApplicationStore,
  ServiceFields,
  WriteResult,
} from './application-store.ts';

export interface ExposedServiceInput {
  identifier: string;
  description?: string | null;
}

export interface RegisterApplicationInput {
  ownerAgencyCode: string;
  name: string;
  description: string;
  functionCodes: string[];
  status: ApplicationStatus;
  annualCostRupiah: string;
  hosting: ApplicationHosting;
  userCount: number;
  dataHeld?: string[] | null;
  subsystem?: string | null;
  services?: ExposedServiceInput[] | null;
}

export type UpdateApplicationInput = Partial<Omit<RegisterApplicationInput, 'ownerAgencyCode'>> & { subsystem?: string | null };

export interface ListApplicationsInput {
  agencyCode?: string | null;
  functionCode?: string | null;
  kind?: ApplicationKind | null;
  status?: ApplicationStatus | null;
  search?: string | null;
  first?: number | null;
  after?: string | null;
}

const STATUSES: readonly ApplicationStatus[] = ['PLANNED', 'IN_DEVELOPMENT', 'IN_PRODUCTION', 'RETIRED'];
const HOSTINGS: readonly ApplicationHosting[] = ['NATIONAL_DATA_CENTRE', 'AGENCY_OWN'];
/** 10 trillion rupiah a year: more than any single application could cost; catches typos. */
const MAX_ANNUAL_COST = 10_000_000_000_000n;

/**
 * Rules for catalogue entries: an agency administrator registers and changes their own
 * agency's applications, a national administrator any; only a national administrator
 * designates an aplikasi umum. Every change announces itself (application.registered,
 * .updated, .designated) so the duplicate analysis runs again.
 */
export class ApplicationManager {
  constructor(
    private readonly store: ApplicationStore,
    private readonly prisma: PrismaClient,
    private readonly subjects: Subjects,
    private readonly eventsWritten: () => void,
  ) {}

  async list(principal: Principal | null, input: ListApplicationsInput): Promise<Connection<Application>> {
    requireReader(principal);
    const take = pageSize(input.first);
    const cursor = decodeCursor('application', input.after);
    let after: { name: string; id: string } | undefined;
    if (cursor !== undefined) {
      const [name, id] = JSON.parse(cursor) as [string, string];
      after = { name, id };
    }
    const filter: ApplicationFilter = {};
    if (input.agencyCode) filter.agencyCode = input.agencyCode;
    if (input.functionCode) filter.functionCode = functionCode(input.functionCode, 'functionCode');
    if (input.kind) filter.kind = input.kind;
    if (input.status) filter.status = input.status;
    const search = searchText(input.search);
    if (search) filter.search = search;
    const { rows, totalCount } = await this.store.page(filter, take, after);
    return toConnection(rows, take, totalCount, (row) => encodeCursor('application', JSON.stringify([row.name, row.id])));
  }

  async get(principal: Principal | null, id: string): Promise<Application | null> {
    requireReader(principal);
    if (!isUuid(id)) return null;
    return this.store.findById(id);
  }

  async register(principal: Principal | null, input: RegisterApplicationInput): Promise<Application> {
    const caller = requireReader(principal);
    const owner = agencyCode(input.ownerAgencyCode, 'ownerAgencyCode');
    await this.checkManager(caller, owner, 'application.register', `agency:${owner}`);
    const fields: ApplicationFields = {
      ownerAgencyCode: owner,
      name: text(input.name, 'name', 120),
      description: text(input.description, 'description', 4000),
      functionCodes: functionCodes(input.functionCodes),
      status: oneOf(input.status, STATUSES, 'status'),
      annualCostRupiah: rupiah(input.annualCostRupiah),
      hosting: oneOf(input.hosting, HOSTINGS, 'hosting'),
      userCount: userCount(input.userCount),
      dataHeld: dataHeld(input.dataHeld ?? []),
      subsystem: input.subsystem ? subsystem(input.subsystem, owner) : null,
    };
    const services = exposedServices(input.services ?? [], fields.subsystem);
    const result = await this.store.create(fields, services, (row) => createEvent(this.subjects, ApplicationRegistered, eventData(row)));
    return this.written(result);
  }

  async update(principal: Principal | null, id: string, input: UpdateApplicationInput): Promise<Application> {
    const caller = requireReader(principal);
    const current = await this.require(id);
    await this.checkManager(caller, current.ownerAgencyCode, 'application.update', `application:${id}`);
    const changes: Partial<ApplicationFields> = {};
    if (input.name != null) changes.name = text(input.name, 'name', 120);
    if (input.description != null) changes.description = text(input.description, 'description', 4000);
    if (input.functionCodes != null) changes.functionCodes = functionCodes(input.functionCodes);
    if (input.status != null) changes.status = oneOf(input.status, STATUSES, 'status');
    if (input.annualCostRupiah != null) changes.annualCostRupiah = rupiah(input.annualCostRupiah);
    if (input.hosting != null) changes.hosting = oneOf(input.hosting, HOSTINGS, 'hosting');
    if (input.userCount != null) changes.userCount = userCount(input.userCount);
    if (input.dataHeld != null) changes.dataHeld = dataHeld(input.dataHeld);
    if (input.subsystem !== undefined) changes.subsystem = input.subsystem ? subsystem(input.subsystem, current.ownerAgencyCode) : null;
    const nextSubsystem = changes.subsystem !== undefined ? changes.subsystem : current.subsystem;
    let services: ServiceFields[] | undefined;
    if (input.services != null) services = exposedServices(input.services, nextSubsystem);
    else if (changes.subsystem !== undefined && changes.subsystem !== current.subsystem) {
      const existing = await this.store.servicesOf([id]);
      if (existing.length) {
        throw badUserInput('services: the application exposes services under its old subsystem; send its services with the new one', { field: 'services' });
      }
    }
    const result = await this.store.update(id, changes, services, (row) => createEvent(this.subjects, ApplicationUpdated, eventData(row)));
    return this.written(result);
  }

  /** Makes an application an aplikasi umum (audited); designating one twice changes nothing. */
  async designate(principal: Principal | null, id: string): Promise<Application> {
    let caller: Principal;
    try {
      caller = requireNationalAdmin(principal);
    } catch (error) {
      if (principal) await this.audit(principal, 'application.designate', `application:${id}`, 'DENIED');
      throw error;
    }
    const current = await this.require(id);
    if (current.kind === 'UMUM') return current;
    if (current.status === 'RETIRED') throw badUserInput('id: a retired application cannot become an aplikasi umum', { field: 'id' });
    const row = await this.store.designate(
      id,
      (row) => createEvent(this.subjects, ApplicationDesignated, { ...eventData(row), functionCodes: row.functionCodes }),
      (tx, row) =>
        recordAudit(
          tx,
          this.subjects,
          'registry',
          auditEntry(caller, 'application.designate', `application:${id}`, 'SUCCESS', { name: row.name, functionCodes: row.functionCodes }),
        ),
    );
    this.eventsWritten();
    return row;
  }

  async require(id: string, field = 'id'): Promise<Application> {
    const row = isUuid(id) ? await this.store.findById(id) : null;
    if (!row) throw notFound(`No application has the ${field} "${id}"`);
    return row;
  }

  servicesOf(ids: readonly string[]): Promise<ExposedService[]> {
    return this.store.servicesOf(ids);
  }

  /** FORBIDDEN (audited as a denial) unless the caller administers the agency. */
  private async checkManager(caller: Principal, agency: string, action: string, target: string): Promise<void> {
    const denial = agencyManagerDenial(caller, agency);
    if (!denial) return;
    await this.audit(caller, action, target, 'DENIED');
    throw denial;
  }

  private async audit(caller: Principal, action: string, target: string, outcome: 'DENIED' | 'SUCCESS'): Promise<void> {
    await recordAudit(this.prisma, this.subjects, 'registry', auditEntry(caller, action, target, outcome));
    this.eventsWritten();
  }

  private written(result: WriteResult): Application {
    if (!result.ok) {
      if (result.target.includes('subsystem')) throw conflict('subsystem: another application already uses this subsystem identifier');
      if (result.target.includes('identifier')) throw conflict('services: another application already exposes this service identifier');
      throw conflict('name: the agency already has an application with this name');
    }
    this.eventsWritten();
    return result.application;
  }
}

export function auditEntry(caller: Principal, action: string, target: string, outcome: 'DENIED' | 'SUCCESS', detail: Record<string, unknown> = {}) {
  return {
    action,
    outcome,
    actorId: caller.id,
    actorName: caller.username,
    actorAgencyCode: caller.agencyCode,
    target,
    sourceAddress: null,
    detail,
  };
}

function eventData(row: Application) {
  return { id: row.id, ownerAgencyCode: row.ownerAgencyCode, name: row.name };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

function agencyCode(value: string, field: string): string {
  if (!AGENCY_CODE_PATTERN.test(value)) throw badUserInput(`${field}: "${value}" is not a valid agency code`, { field });
  return value;
}

function text(value: string, field: string, max: number): string {
  const trimmed = value.trim();
  if (trimmed.length < 1 || trimmed.length > max) throw badUserInput(`${field}: must be 1-${max} characters`, { field });
  return trimmed;
}

function functionCode(value: string, field: string): string {
  if (!isFunctionCode(value))
    throw badUserInput(`${field}: "${value}" is not a business function of the reference taxonomy (see businessFunctions)`, { field });
  return value;
}

function functionCodes(values: readonly string[]): string[] {
  if (values.length === 0) throw badUserInput('functionCodes: name at least one business function', { field: 'functionCodes' });
  return [...new Set(values.map((v) => functionCode(v, 'functionCodes')))];
}

function oneOf<T extends string>(value: string, allowed: readonly T[], field: string): T {
  if (!(allowed as readonly string[]).includes(value)) throw badUserInput(`${field}: must be one of ${allowed.join(', ')}`, { field });
  return value as T;
}

/** Whole rupiah as digits (no decimals, no separators): money is never a float. */
export function rupiah(value: string, field = 'annualCostRupiah'): bigint {
  const trimmed = String(value).trim();
  if (!/^\d{1,16}$/.test(trimmed)) throw badUserInput(`${field}: whole rupiah as digits only, e.g. "1250000000"`, { field });
  const amount = BigInt(trimmed);
  if (amount > MAX_ANNUAL_COST) throw badUserInput(`${field}: more than ${MAX_ANNUAL_COST} rupiah a year is not plausible`, { field });
  return amount;
}

function userCount(value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > 300_000_000)
    throw badUserInput('userCount: a whole number from 0 to 300,000,000', { field: 'userCount' });
  return value;
}

function dataHeld(values: readonly string[]): string[] {
  if (values.length > 50) throw badUserInput('dataHeld: at most 50 entries', { field: 'dataHeld' });
  return [...new Set(values.map((v) => text(v, 'dataHeld', 200)))];
}

function subsystem(value: string, owner: string): string {
  const parsed = parseSubsystemId(value.trim());
  if (!parsed.ok) throw badUserInput(`subsystem: "${value}" ${parsed.reason}`, { field: 'subsystem' });
  if (parsed.value.memberCode !== owner) {
    throw badUserInput(`subsystem: the member code must be the owner agency's code ${owner}, not ${parsed.value.memberCode}`, { field: 'subsystem' });
  }
  return value.trim();
}

function exposedServices(inputs: readonly ExposedServiceInput[], ownSubsystem: string | null): ServiceFields[] {
  if (inputs.length === 0) return [];
  if (!ownSubsystem) throw badUserInput('services: an application exposes services only once it has a subsystem identifier', { field: 'services' });
  const seen = new Set<string>();
  return inputs.map((input) => {
    const identifier = input.identifier.trim();
    const parsed = parseServiceId(identifier);
    if (!parsed.ok) throw badUserInput(`services: "${identifier}" ${parsed.reason}`, { field: 'services' });
    if (subsystemOf(parsed.value) !== ownSubsystem) {
      throw badUserInput(`services: "${identifier}" is not under the application's subsystem ${ownSubsystem}`, { field: 'services' });
    }
    if (seen.has(identifier)) throw badUserInput(`services: "${identifier}" is listed twice`, { field: 'services' });
    seen.add(identifier);
    return { identifier, description: input.description?.trim() ?? '' };
  });
}
