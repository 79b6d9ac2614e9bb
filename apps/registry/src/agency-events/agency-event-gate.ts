import { headers as natsHeaders } from '@nats-io/nats-core';
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { encodeJson, type NatsConnection } from '@simpul/bus';
import {
  AgencyEventInput,
  platformAgencyEventType,
  VERDICT_REPLY_HEADER,
  type AgencyEvent,
  type AgencyEventSubjects,
  type AgencyEventVerdict,
} from '@simpul/contracts';
import { forbidden, hasRole, requirePrincipal, type Principal } from '@simpul/kit';
import type { EventCatalogueStore, EventType } from '../event-catalogue/event-catalogue-store.ts';
import { eventTypeLabel, isEventName } from '../event-catalogue/event-names.ts';
import { agencyCode as validAgencyCode } from '../event-catalogue/event-catalogue-manager.ts';
import { PayloadValidators } from '../event-catalogue/payload-schemas.ts';
import { platformEventTypeFor } from '../event-catalogue/platform-event-types.ts';
import { requireOperatorReader } from '../auth/permissions.ts';
import { deprecationWarning } from './deprecation.ts';

/** Largest event accepted (JSON text); NATS's own default limit is 1 MB. */
export const MAX_EVENT_BYTES = 256 * 1024;
const EXCERPT_CHARS = 500;
/**
 * Declarations are cached this long: a version's schema never changes, but its
 * deprecation (which makes the verdict carry a warning) may be set on another instance.
 */
const TYPE_CACHE_MS = 10_000;

export interface ReceivedEvent {
  /** The publishing agency: from the subject (NATS) or the client's token (HTTP). */
  agencyCode: string;
  eventType: string;
  channel: 'NATS' | 'HTTP';
  /** The API client that sent it, when known. */
  publisher: string | null;
  body: Uint8Array | string;
}

/**
 * The gate every agency event passes: it must be JSON in the agency envelope, of an
 * event type its agency declared, with data valid against that version's schema. A
 * valid event is stored on the accepted stream with its id as the JetStream message id
 * (a retry is a duplicate, not a second event); a refused one is recorded with the
 * reason, so the publisher can read it (`eventRejections`), and the verdict says why.
 */
export class AgencyEventGate {
  private readonly js: JetStreamClient;
  private readonly validators = new PayloadValidators();
  private readonly types = new Map<string, { type: EventType; at: number }>();

  constructor(
    nc: NatsConnection,
    private readonly store: EventCatalogueStore,
    readonly names: AgencyEventSubjects,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.js = jetstream(nc);
  }

  publishSubject(agencyCode: string, eventType: string): string {
    return this.names.publish(agencyCode, eventType);
  }

  /** The subject a catalogue entry names: where agencies publish it, or, for a type only Simpul publishes, where it is stored. */
  catalogueSubject(type: EventType): string {
    if (platformAgencyEventType(type.name, type.version)?.publishedBy === 'platform') return this.names.accepted(type.ownerAgencyCode, type.version, type.name);
    return this.publishSubject(type.ownerAgencyCode, type.name);
  }

