import type { Principal } from '@simpul/kit';
import type { Agency, Unit, User } from '../db.ts';
import type { IdentityManagers, IdentityStores } from '../identity.ts';
import { batchLoader, groupBy, type Loader } from '@simpul/kit';
import type { RequestInfo } from '@simpul/bus';
import type { AuditTrail, RequestAudit } from '../audit/audit-trail.ts';

/** What every resolver gets: the verified caller, the managers, and this request's loaders. */
export interface IdentityContext extends IdentityManagers {
  principal: Principal | null;
  loaders: IdentityLoaders;
  /** Records a security-relevant action of this request (caller and address filled in). */
  audit: RequestAudit;
}

export interface IdentityLoaders {
  agency: Loader<string, Agency | null>;
  /** Agencies whose parent is the given agency. */
  agencyChildren: Loader<string, Agency[]>;
  /** Every unit of an agency; unit trees are read from this one list. */
  agencyUnits: Loader<string, Unit[]>;
  /** Accounts by user name (an employee's is their NIP). */
  userByUsername: Loader<string, User | null>;
}

export function createLoaders(stores: IdentityStores): IdentityLoaders {
  return {
    agency: batchLoader(async (codes) => new Map((await stores.agencies.findByCodes(codes)).map((a) => [a.code, a])), null),
    agencyChildren: batchLoader(async (codes) => groupBy(await stores.agencies.childrenOf(codes), (a) => a.parentCode ?? ''), []),
    agencyUnits: batchLoader(async (codes) => groupBy(await stores.units.listByAgencies(codes), (u) => u.agencyCode), []),
    userByUsername: batchLoader(async (names) => new Map((await stores.users.findByUsernames(names)).map((u) => [u.username, u])), null),
  };
}

const noAudit: RequestAudit = async () => {};

export function createContextFactory(managers: IdentityManagers, stores: IdentityStores, trail?: AuditTrail) {
  return (principal: Principal | null, request?: RequestInfo): IdentityContext => ({
    ...managers,
    principal,
    loaders: createLoaders(stores),
    audit: trail ? trail.for(principal, request) : noAudit,
  });
}
