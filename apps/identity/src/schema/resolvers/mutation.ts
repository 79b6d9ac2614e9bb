import type { CreateAgencyInput, UpdateAgencyInput } from '../../agencies/agency-manager.ts';
import type { CreateUnitInput } from '../../units/unit-manager.ts';
import type { CreateUserInput, UserStatus } from '../../users/user-manager.ts';
import type { RegisterApiClientInput } from '../../api-clients/api-client-manager.ts';
import { iso, type Resolver } from './types.ts';

type Args<T> = Resolver<unknown, T>;

export const Mutation = {
  login: (async (_, { username, password }, { auth }) => {
    const { token, expiresAt, user } = await auth.login(username, password);
    return { token, expiresAt: iso(expiresAt), user };
  }) satisfies Args<{ username: string; password: string }>,

  issueClientToken: (async (_, { clientId, clientSecret }, { auth }) => {
    const { token, expiresAt } = await auth.issueClientToken(clientId, clientSecret);
    return { token, expiresAt: iso(expiresAt) };
  }) satisfies Args<{ clientId: string; clientSecret: string }>,

  createAgency: ((_, { input }, { agencies, principal }) => agencies.create(principal, input)) satisfies Args<{ input: CreateAgencyInput }>,
  updateAgency: ((_, { code, input }, { agencies, principal }) => agencies.update(principal, code, input)) satisfies Args<{
    code: string;
    input: UpdateAgencyInput;
  }>,
  createUnit: ((_, { input }, { units, principal }) => units.create(principal, input)) satisfies Args<{ input: CreateUnitInput }>,
  createUser: ((_, { input }, { users, principal }) => users.create(principal, input)) satisfies Args<{ input: CreateUserInput }>,
  setUserRoles: ((_, { username, roles }, { users, principal }) => users.setRoles(principal, username, roles)) satisfies Args<{
    username: string;
    roles: string[];
  }>,
  setUserStatus: ((_, { username, status }, { users, principal }) => users.setStatus(principal, username, status)) satisfies Args<{
    username: string;
    status: UserStatus;
  }>,
  unlockUser: ((_, { username }, { users, principal }) => users.unlock(principal, username)) satisfies Args<{ username: string }>,
  changePassword: ((_, { currentPassword, newPassword }, { users, principal }) =>
    users.changePassword(principal, currentPassword, newPassword)) satisfies Args<{ currentPassword: string; newPassword: string }>,
  resetPassword: ((_, { username, newPassword }, { users, principal }) =>
    users.resetPassword(principal, username, newPassword)) satisfies Args<{ username: string; newPassword: string }>,
  registerApiClient: ((_, { input }, { apiClients, principal }) => apiClients.register(principal, input)) satisfies Args<{
    input: RegisterApiClientInput;
  }>,
  revokeApiClient: ((_, { clientId }, { apiClients, principal }) => apiClients.revoke(principal, clientId)) satisfies Args<{
    clientId: string;
  }>,
  rotateSigningKey: (async (_, __, { auth, principal }) => {
    const info = await auth.rotateSigningKey(principal);
    return { ...info, createdAt: iso(info.createdAt) };
  }) satisfies Args<Record<string, never>>,
};
