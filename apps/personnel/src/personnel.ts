import type { Subjects } from '@simpul/contracts';
import type { PrismaClient } from './db.ts';
import { EmployeeStore } from './employees/employee-store.ts';
import { EmployeeManager } from './employees/employee-manager.ts';
import type { OrganisationDirectory } from './organisation/directory.ts';

export interface PersonnelStores {
  employees: EmployeeStore;
}

export interface PersonnelManagers {
  employees: EmployeeManager;
}

export interface PersonnelPartsOptions {
  subjects: Subjects;
  directory: OrganisationDirectory;
  /** Called after a committed change wrote events to the outbox. */
  eventsWritten: () => void;
  now?: () => number;
}

/** Wires personnel's stores and managers over one Prisma client. */
export function createPersonnelParts(prisma: PrismaClient, options: PersonnelPartsOptions): { stores: PersonnelStores; managers: PersonnelManagers } {
  const stores = { employees: new EmployeeStore(prisma) };
  return {
    stores,
    managers: {
      employees: new EmployeeManager(stores.employees, prisma, options.directory, {
        subjects: options.subjects,
        now: options.now ?? Date.now,
        eventsWritten: options.eventsWritten,
      }),
    },
  };
}
