import type { KeyObject } from 'node:crypto';
import type { Subjects } from '@simpul/contracts';
import type { KeyEncryption } from '@simpul/kit';
import type { PrismaClient } from './db.ts';
import { AgencyStore } from './agencies/agency-store.ts';
import { AgencyManager } from './agencies/agency-manager.ts';
import { UnitStore } from './units/unit-store.ts';
import { UnitManager } from './units/unit-manager.ts';
import { UserStore } from './users/user-store.ts';
import { UserManager } from './users/user-manager.ts';
import { ApiClientStore } from './api-clients/api-client-store.ts';
import { ApiClientManager } from './api-clients/api-client-manager.ts';
import { AuthManager } from './auth/auth-manager.ts';
import { SigningKeys } from './auth/signing-keys.ts';
import type { ThrottlePolicy } from './auth/login-throttle.ts';
import { AuditStore } from './audit/audit-store.ts';
import { AuditManager } from './audit/audit-manager.ts';
import { SessionStore } from './sessions/session-store.ts';
import { SessionManager } from './sessions/session-manager.ts';

export interface IdentityStores {
  agencies: AgencyStore;
  units: UnitStore;
  users: UserStore;
  apiClients: ApiClientStore;
  audit: AuditStore;
  sessions: SessionStore;
}

export interface IdentityManagers {
  agencies: AgencyManager;
  units: UnitManager;
  users: UserManager;
  apiClients: ApiClientManager;
  auth: AuthManager;
  sessions: SessionManager;
  /** The platform's audit log (read side). */
  auditLog: AuditManager;
}

export interface IdentityParts {
  stores: IdentityStores;
  managers: IdentityManagers;
  keys: SigningKeys;
}

export interface IdentityPartsOptions {
  subjects: Subjects;
  tokenTtlSeconds: number;
  /** Absolute lifetime of a login session (SESSION_LIFETIME_HOURS). */
  sessionLifetimeMs: number;
  /** The token root key that endorses the published signing keys (TOKEN_ROOT_KEY_FILE). */
  rootKey?: KeyObject | undefined;
  /** Seals the token signing keys in the database (SIMPUL_MASTER_KEY or a KMS). */
  keyEncryption: KeyEncryption;
  throttle: ThrottlePolicy;
  /** Called after a committed change wrote events to the outbox. */
  eventsWritten: () => void;
  /** Called after an API client was registered or revoked (nats-server's authorization follows). */
  apiClientsChanged?: () => Promise<void>;
  now?: () => number;
}

/** Wires identity's stores and managers over one Prisma client. */
export function createIdentityParts(prisma: PrismaClient, options: IdentityPartsOptions): IdentityParts {
  const now = options.now ?? Date.now;
  const stores: IdentityStores = {
    agencies: new AgencyStore(prisma),
    units: new UnitStore(prisma),
    users: new UserStore(prisma),
    apiClients: new ApiClientStore(prisma),
    audit: new AuditStore(prisma),
    sessions: new SessionStore(prisma, options.subjects),
  };
  const keys = new SigningKeys(prisma, { tokenTtlSeconds: options.tokenTtlSeconds, rootKey: options.rootKey, keyEncryption: options.keyEncryption, now });
  const agencies = new AgencyManager(stores.agencies, options.subjects, options.eventsWritten);
  const units = new UnitManager(stores.units, agencies);
  const sessions = new SessionManager(stores.sessions, keys, {
    lifetimeMs: options.sessionLifetimeMs,
    now,
    eventsWritten: options.eventsWritten,
  });
  return {
    stores,
    keys,
    managers: {
      agencies,
      units,
      users: new UserManager(stores.users, agencies, units, { subjects: options.subjects, now, eventsWritten: options.eventsWritten }),
      apiClients: new ApiClientManager(stores.apiClients, agencies, now, {
        subjects: options.subjects,
        eventsWritten: options.eventsWritten,
        ...(options.apiClientsChanged ? { changed: options.apiClientsChanged } : {}),
      }),
      auth: new AuthManager(stores.users, stores.apiClients, keys, sessions, { throttle: options.throttle, now }),
      sessions,
      auditLog: new AuditManager(stores.audit),
    },
  };
}
