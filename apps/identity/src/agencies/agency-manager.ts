import { createEvent } from '@simpul/bus';
import { AGENCY_KINDS, AgencyCreated, AgencyUpdated, type AgencyKind, type EventData, type Subjects } from '@simpul/contracts';
import { badUserInput, conflict, notFound, type Principal, lookupKeys } from '@simpul/kit';
import type { Agency } from '../db.ts';
import { requireNationalAdmin } from '../auth/permissions.ts';
import * as valid from '../validation.ts';
import type { AgencyChanges, AgencyStore } from './agency-store.ts';

export interface CreateAgencyInput {
  code: string;
  name: string;
  kind: AgencyKind;
  parentCode?: string | null;
}

export interface UpdateAgencyInput {
  name?: string | null;
  kind?: AgencyKind | null;
  parentCode?: string | null;
}

/**
 * Rules for agencies. Any logged-in caller reads them; only a national administrator
 * creates or changes one. Only a regency or city has a parent, and it is a province.
 */
export class AgencyManager {
  constructor(
    private readonly store: AgencyStore,
    private readonly subjects: Subjects,
    /** Called after a committed change wrote events (the outbox relay's nudge). */
    private readonly eventsWritten: () => void,
  ) {}

  // Agencies and their units are public: the structure of government is published
  // information, a login page needs it, and a printed letter's verification (no login)
  // names the agency. So reads need no principal; changes do.
  async list(_principal: Principal | null, kind?: AgencyKind | null): Promise<Agency[]> {
    return this.store.list(kind ?? undefined);
  }

  /** The agency, or null when there is none with this code. */
  async get(_principal: Principal | null, code: string): Promise<Agency | null> {
    return this.store.findByCode(code);
  }

  /** Agencies in the order of `codes`, null for unknown ones (the stitching lookup). */
  async getMany(_principal: Principal | null, codes: readonly string[]): Promise<(Agency | null)[]> {
    lookupKeys(codes, 'codes');
    const found = new Map((await this.store.findByCodes([...new Set(codes)])).map((a) => [a.code, a]));
    return codes.map((code) => found.get(code) ?? null);
  }

  /** The agency, or NOT_FOUND for a mutation that names one that does not exist. */
  async require(code: string, field = 'agencyCode'): Promise<Agency> {
    valid.agencyCode(code, field);
    const agency = await this.store.findByCode(code);
    if (!agency) throw notFound(`No agency has the code "${code}"`);
    return agency;
  }

  async create(principal: Principal | null, input: CreateAgencyInput): Promise<Agency> {
    requireNationalAdmin(principal);
    const agency = {
      code: valid.agencyCode(input.code, 'code'),
      name: valid.displayName(input.name, 'name'),
      kind: agencyKind(input.kind),
      parentCode: input.parentCode ? valid.agencyCode(input.parentCode, 'parentCode') : null,
    };
    await this.checkParent(agency.kind, agency.parentCode);
    const result = await this.store.create(agency, createEvent(this.subjects, AgencyCreated, agency));
    if (!result.ok) throw conflict(`An agency with the code "${agency.code}" already exists`);
    this.eventsWritten();
    return result.agency;
  }

  async update(principal: Principal | null, code: string, input: UpdateAgencyInput): Promise<Agency> {
    requireNationalAdmin(principal);
    const current = await this.require(code, 'code');
    const changes: AgencyChanges = {};
    if (input.name != null) changes.name = valid.displayName(input.name, 'name');
    if (input.kind != null) changes.kind = agencyKind(input.kind);
    if (input.parentCode !== undefined) {
      changes.parentCode = input.parentCode === null ? null : valid.agencyCode(input.parentCode, 'parentCode');
    }
    const next = { ...current, ...changes };
    if (next.name === current.name && next.kind === current.kind && next.parentCode === current.parentCode) return current;
    if (next.parentCode === code) throw badUserInput('parentCode: an agency cannot be its own parent', { field: 'parentCode' });
    await this.checkParent(next.kind, next.parentCode);
    if (current.kind === 'PROVINCE' && next.kind !== 'PROVINCE' && (await this.store.countChildren(code)) > 0) {
      throw badUserInput('kind: this province still has regencies or cities under it', { field: 'kind' });
    }
    const updated = await this.store.update(code, changes, (row) => createEvent(this.subjects, AgencyUpdated, eventData(row)));
    this.eventsWritten();
    return updated;
  }

  private async checkParent(kind: AgencyKind, parentCode: string | null): Promise<void> {
    if (parentCode === null) return;
    if (kind !== 'REGENCY' && kind !== 'CITY') {
      throw badUserInput(`parentCode: only a regency or city has a parent agency, not a ${kind.toLowerCase()}`, { field: 'parentCode' });
    }
    const parent = await this.require(parentCode, 'parentCode');
    if (parent.kind !== 'PROVINCE') {
      throw badUserInput(`parentCode: the parent of a regency or city is a province; ${parent.code} is a ${parent.kind.toLowerCase()}`, {
        field: 'parentCode',
      });
    }
  }
}

function agencyKind(value: string): AgencyKind {
  if (!(AGENCY_KINDS as readonly string[]).includes(value)) throw badUserInput(`kind: unknown agency kind "${value}"`, { field: 'kind' });
  return value as AgencyKind;
}

export function eventData(agency: Agency): EventData<typeof AgencyCreated> {
  return { code: agency.code, name: agency.name, kind: agency.kind, parentCode: agency.parentCode };
}
