import { notFound } from '@simpul/kit';
import type { Agency as AgencyRow, ApiClient as ApiClientRow, Unit as UnitRow, User as UserRow } from '../../db.ts';
import type { IdentityContext } from '../context.ts';
import { iso, type Resolver } from './types.ts';

async function agencyOf(code: string, { loaders }: IdentityContext): Promise<AgencyRow> {
  const agency = await loaders.agency(code);
  if (!agency) throw notFound(`No agency has the code "${code}"`);
  return agency;
}

export const Agency = {
  parent: ((agency, _, { loaders }) => (agency.parentCode ? loaders.agency(agency.parentCode) : null)) satisfies Resolver<AgencyRow>,
  children: ((agency, _, { loaders }) => loaders.agencyChildren(agency.code)) satisfies Resolver<AgencyRow>,
  units: ((agency, _, { loaders }) => loaders.agencyUnits(agency.code)) satisfies Resolver<AgencyRow>,
  unit: (async (agency, { code }, { loaders }) => (await loaders.agencyUnits(agency.code)).find((u) => u.code === code) ?? null) satisfies Resolver<
    AgencyRow,
    { code: string }
  >,
};

export const Unit = {
  agency: ((unit, _, context) => agencyOf(unit.agencyCode, context)) satisfies Resolver<UnitRow>,
  parent: (async (unit, _, { loaders }) =>
    unit.parentId ? ((await loaders.agencyUnits(unit.agencyCode)).find((u) => u.id === unit.parentId) ?? null) : null) satisfies Resolver<UnitRow>,
  children: (async (unit, _, { loaders }) => (await loaders.agencyUnits(unit.agencyCode)).filter((u) => u.parentId === unit.id)) satisfies Resolver<UnitRow>,
};

export const User = {
  agency: ((user, _, context) => agencyOf(user.agencyCode, context)) satisfies Resolver<UserRow>,
  unit: (async (user, _, { loaders }) =>
    user.unitId ? ((await loaders.agencyUnits(user.agencyCode)).find((u) => u.id === user.unitId) ?? null) : null) satisfies Resolver<UserRow>,
  lastLoginAt: ((user) => iso(user.lastLoginAt)) satisfies Resolver<UserRow>,
};

export const ApiClient = {
  agency: ((client, _, context) => agencyOf(client.agencyCode, context)) satisfies Resolver<ApiClientRow>,
  createdAt: ((client) => iso(client.createdAt)) satisfies Resolver<ApiClientRow>,
  revokedAt: ((client) => iso(client.revokedAt)) satisfies Resolver<ApiClientRow>,
};

/** Personnel's employees, joined to their accounts by NIP (= username); null for an account the caller may not see. */
export const Employee = {
  user: (async (employee, _, { loaders, principal, users }) =>
    principal ? users.visible(principal, await loaders.userByUsername(employee.nip)) : null) satisfies Resolver<{ nip: string }>,
};
