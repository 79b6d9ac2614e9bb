import { batchLoader, groupBy, type Loader, type Principal } from '@simpul/kit';
import type { AccessRight, Application, ExposedService } from '../db.ts';
import type { RegistryManagers, RegistryStores } from '../registry.ts';

/** What every resolver gets: the verified caller, the managers, and this request's loaders. */
export interface RegistryContext extends RegistryManagers {
  principal: Principal | null;
  loaders: RegistryLoaders;
}

export interface RegistryLoaders {
  application: Loader<string, Application | null>;
  applicationsOfAgency: Loader<string, Application[]>;
  services: Loader<string, ExposedService[]>;
  accessRights: Loader<string, AccessRight[]>;
  /** Whether identity has announced the agency (so the gateway can complete it). */
  knownAgency: Loader<string, boolean>;
}

export function createLoaders(stores: RegistryStores): RegistryLoaders {
  return {
    application: batchLoader(async (ids) => new Map((await stores.applications.findByIds(ids)).map((a) => [a.id, a])), null),
    applicationsOfAgency: batchLoader(async (codes) => groupBy(await stores.applications.listByAgencies(codes), (a) => a.ownerAgencyCode), []),
    services: batchLoader(async (ids) => groupBy(await stores.applications.servicesOf(ids), (s) => s.applicationId), []),
    accessRights: batchLoader(async (ids) => groupBy(await stores.access.rightsOf(ids), (r) => r.serviceId), []),
    knownAgency: batchLoader(async (codes) => new Map([...(await stores.agencies.known(codes))].map((code) => [code, true])), false),
  };
}

export function createContextFactory(managers: RegistryManagers, stores: RegistryStores) {
  return (principal: Principal | null): RegistryContext => ({ ...managers, principal, loaders: createLoaders(stores) });
}
