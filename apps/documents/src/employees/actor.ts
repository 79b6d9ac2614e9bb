import type { Principal } from '@simpul/kit';
import type { Viewer } from '../visibility/visibility.ts';
import type { EmployeeStore } from './employee-store.ts';

/** The caller as documents sees them: account, agency and unit (from the employee read model when they are one). */
export interface Actor extends Viewer {
  /** User or API client id (for the central audit log). */
  id: string;
  name: string;
  /** True when the account is a civil servant known to documents (username = NIP). */
  isEmployee: boolean;
}

/**
 * An employee's agency and unit come from the read model, which follows transfers at
 * once; an officer account (`arsip.banyuwangi`) is not an employee and acts with its
 * token's agency and no unit.
 */
export async function resolveActor(principal: Principal, employees: EmployeeStore): Promise<Actor> {
  const employee = principal.kind === 'user' ? await employees.find(principal.username) : null;
  const known = employee?.active ? employee : null;
  return {
    id: principal.id,
    username: principal.username,
    roles: principal.roles,
    agencyCode: known?.agencyCode ?? principal.agencyCode,
    unitCode: known?.unitCode ?? null,
    name: known?.name ?? principal.username,
    isEmployee: known !== null,
  };
}
