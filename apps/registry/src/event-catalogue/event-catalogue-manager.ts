import { isDeepStrictEqual } from 'node:util';
import { recordAudit } from '@simpul/bus';
import { AGENCY_CODE_PATTERN, isPlatformAgencyEventName, type Subjects } from '@simpul/contracts';
import { badUserInput, conflict, notFound, type Principal } from '@simpul/kit';
import type { PrismaClient } from '../db.ts';
import { agencyManagerDenial, requireReader } from '../auth/permissions.ts';
import { auditEntry } from '../applications/application-manager.ts';
import { eventName, eventTypeLabel, eventVersion } from './event-names.ts';
import { checkPayloadSchema } from './payload-schemas.ts';
import { platformCatalogueRows } from './platform-event-types.ts';
import type { EventCatalogueStore, EventType } from './event-catalogue-store.ts';

export interface DeclareEventTypeInput {
  agencyCode: string;
  name: string;
  version: number;
  description: string;
  /** JSON Schema of the event's data, as JSON text. */
  schema: string;
}

export interface EventTypeRef {
  agencyCode: string;
  name: string;
  version: number;
}

/**
 * The catalogue of event types agencies publish. The owner agency's AGENCY_ADMIN (or a
 * NATIONAL_ADMIN) declares and deprecates; anyone logged in reads. A declared version
 * never changes (subscribers rely on it): declaring it again with the same schema and
 * description changes nothing, with another is a CONFLICT; the agency declares the
 * next version instead. Declarations, deprecations and refusals of them are audited.
 */
export class EventCatalogueManager {
  constructor(
    private readonly store: EventCatalogueStore,
    private readonly prisma: PrismaClient,
    private readonly subjects: Subjects,
    private readonly eventsWritten: () => void,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async declare(principal: Principal | null, input: DeclareEventTypeInput): Promise<EventType> {
    const caller = requireReader(principal);
    const ownerAgencyCode = agencyCode(input.agencyCode);
    const name = eventName(input.name);
    const version = eventVersion(input.version);
    const label = eventTypeLabel(ownerAgencyCode, name, version);
    await this.requireOwner(caller, ownerAgencyCode, 'event-type.declare', label);
    // The platform defines it for every agency; a declaration would shadow it.
    if (isPlatformAgencyEventName(name))
      throw conflict(`name: "${name}" is an event type the platform defines; every agency publishes it for itself without declaring it`);
    const description = input.description.trim();
    if (description.length < 10 || description.length > 2000)
      throw badUserInput('description: say in 10 to 2000 characters what the event means and when it is published', { field: 'description' });
    const checked = checkPayloadSchema(input.schema);
    if (!checked.ok) throw badUserInput(`schema: ${checked.reason}`, { field: 'schema' });

    const existing = await this.store.find(ownerAgencyCode, name, version);
    if (existing) {
      if (existing.description === description && isDeepStrictEqual(existing.payloadSchema, checked.schema)) return existing;
      throw conflict(`${label} is already declared with another schema or description; a declared version never changes: declare version ${version + 1}`);
    }
    try {
      const row = await this.store.declare(
        { ownerAgencyCode, name, version, description, payloadSchema: checked.schema, declaredBy: caller.username },
        auditEntry(caller, 'event-type.declare', `event-type:${label}`, 'SUCCESS'),
      );
      this.eventsWritten();
      return row;
    } catch (error) {
      // Two declarations of the same version at once: the loser sees the winner's row.
      const winner = await this.store.find(ownerAgencyCode, name, version);
      if (winner && isDeepStrictEqual(winner.payloadSchema, checked.schema) && winner.description === description) return winner;
      if (winner) throw conflict(`${label} was just declared with another schema or description`);
      throw error;
    }
  }

  /** Marks a version deprecated: still accepted and delivered (subscribers need time to move), shown as such in the catalogue. */
  async deprecate(principal: Principal | null, ref: EventTypeRef, note?: string | null): Promise<EventType> {
    const caller = requireReader(principal);
    const type = await this.requireOwned(caller, ref, 'event-type.deprecate');
    if (type.deprecatedAt) return type;
    const reason = note?.trim() || null;
    if (reason && reason.length > 500) throw badUserInput('reason: at most 500 characters', { field: 'reason' });
    const row = await this.store.deprecate(
      type.id,
      this.now(),
      reason,
      auditEntry(caller, 'event-type.deprecate', `event-type:${eventTypeLabel(type.ownerAgencyCode, type.name, type.version)}`, 'SUCCESS', { reason }),
    );
    this.eventsWritten();
    return row;
  }

  /**
   * The catalogue: the platform-defined types (unless `includePlatform` is false), then
   * the agencies' declarations, by agency, name and version.
   */
  async list(
    principal: Principal | null,
    filter: { agencyCode?: string | null; includeDeprecated?: boolean | null; includePlatform?: boolean | null },
  ): Promise<EventType[]> {
    requireReader(principal);
    const owner = filter.agencyCode ? agencyCode(filter.agencyCode) : undefined;
    const declared = await this.store.list({ ownerAgencyCode: owner, includeDeprecated: filter.includeDeprecated ?? false });
    return filter.includePlatform === false ? declared : [...platformCatalogueRows(owner), ...declared];
  }

  /** One version, or the latest when none is given; null when not declared. */
  async get(principal: Principal | null, ref: { agencyCode: string; name: string; version?: number | null }): Promise<EventType | null> {
    requireReader(principal);
    const owner = agencyCode(ref.agencyCode);
    const name = eventName(ref.name);
    return ref.version == null ? this.store.latest(owner, name) : this.store.find(owner, name, eventVersion(ref.version));
  }

  /** The event type, after checking that the caller administers its owner (a refusal is audited). */
  async requireOwned(caller: Principal, ref: EventTypeRef, action: string): Promise<EventType> {
    const owner = agencyCode(ref.agencyCode);
    const name = eventName(ref.name);
    const version = eventVersion(ref.version);
    const label = eventTypeLabel(owner, name, version);
    await this.requireOwner(caller, owner, action, label);
    const type = await this.store.find(owner, name, version);
    if (!type) throw notFound(`${label} is not declared`);
    return type;
  }

  /** FORBIDDEN, audited, unless the caller administers the owner agency (or everything). */
  async requireOwner(caller: Principal, ownerAgencyCode: string, action: string, label: string, detail: Record<string, unknown> = {}): Promise<void> {
    const denial = agencyManagerDenial(caller, ownerAgencyCode);
    if (!denial) return;
    await recordAudit(this.prisma, this.subjects, 'registry', auditEntry(caller, action, `event-type:${label}`, 'DENIED', detail));
    this.eventsWritten();
    throw denial;
  }
}

export function agencyCode(value: string, field = 'agencyCode'): string {
  const code = value.trim();
  if (!AGENCY_CODE_PATTERN.test(code)) throw badUserInput(`${field}: "${value}" is not an agency code`, { field });
  return code;
}
