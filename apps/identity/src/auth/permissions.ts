import type { Role } from '@simpul/contracts';
import { forbidden, hasRole, requirePrincipal, type Principal } from '@simpul/kit';

/**
 * Who may do what in identity. NATIONAL_ADMIN manages everything; AGENCY_ADMIN
 * manages the users, units and API clients of their own agency only.
 */

/** Roles that reach beyond one agency, so only a national administrator grants them. */
export const NATIONAL_ROLES: readonly Role[] = ['NATIONAL_ADMIN', 'AUDITOR', 'OPERATOR', 'DUPLICATE_REVIEWER'];

export function isNationalAdmin(principal: Principal | null): boolean {
  return hasRole(principal, 'NATIONAL_ADMIN');
}

export function canManageAgency(principal: Principal | null, agencyCode: string): boolean {
  return isNationalAdmin(principal) || (hasRole(principal, 'AGENCY_ADMIN') && principal?.agencyCode === agencyCode);
}

/** The caller if they manage `agencyCode`, else UNAUTHENTICATED or FORBIDDEN. */
export function requireAgencyManager(principal: Principal | null, agencyCode: string): Principal {
  const caller = requirePrincipal(principal);
  if (!canManageAgency(caller, agencyCode)) {
    throw forbidden(
      hasRole(caller, 'AGENCY_ADMIN')
        ? `You administer ${caller.agencyCode} only, not ${agencyCode}`
        : 'This needs the role NATIONAL_ADMIN, or AGENCY_ADMIN of the agency concerned',
    );
  }
  return caller;
}

export function requireNationalAdmin(principal: Principal | null): Principal {
  const caller = requirePrincipal(principal);
  if (!isNationalAdmin(caller)) throw forbidden('Only a national administrator (NATIONAL_ADMIN) can do this');
  return caller;
}

/** Whether the caller may list the users of `agencyCode`. */
export function canListUsersOf(principal: Principal | null, agencyCode: string): boolean {
  if (hasRole(principal, 'NATIONAL_ADMIN', 'AUDITOR')) return true;
  return hasRole(principal, 'AGENCY_ADMIN', 'HR_OFFICER') && principal?.agencyCode === agencyCode;
}

/** Whether the caller may list users of every agency at once. */
export function canListAllUsers(principal: Principal | null): boolean {
  return hasRole(principal, 'NATIONAL_ADMIN', 'AUDITOR');
}

/**
 * Whether the caller may see an account (its roles, status and last login): their own,
 * or one of an agency whose users they may list (its AGENCY_ADMIN or HR_OFFICER), or
 * any as NATIONAL_ADMIN or AUDITOR.
 */
export function canSeeUser(principal: Principal | null, user: { id: string; agencyCode: string }): boolean {
  if (principal?.kind === 'user' && principal.id === user.id) return true;
  return canListUsersOf(principal, user.agencyCode);
}
