import { notFound, lookupKeys } from '@simpul/kit';
import { PNS_RANKS, PPPK_RANKS } from '../../domain/ranks.ts';
import { POSITION_TYPE_INFO } from '../../domain/positions.ts';
import { parseNip } from '../../domain/nip.ts';
import type { ListEmployeesInput } from '../../employees/employee-manager.ts';
import type { ListPendingTransfersInput } from '../../transfers/transfer-manager.ts';
import type { Resolver } from './types.ts';

export const Query = {
  employee: ((_, { nip }, { employees, principal }) => employees.get(principal, nip)) satisfies Resolver<unknown, { nip: string }>,
  employees: ((_, args, { employees, principal }) => employees.list(principal, args)) satisfies Resolver<unknown, ListEmployeesInput>,
  // The gateway's merged lookups land here (Document.author, …). A record the caller may
  // not read, or that does not exist, is a NOT_FOUND error in its place rather than null:
  // null would break the Employee's non-null fields and reach the client as an internal
  // error, while an error item becomes a clean null with a code on that path alone. Both
  // cases read the same, so a refusal does not reveal that the NIP exists.
  employeesByNips: (async (_, { nips }, { employees, principal }) =>
    (await employees.getMany(principal, nips)).map((employee, i) => employee ?? notFound(`employee ${nips[i]}: no record you may read`))) satisfies Resolver<
    unknown,
    { nips: string[] }
  >,
  retirementsDue: ((_, { months, agencyCode }, { employees, principal }) => employees.retirementsDue(principal, months, agencyCode)) satisfies Resolver<
    unknown,
    { months: number; agencyCode?: string | null }
  >,
  // The counts are resolved per field (EmployeeHeadcount), so only what is asked is counted.
  employeeHeadcount: ((_, { agencyCode, status }) => ({ agencyCode: agencyCode ?? undefined, status: status ?? undefined })) satisfies Resolver<
    unknown,
    { agencyCode?: string | null; status?: 'ACTIVE' | 'RETIRED' | null }
  >,
  rankLadder: ((_, { scheme }) => (scheme === 'PNS' ? PNS_RANKS : scheme === 'PPPK' ? PPPK_RANKS : [...PNS_RANKS, ...PPPK_RANKS])) satisfies Resolver<
    unknown,
    { scheme?: 'PNS' | 'PPPK' | null }
  >,
  positionTypes: (() => Object.values(POSITION_TYPE_INFO)) satisfies Resolver,
  checkNip: ((_, { nip }, { employees }) => {
    const result = parseNip(nip, employees.today());
    return result.ok ? { valid: true, ...result.parts } : { valid: false, segment: result.segment, message: result.message };
  }) satisfies Resolver<unknown, { nip: string }>,
  pendingTransfers: ((_, args, { transfers, principal }) => transfers.list(principal, args)) satisfies Resolver<unknown, ListPendingTransfersInput>,
  _personnelAgencies: ((_, { codes }) => lookupKeys(codes, 'codes').map((code) => ({ code }))) satisfies Resolver<unknown, { codes: string[] }>,
  _personnelUsers: ((_, { usernames }) => lookupKeys(usernames, 'usernames').map((username) => ({ username }))) satisfies Resolver<
    unknown,
    { usernames: string[] }
  >,
};
