/**
 * Roles carried in a token's `roles` claim. Each service checks them itself.
 * - NATIONAL_ADMIN: runs the platform for all agencies (KemenPANRB's operators).
 * - AGENCY_ADMIN: manages the users, units and API clients of their own agency only.
 * - HR_OFFICER: keeps civil-servant records of their agency (pengelola kepegawaian).
 * - RECORDS_OFFICER: handles official mail and the archive (arsiparis / TU).
 * - EMPLOYEE: a civil servant reading their own data.
 * - AUDITOR: reads audit trails and reports, changes nothing.
 * - API_CLIENT: an agency system using client credentials.
 * - OPERATOR: runs the platform day to day: reads traces, exchange records, consumers
 *   and dead letters in the operators' console, and replays or discards dead letters.
 * - DUPLICATE_REVIEWER: confirms or rejects the duplicate finder's clusters for
 *   KemenPANRB (a national role, like AUDITOR).
 */
export const ROLES = [
  'NATIONAL_ADMIN',
  'AGENCY_ADMIN',
  'HR_OFFICER',
  'RECORDS_OFFICER',
  'EMPLOYEE',
  'AUDITOR',
  'API_CLIENT',
  'OPERATOR',
  'DUPLICATE_REVIEWER',
] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
