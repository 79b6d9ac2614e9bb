import { batchLoader, groupBy, type Loader, type Principal } from '@simpul/kit';
import type { CareerEvent, Employee, TransferRequest } from '../db.ts';
import type { PersonnelManagers, PersonnelStores } from '../personnel.ts';

/** What every resolver gets: the verified caller, the managers, and this request's loaders. */
export interface PersonnelContext extends PersonnelManagers {
  principal: Principal | null;
  loaders: PersonnelLoaders;
}

export interface PersonnelLoaders {
  /** Employees the caller may read, by NIP (User.employee); null otherwise. */
  employee: Loader<string, Employee | null>;
  /** Career events of an employee, oldest first. */
  history: Loader<string, CareerEvent[]>;
  /** The employee's transfer waiting for the receiving agency, if any. */
  pendingTransfer: Loader<string, TransferRequest | null>;
}

export function createLoaders(stores: PersonnelStores, managers: PersonnelManagers, principal: Principal | null): PersonnelLoaders {
  return {
    employee: batchLoader(async (nips) => {
      const found = await managers.employees.getMany(principal, nips);
      return new Map(nips.map((nip, i) => [nip, found[i] ?? null]));
    }, null),
    history: batchLoader(async (nips) => groupBy(await stores.employees.histories(nips), (e) => e.nip), []),
    pendingTransfer: batchLoader(async (nips) => new Map((await stores.transfers.pendingForNips(nips)).map((r) => [r.nip, r])), null),
  };
}

export function createContextFactory(managers: PersonnelManagers, stores: PersonnelStores) {
  return (principal: Principal | null): PersonnelContext => ({ ...managers, principal, loaders: createLoaders(stores, managers, principal) });
}