  /**
   * Validates one event and stores it when valid. `replyTo` (a NATS publisher's own
   * inbox) travels with the accepted event, so a service that later refuses to act on it
   * can answer there too.
   */
  async accept(received: ReceivedEvent, replyTo?: string): Promise<AgencyEventVerdict> {
    const text = typeof received.body === 'string' ? received.body : new TextDecoder().decode(received.body);
    const refuse = async (
      reason: string,
      code: Extract<AgencyEventVerdict, { accepted: false }>['code'],
      id: string | null = null,
      version: number | null = null,
    ) => {
      await this.store.recordRejection({
        agencyCode: received.agencyCode,
        eventId: id,
        eventName: received.eventType.slice(0, 200),
        version,
        channel: received.channel,
        reason,
        excerpt: text.slice(0, EXCERPT_CHARS),
      });
      return { accepted: false as const, id, type: received.eventType, reason, code };
    };

    if (!isEventName(received.eventType))
      return refuse(`"${received.eventType}" is not an event type name (lower-case words joined by dots)`, 'BAD_USER_INPUT');
    if (Buffer.byteLength(text, 'utf8') > MAX_EVENT_BYTES) return refuse(`the event is larger than ${MAX_EVENT_BYTES} bytes`, 'BAD_USER_INPUT');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      return refuse(`the event is not JSON: ${(error as Error).message}`, 'BAD_USER_INPUT');
    }
    const parsed = AgencyEventInput.safeParse(json);
    const rawId = typeof (json as { id?: unknown } | null)?.id === 'string' ? ((json as { id: string }).id.slice(0, 128) as string) : null;
    if (!parsed.success) {
      const reason = parsed.error.issues.map((i) => `${i.path.join('.') || 'event'}: ${i.message}`).join('; ');
      return refuse(
        `the envelope is invalid (${reason}); send { "id", "data": { ... } } with optional "version", "type", "occurredAt"`,
        'BAD_USER_INPUT',
        rawId,
      );
    }
    const input = parsed.data;
    if (input.type !== undefined && input.type !== received.eventType) {
      return refuse(`"type" is "${input.type}" but the event was sent as "${received.eventType}"`, 'BAD_USER_INPUT', input.id, input.version ?? null);
    }
    if (platformAgencyEventType(received.eventType)?.publishedBy === 'platform') {
      return refuse(
        `"${received.eventType}" is published by Simpul itself, not by agency systems; subscribe to it with a grant`,
        'FORBIDDEN',
        input.id,
        input.version ?? null,
      );
    }
    const type = await this.declared(received.agencyCode, received.eventType, input.version);
    if (!type) {
      const label = eventTypeLabel(received.agencyCode, received.eventType, input.version);
      return refuse(
        `${label} is not declared in the event catalogue; the agency's administrator declares it first (declareEventType)`,
        'NOT_FOUND',
        input.id,
        input.version ?? null,
      );
    }
    const check = this.validators.validate(type.id, type.payloadSchema, input.data);
    if (!check.ok)
      return refuse(
        `data does not match the schema of ${eventTypeLabel(type.ownerAgencyCode, type.name, type.version)}: ${check.reason}`,
        'BAD_USER_INPUT',
        input.id,
        type.version,
      );

    const receivedAt = this.now().toISOString();
    const event: AgencyEvent = {
      id: input.id,
      type: type.name,
      version: type.version,
      agencyCode: type.ownerAgencyCode,
      publisher: received.publisher,
      occurredAt: input.occurredAt ?? receivedAt,
      receivedAt,
      channel: received.channel,
      data: input.data,
    };
    const h = natsHeaders();
    h.set('Simpul-Event-Type', type.name);
    h.set('Simpul-Event-Version', String(type.version));
    if (replyTo) h.set(VERDICT_REPLY_HEADER, replyTo);
    const ack = await this.js.publish(this.names.accepted(type.ownerAgencyCode, type.version, type.name), encodeJson(event), {
      msgID: `${type.ownerAgencyCode}:${input.id}`,
      headers: h,
    });
    const warning = deprecationWarning(type);
    return { accepted: true, id: input.id, type: type.name, version: type.version, duplicate: ack.duplicate, ...(warning ? { warning } : {}) };
  }

  /**
   * Refused events of an agency, newest first: its AGENCY_ADMIN and API clients, national
   * roles. Without an agency, every agency's: the operators' view.
   */
  async rejections(principal: Principal | null, agencyCode: string | null, first: number) {
    const limit = Math.max(1, Math.min(first, 500));
    if (agencyCode === null) {
      requireOperatorReader(principal);
      return this.store.rejections(null, limit);
    }
    const caller = requirePrincipal(principal);
    const code = validAgencyCode(agencyCode);
    const national = hasRole(caller, 'NATIONAL_ADMIN', 'AUDITOR');
    const own = caller.agencyCode === code && (hasRole(caller, 'AGENCY_ADMIN') || caller.kind === 'client');
    if (!national && !own) throw forbidden(`The refused events of ${code} are for its administrators and API clients, NATIONAL_ADMIN and AUDITOR`);
    return this.store.rejections(code, limit);
  }

  /** A platform-defined type (any agency publishes it for itself), else the agency's own declaration. */
  private async declared(owner: string, name: string, version: number | undefined): Promise<EventType | null> {
    const platform = platformAgencyEventType(name, version);
    if (platform) return platformEventTypeFor(owner, platform);
    const key = `${owner}/${name}@${version ?? 'latest'}`;
    const cached = this.types.get(key);
    const at = this.now().getTime();
    if (cached && at - cached.at < TYPE_CACHE_MS) return cached.type;
    const found = version === undefined ? await this.store.latest(owner, name) : await this.store.find(owner, name, version);
    if (found) this.types.set(key, { type: found, at });
    else this.types.delete(key);
    return found;
  }
}
