import { forbidden, hasRole, requirePrincipal, type Principal } from '@simpul/kit';

/**
 * Who may do what with civil-servant records.
 * - NATIONAL_ADMIN: everything, in every agency.
 * - AUDITOR: reads every agency's records, changes nothing.
 * - HR_OFFICER (pengelola kepegawaian): reads and keeps the records of their own agency
 *   only; asks for a transfer out of it, and accepts or rejects transfers into it.
 * - AGENCY_ADMIN: reads their agency's records, and as the stand-in for the agency's
 *   staffing authority (pejabat pembina kepegawaian) may authorise an early promotion
 *   and accept or reject transfers into the agency.
 * - API_CLIENT: an agency's own system reads that agency's records.
 * - Anyone logged in reads their own record (user name = NIP), and nobody decides their
 *   own transfer.
 */

/** Whether the caller may read (and list) the records of `agencyCode`. */
export function canReadAgency(principal: Principal | null, agencyCode: string): boolean {
  if (hasRole(principal, 'NATIONAL_ADMIN', 'AUDITOR')) return true;
  return hasRole(principal, 'HR_OFFICER', 'AGENCY_ADMIN', 'API_CLIENT') && principal?.agencyCode === agencyCode;
}

/** Whether the caller may read every agency's records at once. */
export function canReadAllAgencies(principal: Principal | null): boolean {
  return hasRole(principal, 'NATIONAL_ADMIN', 'AUDITOR');
}

export function isSelf(principal: Principal | null, nip: string): boolean {
  return principal?.kind === 'user' && principal.username === nip;
}

export function canReadEmployee(principal: Principal | null, employee: { nip: string; agencyCode: string }): boolean {
  return isSelf(principal, employee.nip) || canReadAgency(principal, employee.agencyCode);
}

/**
 * Principals personnel makes itself for an agency's own personnel system (SIMPEG) whose
 * platform-defined events it applies (src/agency-events/). They never come from a token,
 * so no API client gains record keeping by its roles: only the object made here counts.
 */
const agencySystems = new WeakSet<Principal>();

/** The publishing agency's system, as the caller of the changes its accepted events ask for. */
export function agencySystemPrincipal(agencyCode: string, publisher: string | null): Principal {
  const principal: Principal = {
    id: publisher ?? `agency-system:${agencyCode}`,
    kind: 'client',
    username: `SIMPEG ${agencyCode}`,
    agencyCode,
    roles: ['API_CLIENT'],
    token: '',
  };
  agencySystems.add(principal);
  return principal;
}

/** Appointing, promoting, changing positions, retiring and moving within the agency. */
export function canKeepRecords(principal: Principal | null, agencyCode: string): boolean {
  if (hasRole(principal, 'NATIONAL_ADMIN')) return true;
  // An agency's SIMPEG keeps the records of its own agency, never another's.
  if (principal && agencySystems.has(principal)) return principal.agencyCode === agencyCode;
  return hasRole(principal, 'HR_OFFICER') && principal?.kind === 'user' && principal.agencyCode === agencyCode;
}

/** A promotion before four years in rank. */
export function canAuthoriseEarlyPromotion(principal: Principal | null, agencyCode: string): boolean {
  if (hasRole(principal, 'NATIONAL_ADMIN')) return true;
  return hasRole(principal, 'AGENCY_ADMIN') && principal?.kind === 'user' && principal.agencyCode === agencyCode;
}

/**
 * Starting a transfer of `employee`: within the agency it takes effect at once, to
 * another agency it is a request the receiving agency decides. Either way it is for the
 * sending agency's HR officer (or a national administrator), and never for the employee.
 */
export function canTransfer(principal: Principal | null, employee: { nip: string; agencyCode: string }): boolean {
  return !isSelf(principal, employee.nip) && canKeepRecords(principal, employee.agencyCode);
}

/**
 * Accepting or rejecting a transfer into `toAgencyCode` (mutasi antar instansi): the
 * receiving agency's HR officer or administrator, or a national administrator; never
 * the employee being moved.
 */
export function canDecideIncomingTransfer(principal: Principal | null, employee: { nip: string }, toAgencyCode: string): boolean {
  if (isSelf(principal, employee.nip)) return false;
  if (hasRole(principal, 'NATIONAL_ADMIN')) return true;
  return hasRole(principal, 'HR_OFFICER', 'AGENCY_ADMIN') && principal?.kind === 'user' && principal.agencyCode === toAgencyCode;
}

/** Who may list the transfers waiting to come into an agency: those who decide them, and auditors. */
export function canReadIncomingTransfers(principal: Principal | null, toAgencyCode: string): boolean {
  if (hasRole(principal, 'NATIONAL_ADMIN', 'AUDITOR')) return true;
  return hasRole(principal, 'HR_OFFICER', 'AGENCY_ADMIN') && principal?.kind === 'user' && principal.agencyCode === toAgencyCode;
}

export function requireRecordKeeper(principal: Principal | null, agencyCode: string): Principal {
  const caller = requirePrincipal(principal);
  if (!canKeepRecords(caller, agencyCode)) {
    throw forbidden(
      hasRole(caller, 'HR_OFFICER')
        ? `You keep the records of ${caller.agencyCode} only, not ${agencyCode}`
        : 'This needs HR_OFFICER of the agency concerned, or NATIONAL_ADMIN',
    );
  }
  return caller;
}

export function requireAgencyReader(principal: Principal | null, agencyCode: string): Principal {
  const caller = requirePrincipal(principal);
  if (!canReadAgency(caller, agencyCode)) {
    throw forbidden(
      hasRole(caller, 'HR_OFFICER', 'AGENCY_ADMIN', 'API_CLIENT')
        ? `You may read the records of ${caller.agencyCode} only, not ${agencyCode}`
        : 'Reading employee records needs HR_OFFICER or AGENCY_ADMIN of the agency, AUDITOR or NATIONAL_ADMIN',
    );
  }
  return caller;
}
