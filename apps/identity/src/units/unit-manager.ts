import { conflict, lookupKeys, notFound, type Principal } from '@simpul/kit';
import type { Unit } from '../db.ts';
import type { AgencyManager } from '../agencies/agency-manager.ts';
import { requireAgencyManager } from '../auth/permissions.ts';
import * as valid from '../validation.ts';
import type { UnitStore } from './unit-store.ts';

export interface CreateUnitInput {
  agencyCode: string;
  code: string;
  name: string;
  /** Code of the parent unit in the same agency; none for a top-level unit. */
  parentCode?: string | null;
}

/** Rules for work units: administrators of the agency (or national ones) create them. */
export class UnitManager {
  constructor(
    private readonly store: UnitStore,
    private readonly agencies: AgencyManager,
  ) {}

  async create(principal: Principal | null, input: CreateUnitInput): Promise<Unit> {
    const agencyCode = valid.agencyCode(input.agencyCode);
    const code = valid.unitCode(input.code);
    const name = valid.displayName(input.name);
    const parentCode = input.parentCode ? valid.unitCode(input.parentCode, 'parentCode') : null;
    requireAgencyManager(principal, agencyCode);
    await this.agencies.require(agencyCode);
    const parent = parentCode ? await this.require(agencyCode, parentCode) : null;
    const result = await this.store.create({ agencyCode, code, name, parentId: parent?.id ?? null });
    if (!result.ok) throw conflict(`${agencyCode} already has a unit with the code "${code}"`);
    return result.unit;
  }

  /**
   * Units in the order of `keys`, null for unknown ones (the stitching lookup). Units,
   * like agencies, are public.
   */
  async getMany(keys: readonly { agencyCode: string; code: string }[]): Promise<(Unit | null)[]> {
    lookupKeys(keys, 'keys');
    const units = await this.store.listByAgencies([...new Set(keys.map((k) => k.agencyCode))]);
    const found = new Map(units.map((u) => [`${u.agencyCode}\u0000${u.code}`, u]));
    return keys.map((k) => found.get(`${k.agencyCode}\u0000${k.code}`) ?? null);
  }

  /** The unit, or NOT_FOUND naming the agency and code. */
  async require(agencyCode: string, code: string): Promise<Unit> {
    const unit = await this.store.findByCode(agencyCode, code);
    if (!unit) throw notFound(`${agencyCode} has no unit with the code "${code}"`);
    return unit;
  }
}
