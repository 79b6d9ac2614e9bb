import type { Role, Subjects } from '@simpul/contracts';
import { badUserInput, conflict, forbidden, hasRole, notFound, requirePrincipal, type Principal, lookupKeys } from '@simpul/kit';
import type { User } from '../db.ts';
import type { AgencyManager } from '../agencies/agency-manager.ts';
import type { UnitManager } from '../units/unit-manager.ts';
import { hashPassword, verifyPassword } from '../auth/password.ts';
import { afterSuccess } from '../auth/login-throttle.ts';
import { canListAllUsers, canListUsersOf, canSeeUser, isNationalAdmin, NATIONAL_ROLES, requireAgencyManager } from '../auth/permissions.ts';
import { tokensRevoked, type RevocationReason } from '../auth/token-revocation.ts';
import { decodeCursor, encodeCursor, pageSize, toConnection, type Connection } from '@simpul/kit';
import * as valid from '../validation.ts';
import type { UserStore } from './user-store.ts';

export interface CreateUserInput {
  username: string;
  displayName: string;
  agencyCode: string;
  unitCode?: string | null;
  roles: readonly string[];
  password: string;
}

export interface ListUsersInput {
  agencyCode?: string | null;
  first?: number | null;
  after?: string | null;
}

export type UserStatus = User['status'];

export interface UserManagerOptions {
  subjects: Subjects;
  now: () => number;
  /** Called after a committed change wrote events to the outbox (the relay's nudge). */
  eventsWritten: () => void;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CURSOR_KIND = 'user';

/**
 * Rules for user accounts. An account (roles, status, last login) is seen by its owner
 * and by those who may list its agency's users: administrators, HR officers (own
 * agency) and auditors. An agency administrator manages the accounts of their own
 * agency, except accounts that hold national roles, and cannot grant those roles. A
 * change of roles or a disabled account revokes the account's tokens.
 */
export class UserManager {
  constructor(
    private readonly store: UserStore,
    private readonly agencies: AgencyManager,
    private readonly units: UnitManager,
    private readonly options: UserManagerOptions,
  ) {}

  /** The caller's own account; null when not logged in or calling as an API client. */
  async me(principal: Principal | null): Promise<User | null> {
    if (principal?.kind !== 'user') return null;
    return this.store.findById(principal.id);
  }

  /** The account, or null when there is none or the caller may not see it (the same answer, so names cannot be probed). */
  async get(principal: Principal | null, username: string): Promise<User | null> {
    const caller = requirePrincipal(principal);
    const name = valid.normalizeUsername(username);
    if (name.length > valid.MAX_USERNAME_LENGTH) return null;
    return this.visible(caller, await this.store.findByUsername(name));
  }

  /** Users in the order of `ids`, null for unknown ones and ones the caller may not see (the stitching lookup). */
  async getMany(principal: Principal | null, ids: readonly string[]): Promise<(User | null)[]> {
    const caller = requirePrincipal(principal);
    lookupKeys(ids, 'ids');
    const wanted = [...new Set(ids.filter((id) => UUID.test(id)))];
    const found = new Map((wanted.length ? await this.store.findByIds(wanted) : []).map((u) => [u.id, u]));
    return ids.map((id) => this.visible(caller, found.get(id) ?? null));
  }

  /** The account if the caller may see it, else null. */
  visible(principal: Principal | null, user: User | null): User | null {
    return user && canSeeUser(principal, user) ? user : null;
  }

  async list(principal: Principal | null, input: ListUsersInput): Promise<Connection<User>> {
    const caller = requirePrincipal(principal);
    const take = pageSize(input.first);
    const afterUsername = decodeCursor(CURSOR_KIND, input.after);
    let agencyCode = input.agencyCode ? valid.agencyCode(input.agencyCode) : undefined;
    if (!agencyCode && !canListAllUsers(caller)) agencyCode = caller.agencyCode;
    if (agencyCode ? !canListUsersOf(caller, agencyCode) : !canListAllUsers(caller)) {
      throw forbidden(
        hasRole(caller, 'AGENCY_ADMIN', 'HR_OFFICER')
          ? `You may list the users of ${caller.agencyCode} only`
          : 'Listing users needs NATIONAL_ADMIN or AUDITOR, or AGENCY_ADMIN or HR_OFFICER of the agency',
      );
    }
    const [rows, totalCount] = await Promise.all([this.store.page({ agencyCode, afterUsername, take: take + 1 }), this.store.count(agencyCode)]);
    return toConnection(rows, take, totalCount, (u) => encodeCursor(CURSOR_KIND, u.username));
  }

  async create(principal: Principal | null, input: CreateUserInput): Promise<User> {
    const username = valid.username(input.username);
    const displayName = valid.displayName(input.displayName, 'displayName');
    const agencyCode = valid.agencyCode(input.agencyCode);
    const unitCode = input.unitCode ? valid.unitCode(input.unitCode, 'unitCode') : null;
    const roles = valid.userRoles(input.roles);
    const password = valid.newPassword(input.password);
    const caller = requireAgencyManager(principal, agencyCode);
    checkGrantable(caller, roles);
    await this.agencies.require(agencyCode);
    const unit = unitCode ? await this.units.require(agencyCode, unitCode) : null;
    const result = await this.store.create({
      username,
      displayName,
      agencyCode,
      unitId: unit?.id ?? null,
      roles,
      passwordHash: await hashPassword(password),
    });
    if (!result.ok) throw conflict(`The user name "${username}" is taken`);
    return result.user;
  }

