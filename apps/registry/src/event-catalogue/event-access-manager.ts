import { badUserInput, hasRole, forbidden, notFound, type Principal } from '@simpul/kit';
import { platformAgencyEventType } from '@simpul/contracts';
import { requireReader } from '../auth/permissions.ts';
import { auditEntry } from '../applications/application-manager.ts';
import { agencyCode, type EventCatalogueManager } from './event-catalogue-manager.ts';
import { apiClientId, eventName, eventTypeLabel, eventVersion } from './event-names.ts';
import type { EventAccessGrant, EventCatalogueStore, EventType, GrantKey } from './event-catalogue-store.ts';
import { ANY_AGENCY, isPlatformRow } from './platform-event-types.ts';
import type { ClientDirectory } from './client-directory.ts';

export interface EventAccessInput {
  agencyCode: string;
  eventType: string;
  /** Omitted: every version, those declared later included. */
  version?: number | null;
  clientId: string;
}

export interface GrantChange extends GrantKey {
  granted: boolean;
}

/** Told after a grant was given or revoked, so the client's delivery (consumer, webhook) follows at once. */
export type GrantsChanged = (change: GrantChange) => Promise<void>;

/**
 * Who may receive an agency's events, as X-Road access rights: the owner agency's
 * AGENCY_ADMIN (or a NATIONAL_ADMIN) grants an API client (named by its client id,
 * usually another agency's system) one event type, all versions or one, and can revoke
 * it. Nothing is delivered without a grant. Grants, revocations and refusals are audited.
 */
export class EventAccessManager {
  constructor(
    private readonly store: EventCatalogueStore,
    private readonly catalogue: EventCatalogueManager,
    private readonly eventsWritten: () => void,
    private readonly clients: ClientDirectory,
    private readonly grantsChanged: GrantsChanged = async () => {},
  ) {}

  async grant(principal: Principal | null, input: EventAccessInput): Promise<EventAccessGrant> {
    const caller = requireReader(principal);
    const key = await this.key(caller, input, 'event-access.grant');
    await this.requireActiveClient(caller, key.clientId);
    const { grant, created } = await this.store.grant(key, caller.username, this.audit(caller, 'event-access.grant', key));
    if (created) this.eventsWritten();
    await this.grantsChanged({ ...key, granted: true });
    return grant;
  }

  /** True when a grant was removed. The client's delivery of that type stops at once. */
  async revoke(principal: Principal | null, input: EventAccessInput): Promise<boolean> {
    const caller = requireReader(principal);
    const key = await this.key(caller, input, 'event-access.revoke', false);
    const revoked = await this.store.revoke(key, this.audit(caller, 'event-access.revoke', key));
    if (revoked) this.eventsWritten();
    await this.grantsChanged({ ...key, granted: false });
    return revoked;
  }

  /** The grants an agency gave: its administrators and national roles. */
  async grantsOf(principal: Principal | null, ownerAgencyCode: string): Promise<EventAccessGrant[]> {
    const caller = requireReader(principal);
    const owner = agencyCode(ownerAgencyCode);
    if (!hasRole(caller, 'NATIONAL_ADMIN', 'AUDITOR')) await this.catalogue.requireOwner(caller, owner, 'event-access.list', owner);
    return this.store.grantsOfOwner(owner);
  }

  /** How many grants let clients receive this version; a platform type listed for no agency counts every agency's. */
  grantCount(type: EventType): Promise<number> {
    const owner = isPlatformRow(type) && type.ownerAgencyCode === ANY_AGENCY ? null : type.ownerAgencyCode;
    return this.store.countGrants(owner, type.name, type.version);
  }

  /** What a client may receive: the client itself, or an administrator of the client's agency knows its id; national roles. */
  async grantsTo(principal: Principal | null, clientId: string): Promise<EventAccessGrant[]> {
    const caller = requireReader(principal);
    const id = apiClientId(clientId);
    const itself = caller.kind === 'client' && caller.username === id;
    if (!itself && !hasRole(caller, 'NATIONAL_ADMIN', 'AUDITOR', 'AGENCY_ADMIN'))
      throw forbidden('Only the client itself, an agency administrator or a national role reads what a client may receive');
    return this.store.grantsOfClient(id);
  }

  /**
   * The client (its own token) or a NATIONAL_ADMIN replays its NATS deliveries from a point
   * in time, within the stream's retention. Needs a grant (deny by default).
   */
  async replay(principal: Principal | null, clientId: string, since: string, restart: (clientId: string, since: Date) => Promise<void>): Promise<string> {
    const caller = requireReader(principal);
    const id = apiClientId(clientId);
    if (!(caller.kind === 'client' && caller.username === id) && !hasRole(caller, 'NATIONAL_ADMIN'))
      throw forbidden('Deliveries are replayed by the API client itself or a NATIONAL_ADMIN');
    const from = new Date(since);
    if (Number.isNaN(from.getTime()) || from.getTime() > Date.now()) throw badUserInput('since: an ISO 8601 time in the past', { field: 'since' });
    if ((await this.store.grantsOfClient(id)).length === 0) throw notFound(`The client ${id} holds no grant`);
    await restart(id, from);
    return from.toISOString();
  }

  private async key(caller: Principal, input: EventAccessInput, action: string, mustExist = true): Promise<GrantKey> {
    const ownerAgencyCode = agencyCode(input.agencyCode);
    const name = eventName(input.eventType, 'eventType');
    const version = input.version == null ? 0 : eventVersion(input.version);
    const clientId = apiClientId(input.clientId);
    const label = eventTypeLabel(ownerAgencyCode, name, version);
    await this.catalogue.requireOwner(caller, ownerAgencyCode, action, label, { clientId });
    // Platform-defined types exist for every agency without a declaration.
    if (mustExist && !platformAgencyEventType(name, version === 0 ? undefined : version)) {
      const declared = version === 0 ? await this.store.latest(ownerAgencyCode, name) : await this.store.find(ownerAgencyCode, name, version);
      if (!declared) throw notFound(`${label} is not declared; declare it before granting access to it`);
    }
    return { ownerAgencyCode, eventName: name, version, clientId };
  }

  /** NOT_FOUND for an id no client has, BAD_USER_INPUT for a revoked client: a grant to either would deliver nothing. */
  private async requireActiveClient(caller: Principal, clientId: string): Promise<void> {
    const client = await this.clients.status(clientId, caller.token);
    if (!client) throw notFound(`clientId: no API client has the id ${clientId}; registerApiClient gives the id of the agency system to grant`);
    if (client.revokedAt)
      throw badUserInput(
        `clientId: the API client ${clientId} of ${client.agencyCode} was revoked (${client.revokedAt}); it receives nothing, grant its replacement`,
        { field: 'clientId', reason: 'API_CLIENT_REVOKED' },
      );
  }

  private audit(caller: Principal, action: string, key: GrantKey) {
    return auditEntry(caller, action, `event-type:${eventTypeLabel(key.ownerAgencyCode, key.eventName, key.version)}`, 'SUCCESS', {
      clientId: key.clientId,
      version: key.version === 0 ? 'all' : key.version,
    });
  }
}
