import type { Principal } from '@simpul/kit';
import type { Agency, Unit } from '../db.ts';
import type { IdentityManagers, IdentityStores } from '../identity.ts';
import { batchLoader, groupBy, type Loader } from '@simpul/kit';

/** What every resolver gets: the verified caller, the managers, and this request's loaders. */
export interface IdentityContext extends IdentityManagers {
  principal: Principal | null;
  loaders: IdentityLoaders;
}

export interface IdentityLoaders {
  agency: Loader<string, Agency | null>;
  /** Agencies whose parent is the given agency. */
  agencyChildren: Loader<string, Agency[]>;
  /** Every unit of an agency; unit trees are read from this one list. */
  agencyUnits: Loader<string, Unit[]>;
}

export function createLoaders(stores: IdentityStores): IdentityLoaders {
  return {
    agency: batchLoader(async (codes) => new Map((await stores.agencies.findByCodes(codes)).map((a) => [a.code, a])), null),
    agencyChildren: batchLoader(async (codes) => groupBy(await stores.agencies.childrenOf(codes), (a) => a.parentCode ?? ''), []),
    agencyUnits: batchLoader(async (codes) => groupBy(await stores.units.listByAgencies(codes), (u) => u.agencyCode), []),
  };
}

export function createContextFactory(managers: IdentityManagers, stores: IdentityStores) {
  return (principal: Principal | null): IdentityContext => ({ ...managers, principal, loaders: createLoaders(stores) });
}