  async setRoles(principal: Principal | null, username: string, roles: readonly string[]): Promise<User> {
    const wanted = valid.userRoles(roles);
    const { caller, user } = await this.manageable(principal, username);
    if (user.id === caller.id) throw forbidden('You cannot change your own roles; ask another administrator');
    checkGrantable(caller, wanted);
    if (sameRoles(user.roles, wanted)) return user;
    // Tokens carry the roles: the old ones must stop working, not live until they expire.
    return this.changed(await this.store.setRoles(user.id, wanted, (u) => [this.revocation(u, 'ROLES_CHANGED')]));
  }

  async setStatus(principal: Principal | null, username: string, status: UserStatus): Promise<User> {
    if (status !== 'ACTIVE' && status !== 'DISABLED') throw badUserInput(`status: unknown status "${String(status)}"`);
    const { caller, user } = await this.manageable(principal, username);
    if (user.id === caller.id) throw forbidden('You cannot change your own status; ask another administrator');
    if (user.status === status) return user;
    if (status === 'ACTIVE') return this.store.setStatus(user.id, status);
    return this.changed(await this.store.setStatus(user.id, status, (u) => [this.revocation(u, 'USER_DISABLED')]));
  }

  private revocation(user: User, reason: RevocationReason) {
    return tokensRevoked(this.options.subjects, { id: user.id, kind: 'user' }, reason, new Date(this.options.now()));
  }

  private changed(user: User): User {
    this.options.eventsWritten();
    return user;
  }

  /** Lifts a login lock and forgets failed attempts. */
  async unlock(principal: Principal | null, username: string): Promise<User> {
    const { user } = await this.manageable(principal, username);
    return this.store.setLoginState(user.id, afterSuccess());
  }

  async resetPassword(principal: Principal | null, username: string, password: string): Promise<boolean> {
    const next = valid.newPassword(password, 'newPassword');
    const { user } = await this.passwordSettable(principal, username);
    await this.store.setPasswordHash(user.id, await hashPassword(next));
    return true;
  }

  async changePassword(principal: Principal | null, currentPassword: string, newPassword: string): Promise<boolean> {
    const caller = requirePrincipal(principal);
    if (caller.kind !== 'user') throw forbidden('API clients have no password; register a new client instead');
    const next = valid.newPassword(newPassword, 'newPassword');
    const user = await this.store.findById(caller.id);
    if (!user?.passwordHash || !(await verifyPassword(currentPassword, user.passwordHash))) {
      throw badUserInput('currentPassword: this is not your current password', { field: 'currentPassword' });
    }
    await this.store.setPasswordHash(user.id, await hashPassword(next));
    return true;
  }

  /**
   * The account whose password the caller may set: one they manage, or, for an HR
   * officer, an employee account (role EMPLOYEE only) of their own agency. Accounts
   * that personnel opens for new civil servants have no password until then.
   */
  private async passwordSettable(principal: Principal | null, username: string): Promise<{ caller: Principal; user: User }> {
    const caller = requirePrincipal(principal);
    if (hasRole(caller, 'NATIONAL_ADMIN', 'AGENCY_ADMIN') || !hasRole(caller, 'HR_OFFICER') || caller.kind !== 'user') {
      return this.manageable(principal, username);
    }
    const user = await this.store.findByUsername(valid.normalizeUsername(username));
    if (!user) throw notFound(`No user has the name "${username}"`);
    if (user.agencyCode !== caller.agencyCode || user.roles.some((r) => r !== 'EMPLOYEE')) {
      throw forbidden(`An HR officer sets the passwords of employee accounts (role EMPLOYEE only) of ${caller.agencyCode} only`);
    }
    return { caller, user };
  }

  /** The account named `username` if the caller may manage it. */
  private async manageable(principal: Principal | null, username: string): Promise<{ caller: Principal; user: User }> {
    const caller = requirePrincipal(principal);
    if (!hasRole(caller, 'NATIONAL_ADMIN', 'AGENCY_ADMIN')) {
      throw forbidden('Managing accounts needs NATIONAL_ADMIN, or AGENCY_ADMIN of the agency');
    }
    const user = await this.store.findByUsername(valid.normalizeUsername(username));
    if (!user) throw notFound(`No user has the name "${username}"`);
    requireAgencyManager(caller, user.agencyCode);
    if (!isNationalAdmin(caller) && user.roles.some((r) => NATIONAL_ROLES.includes(r))) {
      throw forbidden('Only a national administrator manages accounts that hold NATIONAL_ADMIN or AUDITOR');
    }
    return { caller, user };
  }
}

function sameRoles(a: readonly Role[], b: readonly Role[]): boolean {
  return a.length === b.length && a.every((r) => b.includes(r));
}

function checkGrantable(caller: Principal, roles: readonly Role[]): void {
  if (isNationalAdmin(caller)) return;
  const national = roles.filter((r) => NATIONAL_ROLES.includes(r));
  if (national.length > 0) throw forbidden(`Only a national administrator can grant ${national.join(', ')}`);
}
