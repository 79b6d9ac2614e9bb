/**
 * Roles carried in a token's `roles` claim. Each service checks them itself.
 * - NATIONAL_ADMIN: runs the platform for all agencies (KemenPANRB's operators).
 * - AGENCY_ADMIN: manages the users, units and API clients of their own agency only.
 * - HR_OFFICER: keeps civil-servant records of their agency (pengelola kepegawaian).
 * - RECORDS_OFFICER: handles official mail and the archive (arsiparis / TU).
 * - EMPLOYEE: a civil servant reading their own data.
 * - AUDITOR: reads audit trails and reports, changes nothing.
 * - API_CLIENT: an agency system using client credentials.
 */
export const ROLES = [
  'NATIONAL_ADMIN',
  'AGENCY_ADMIN',
  'HR_OFFICER',
  'RECORDS_OFFICER',
  'EMPLOYEE',
  'AUDITOR',
  'API_CLIENT',
] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
