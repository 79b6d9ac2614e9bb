import type { Subjects } from '@simpul/contracts';
import type { PrismaClient } from './db.ts';
import { EmployeeStore } from './employees/employee-store.ts';
import { EmployeeManager } from './employees/employee-manager.ts';
import type { OrganisationDirectory } from './organisation/directory.ts';
import { TransferStore } from './transfers/transfer-store.ts';
import { TransferManager } from './transfers/transfer-manager.ts';

export interface PersonnelStores {
  employees: EmployeeStore;
  transfers: TransferStore;
}

export interface PersonnelManagers {
  employees: EmployeeManager;
  transfers: TransferManager;
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
  const stores = { employees: new EmployeeStore(prisma), transfers: new TransferStore(prisma) };
  const employees = new EmployeeManager(stores.employees, stores.transfers, prisma, options.directory, {
    subjects: options.subjects,
    now: options.now ?? Date.now,
    eventsWritten: options.eventsWritten,
  });
  return {
    stores,
    managers: {
      employees,
      transfers: new TransferManager(employees, stores.transfers, options.directory, { subjects: options.subjects, eventsWritten: options.eventsWritten }),
    },
  };
}
