import { lookupKeys } from '@simpul/kit';
import type { AgencyKind } from '@simpul/contracts';
import type { ListUsersInput } from '../../users/user-manager.ts';
import type { Resolver } from './types.ts';
import type { AuditLogInput } from '../../audit/audit-manager.ts';

export const Query = {
  health: (() => 'ok') satisfies Resolver,
  me: ((_, __, { users, principal }) => users.me(principal)) satisfies Resolver,
  agencies: ((_, { kind }, { agencies, principal }) => agencies.list(principal, kind)) satisfies Resolver<unknown, { kind?: AgencyKind | null }>,
  agency: ((_, { code }, { agencies, principal }) => agencies.get(principal, code)) satisfies Resolver<unknown, { code: string }>,
  agenciesByCodes: ((_, { codes }, { agencies, principal }) => agencies.getMany(principal, codes)) satisfies Resolver<unknown, { codes: string[] }>,
  users: ((_, args, { users, principal }) => users.list(principal, args)) satisfies Resolver<unknown, ListUsersInput>,
  user: ((_, { username }, { users, principal }) => users.get(principal, username)) satisfies Resolver<unknown, { username: string }>,
  usersByIds: ((_, { ids }, { users, principal }) => users.getMany(principal, ids)) satisfies Resolver<unknown, { ids: string[] }>,
  _identityEmployees: ((_, { nips }) => lookupKeys(nips, 'nips').map((nip) => ({ nip }))) satisfies Resolver<unknown, { nips: string[] }>,
  unitsByKeys: ((_, { keys }, { units }) => units.getMany(keys)) satisfies Resolver<unknown, { keys: { agencyCode: string; code: string }[] }>,
  apiClients: ((_, { agencyCode }, { apiClients, principal }) => apiClients.list(principal, agencyCode)) satisfies Resolver<unknown, { agencyCode: string }>,
  apiClientStatus: ((_, { clientId }, { apiClients, principal }) => apiClients.status(principal, clientId)) satisfies Resolver<unknown, { clientId: string }>,
  auditLog: ((_, args, { auditLog, principal }) => auditLog.list(principal, args)) satisfies Resolver<unknown, AuditLogInput>,
};
