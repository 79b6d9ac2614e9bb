import type { CreateAgencyInput, UpdateAgencyInput } from '../../agencies/agency-manager.ts';
import type { CreateUnitInput } from '../../units/unit-manager.ts';
import type { CreateUserInput, UserStatus } from '../../users/user-manager.ts';
import type { RegisterApiClientInput } from '../../api-clients/api-client-manager.ts';
import type { SessionTokens } from '../../sessions/session-manager.ts';
import * as valid from '../../validation.ts';
import { iso, type Resolver } from './types.ts';
import { audited } from './audited.ts';

type Args<T = Record<string, never>> = Resolver<unknown, T>;

function authPayload(session: SessionTokens) {
  return {
    token: session.token,
    expiresAt: iso(session.expiresAt),
    refreshToken: session.refreshToken,
    sessionExpiresAt: iso(session.sessionExpiresAt),
    user: session.user,
  };
}

// What a caller typed goes into the append-only audit log (target, actor name, detail),
// so every such argument is checked (BAD_USER_INPUT) before the audit entry is made.

export const Mutation = {
  login: (async (_, args, ctx) => {
    const username = valid.givenUsername(args.username);
    const password = valid.givenSecret(args.password);
    const session = await audited(
      ctx,
      { action: 'auth.login', target: `user:${username}`, actor: { id: null, name: username, agencyCode: null } },
      () => ctx.auth.login(username, password),
      (r) => ({ actor: { id: r.user.id, name: r.user.username, agencyCode: r.user.agencyCode } }),
    );
    return authPayload(session);
  }) satisfies Args<{ username: string; password: string }>,

  refreshSession: (async (_, args, ctx) => {
    const session = await audited(
      ctx,
      { action: 'auth.session.refresh', target: null, actor: { id: null, name: null, agencyCode: null } },
      () => ctx.sessions.refresh(args.refreshToken),
      (r) => ({ target: `user:${r.user.username}`, actor: { id: r.user.id, name: r.user.username, agencyCode: r.user.agencyCode } }),
    );
    return authPayload(session);
  }) satisfies Args<{ refreshToken: string }>,

  logout: ((_, args, ctx) => ctx.sessions.logout(ctx.principal, args.refreshToken)) satisfies Args<{ refreshToken?: string | null }>,

  logoutEverywhere: ((_, _args, ctx) =>
    audited(ctx, { action: 'auth.logout-everywhere', target: ctx.principal ? `user:${ctx.principal.username}` : null }, () =>
      ctx.sessions.logoutEverywhere(ctx.principal),
    )) satisfies Args,

  issueClientToken: (async (_, args, ctx) => {
    const clientId = valid.givenClientId(args.clientId);
    const clientSecret = valid.givenSecret(args.clientSecret, 'clientSecret');
    const { token, expiresAt } = await audited(
      ctx,
      { action: 'auth.client-token', target: `apiClient:${clientId}`, actor: { id: null, name: clientId, agencyCode: null } },
      () => ctx.auth.issueClientToken(clientId, clientSecret),
      (r) => ({ actor: { id: r.client.id, name: r.client.clientId, agencyCode: r.client.agencyCode } }),
    );
    return { token, expiresAt: iso(expiresAt) };
  }) satisfies Args<{ clientId: string; clientSecret: string }>,

  createAgency: ((_, { input }, { agencies, principal }) => agencies.create(principal, input)) satisfies Args<{ input: CreateAgencyInput }>,
  updateAgency: ((_, { code, input }, { agencies, principal }) => agencies.update(principal, code, input)) satisfies Args<{
    code: string;
    input: UpdateAgencyInput;
  }>,
  createUnit: ((_, { input }, { units, principal }) => units.create(principal, input)) satisfies Args<{ input: CreateUnitInput }>,
  createUser: ((_, { input }, { users, principal }) => users.create(principal, input)) satisfies Args<{ input: CreateUserInput }>,
  setUserRoles: ((_, args, ctx) => {
    const username = valid.givenUsername(args.username);
    const roles = valid.userRoles(args.roles);
    return audited(ctx, { action: 'user.roles.set', target: `user:${username}`, detail: { roles } }, () => ctx.users.setRoles(ctx.principal, username, roles));
  }) satisfies Args<{
    username: string;
    roles: string[];
  }>,
  setUserStatus: ((_, { username: given, status }, ctx) => {
    const username = valid.givenUsername(given);
    return audited(ctx, { action: 'user.status.set', target: `user:${username}`, detail: { status } }, () =>
      ctx.users.setStatus(ctx.principal, username, status),
    );
  }) satisfies Args<{
    username: string;
    status: UserStatus;
  }>,
  unlockUser: ((_, { username }, { users, principal }) => users.unlock(principal, username)) satisfies Args<{ username: string }>,
  changePassword: ((_, { currentPassword, newPassword }, { users, principal }) =>
    users.changePassword(principal, currentPassword, newPassword)) satisfies Args<{ currentPassword: string; newPassword: string }>,
  resetPassword: ((_, { username: given, newPassword }, ctx) => {
    const username = valid.givenUsername(given);
    return audited(ctx, { action: 'user.password.reset', target: `user:${username}` }, () => ctx.users.resetPassword(ctx.principal, username, newPassword));
  }) satisfies Args<{ username: string; newPassword: string }>,
  registerApiClient: ((_, { input }, ctx) => {
    const checked = { agencyCode: valid.agencyCode(input.agencyCode), name: valid.displayName(input.name) };
    return audited(
      ctx,
      { action: 'api-client.register', target: `agency:${checked.agencyCode}`, detail: { name: checked.name } },
      () => ctx.apiClients.register(ctx.principal, checked),
      (r) => ({ target: `apiClient:${r.clientId}` }),
    );
  }) satisfies Args<{
    input: RegisterApiClientInput;
  }>,
  revokeApiClient: ((_, args, ctx) => {
    const clientId = valid.givenClientId(args.clientId);
    return audited(ctx, { action: 'api-client.revoke', target: `apiClient:${clientId}` }, () => ctx.apiClients.revoke(ctx.principal, clientId));
  }) satisfies Args<{
    clientId: string;
  }>,
  rotateSigningKey: (async (_, __, ctx) => {
    const info = await audited(
      ctx,
      { action: 'signing-key.rotate', target: null },
      () => ctx.auth.rotateSigningKey(ctx.principal),
      (r) => ({ target: `signingKey:${r.kid}`, detail: { retiredKid: r.retiredKid } }),
    );
    return { ...info, createdAt: iso(info.createdAt) };
  }) satisfies Args<Record<string, never>>,
};
