import type { CareerEvent as CareerEventRow, Employee as EmployeeRow, TransferRequest as TransferRequestRow } from '../../db.ts';
import { fromDbDate, addYears, formatDate } from '../../domain/dates.ts';
import { POSITION_TYPE_INFO } from '../../domain/positions.ts';
import { findRank, TOP_RANK } from '../../domain/ranks.ts';
import { YEARS_IN_RANK } from '../../domain/promotion.ts';
import type { EmployeeFilter, HeadcountDimension } from '../../employees/employee-store.ts';
import type { ListEmployeesInput } from '../../employees/employee-manager.ts';
import type { Resolver } from './types.ts';

const date = (value: Date | null) => (value ? fromDbDate(value) : null);
const rankOf = (code: string) => findRank(code) ?? { code, title: null, step: 0, scheme: 'PNS' };

export const Employee = {
  birthDate: ((e) => date(e.birthDate)) satisfies Resolver<EmployeeRow>,
  agency: ((e) => ({ code: e.agencyCode })) satisfies Resolver<EmployeeRow>,
  unit: ((e) => (e.unitCode ? { agencyCode: e.agencyCode, code: e.unitCode } : null)) satisfies Resolver<EmployeeRow>,
  rank: ((e) => rankOf(e.rank)) satisfies Resolver<EmployeeRow>,
  rankTmt: ((e) => date(e.rankTmt)) satisfies Resolver<EmployeeRow>,
  promotionDueOn: ((e) => {
    if (e.asnStatus !== 'PNS' || e.rank === TOP_RANK || e.status !== 'ACTIVE') return null;
    const tmt = e.rankTmt;
    return formatDate(addYears({ year: tmt.getUTCFullYear(), month: tmt.getUTCMonth() + 1, day: tmt.getUTCDate() }, YEARS_IN_RANK));
  }) satisfies Resolver<EmployeeRow>,
  position: ((e) => ({ ...POSITION_TYPE_INFO[e.positionType], name: e.positionName })) satisfies Resolver<EmployeeRow>,
  retirementDate: ((e) => date(e.retirementDate)) satisfies Resolver<EmployeeRow>,
  retiredOn: ((e) => date(e.retiredOn)) satisfies Resolver<EmployeeRow>,
  careerHistory: ((e, _, { loaders }) => loaders.history(e.nip)) satisfies Resolver<EmployeeRow>,
  pendingTransfer: ((e, _, { loaders }) => loaders.pendingTransfer(e.nip)) satisfies Resolver<EmployeeRow>,
};

// Whoever may list or read a pending transfer may read its employee (see EmployeeManager.getMany).
export const PendingTransfer = {
  employee: ((r, _, { loaders }) => loaders.employee(r.nip)) satisfies Resolver<TransferRequestRow>,
  fromAgency: ((r) => ({ code: r.fromAgencyCode })) satisfies Resolver<TransferRequestRow>,
  toAgency: ((r) => ({ code: r.toAgencyCode })) satisfies Resolver<TransferRequestRow>,
  toUnit: ((r) => (r.toUnitCode ? { agencyCode: r.toAgencyCode, code: r.toUnitCode } : null)) satisfies Resolver<TransferRequestRow>,
  effectiveDate: ((r) => date(r.effectiveDate)) satisfies Resolver<TransferRequestRow>,
  requestedBy: ((r) => r.requestedByName) satisfies Resolver<TransferRequestRow>,
  requestedAt: ((r) => r.requestedAt.toISOString()) satisfies Resolver<TransferRequestRow>,
};

export const CareerEvent = {
  effectiveDate: ((e) => date(e.effectiveDate)) satisfies Resolver<CareerEventRow>,
  recordedBy: ((e) => e.recordedByName) satisfies Resolver<CareerEventRow>,
  recordedAt: ((e) => e.recordedAt.toISOString()) satisfies Resolver<CareerEventRow>,
  agency: ((e) => (e.agencyCode ? { code: e.agencyCode } : null)) satisfies Resolver<CareerEventRow>,
  rank: ((e) => (e.rank ? rankOf(e.rank) : null)) satisfies Resolver<CareerEventRow>,
};

type HeadcountParent = Pick<EmployeeFilter, 'agencyCode' | 'status'>;
const counted =
  (dimension: HeadcountDimension, map: (key: string, count: number) => unknown): Resolver<HeadcountParent> =>
  async (filter, _, { employees, principal }) =>
    (await employees.headcount(principal, dimension, filter)).map((g) => map(g.key, g.count));

export const EmployeeHeadcount = {
  total: ((filter, _, { employees, principal }) => employees.total(principal, filter)) satisfies Resolver<HeadcountParent>,
  byAgency: counted('agencyCode', (code, count) => ({ agency: { code }, count })),
  byRank: counted('rank', (code, count) => ({ rank: rankOf(code), count })),
  byPositionType: counted('positionType', (positionType, count) => ({ positionType, count })),
};

export const Agency = {
  employees: ((agency, args, { employees, principal }) => employees.list(principal, { ...args, agencyCode: agency.code })) satisfies Resolver<
    { code: string },
    Omit<ListEmployeesInput, 'agencyCode'>
  >,
};

export const User = {
  employee: ((user, _, { loaders }) => loaders.employee(user.username)) satisfies Resolver<{ username: string }>,
};
