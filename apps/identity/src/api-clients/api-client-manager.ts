import { randomBytes } from 'node:crypto';
import { agencyPermissions, createAgencyNkey } from '@simpul/bus';
import type { Subjects } from '@simpul/contracts';
import { forbidden, hasRole, notFound, requirePrincipal, type Principal } from '@simpul/kit';
import type { ApiClient } from '../db.ts';
import type { AgencyManager } from '../agencies/agency-manager.ts';
import { hashPassword, randomSecret } from '../auth/password.ts';
import { tokensRevoked } from '../auth/token-revocation.ts';
import { requireAgencyManager } from '../auth/permissions.ts';
import * as valid from '../validation.ts';
import type { ApiClientStore } from './api-client-store.ts';

export interface RegisterApiClientInput {
  agencyCode: string;
  name: string;
}

export interface ApiClientCredentials {
  clientId: string;
  /** Shown once: only its hash is stored. */
  clientSecret: string;
  client: ApiClient;
  /** How the agency's own system connects to the bus; the seed is shown once, too. */
  nats: AgencyNatsCredentials;
}

export interface AgencyNatsCredentials {
  seed: string;
  publicKey: string;
  publish: string[];
  subscribe: string[];
  inboxPrefix: string;
}

export interface ApiClientManagerOptions {
  subjects: Subjects;
  /** Called after a client was registered or revoked (identity rewrites nats-server's authorization). */
  changed?: () => Promise<void>;
  /** Called after a committed change wrote events to the outbox (the relay's nudge). */
  eventsWritten?: () => void;
}

/**
 * Rules for API clients: the agency's administrators (or national ones) register,
 * list and revoke them. A client authenticates with its id and secret and acts with
 * the role API_CLIENT only. Revoking a client revokes its tokens too.
 */
export class ApiClientManager {
  constructor(
    private readonly store: ApiClientStore,
    private readonly agencies: AgencyManager,
    private readonly now: () => number = Date.now,
    private readonly options: ApiClientManagerOptions,
  ) {}

  async list(principal: Principal | null, agencyCode: string): Promise<ApiClient[]> {
    valid.agencyCode(agencyCode);
    requireAgencyManager(principal, agencyCode);
    return this.store.listByAgency(agencyCode);
  }

  /**
   * Whether a client exists and whose it is, for any agency administrator: another
   * agency's administrator grants it the right to receive events (X-Road's access rights
   * name client subsystems of other members) and must not grant a typo or a revoked one.
   */
  async status(principal: Principal | null, clientId: string): Promise<{ clientId: string; agencyCode: string; revokedAt: string | null } | null> {
    const caller = requirePrincipal(principal);
    if (!hasRole(caller, 'AGENCY_ADMIN', 'NATIONAL_ADMIN')) throw forbidden('Only agency and national administrators look API clients up');
    const client = await this.store.findByClientId(clientId.trim());
    return client ? { clientId: client.clientId, agencyCode: client.agencyCode, revokedAt: client.revokedAt ? client.revokedAt.toISOString() : null } : null;
  }

  async register(principal: Principal | null, input: RegisterApiClientInput): Promise<ApiClientCredentials> {
    const agencyCode = valid.agencyCode(input.agencyCode);
    const name = valid.displayName(input.name);
    requireAgencyManager(principal, agencyCode);
    await this.agencies.require(agencyCode);
    const clientId = `sc_${randomBytes(12).toString('hex')}`;
    const clientSecret = randomSecret(32);
    const nkey = createAgencyNkey();
    const client = await this.store.create({ clientId, name, agencyCode, secretHash: await hashPassword(clientSecret), natsPublicKey: nkey.publicKey });
    await this.options.changed?.();
    const { subjects } = this.options;
    return {
      clientId,
      clientSecret,
      client,
      nats: { ...nkey, ...agencyPermissions(subjects, agencyCode), inboxPrefix: subjects.externalInboxPrefix(agencyCode) },
    };
  }

  async revoke(principal: Principal | null, clientId: string): Promise<ApiClient> {
    const client = await this.store.findByClientId(clientId);
    // Checked before saying whether the id exists: the caller must at least administer something.
    requireAgencyManager(principal, client?.agencyCode ?? principal?.agencyCode ?? '');
    if (!client) throw notFound(`No API client has the id "${clientId}"`);
    const { client: revoked, first } = await this.store.revoke(client.id, new Date(this.now()), () => [
      tokensRevoked(this.options.subjects, { id: client.id, kind: 'client' }, 'API_CLIENT_REVOKED', new Date(this.now())),
    ]);
    if (first) this.options.eventsWritten?.();
    await this.options.changed?.();
    return revoked;
  }
}
