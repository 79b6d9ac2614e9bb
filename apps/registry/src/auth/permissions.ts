import { forbidden, hasRole, requirePrincipal, type Principal } from '@simpul/kit';

/**
 * Who may do what in the registry. Any logged-in caller reads the catalogue (the national
 * application repository is shared knowledge across government). AGENCY_ADMIN writes their
 * own agency's entries; NATIONAL_ADMIN writes any and alone designates aplikasi umum.
 * National analyses (duplicates, the national report) are for NATIONAL_ADMIN and AUDITOR.
 */

export function requireReader(principal: Principal | null): Principal {
  return requirePrincipal(principal);
}

export function canManageAgency(principal: Principal | null, agencyCode: string): boolean {
  return hasRole(principal, 'NATIONAL_ADMIN') || (hasRole(principal, 'AGENCY_ADMIN') && principal?.agencyCode === agencyCode);
}

/** FORBIDDEN unless the caller administers `agencyCode` (or everything). */
export function agencyManagerDenial(principal: Principal, agencyCode: string): Error | null {
  if (canManageAgency(principal, agencyCode)) return null;
  return forbidden(
    hasRole(principal, 'AGENCY_ADMIN')
      ? `You administer ${principal.agencyCode} only, not ${agencyCode}`
      : 'This needs the role NATIONAL_ADMIN, or AGENCY_ADMIN of the agency concerned',
  );
}

export function requireNationalAdmin(principal: Principal | null): Principal {
  const caller = requirePrincipal(principal);
  if (!hasRole(caller, 'NATIONAL_ADMIN')) throw forbidden('Only a national administrator (NATIONAL_ADMIN) can do this');
  return caller;
}

export function requireNationalReader(principal: Principal | null): Principal {
  const caller = requirePrincipal(principal);
  if (!hasRole(caller, 'NATIONAL_ADMIN', 'AUDITOR')) throw forbidden('National analyses need the role NATIONAL_ADMIN or AUDITOR');
  return caller;
}

/** National roles read every agency's report; an agency administrator reads their own. */
export function requireAgencyReader(principal: Principal | null, agencyCode: string): Principal {
  const caller = requirePrincipal(principal);
  if (hasRole(caller, 'NATIONAL_ADMIN', 'AUDITOR')) return caller;
  if (hasRole(caller, 'AGENCY_ADMIN') && caller.agencyCode === agencyCode) return caller;
  throw forbidden(`The report of ${agencyCode} needs NATIONAL_ADMIN, AUDITOR or AGENCY_ADMIN of ${agencyCode}`);
}

/** The duplicate clusters: national readers and the reviewers who decide on them. */
export function requireDuplicateReader(principal: Principal | null): Principal {
  const caller = requirePrincipal(principal);
  if (!hasRole(caller, 'NATIONAL_ADMIN', 'AUDITOR', 'DUPLICATE_REVIEWER'))
    throw forbidden('Duplicate clusters need the role NATIONAL_ADMIN, AUDITOR or DUPLICATE_REVIEWER');
  return caller;
}

/** The operators' views of the agency event exchange (every subscriber's health, every agency's refusals): the console's roles. */
export function requireOperatorReader(principal: Principal | null): Principal {
  const caller = requirePrincipal(principal);
  if (!hasRole(caller, 'OPERATOR', 'NATIONAL_ADMIN', 'AUDITOR')) throw forbidden('The exchange of every agency is for OPERATOR, NATIONAL_ADMIN and AUDITOR');
  return caller;
}
