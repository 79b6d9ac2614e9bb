import type { EventAccessInput } from './event-access-manager.ts';
import type { DeclareEventTypeInput, EventTypeRef } from './event-catalogue-manager.ts';
import type { EventAccessGrant, EventRejection, EventType } from './event-catalogue-store.ts';
import type { Resolver } from '../schema/resolvers/types.ts';
import { iso } from '../schema/resolvers/types.ts';
import { isPlatformRow } from './platform-event-types.ts';

/** The event catalogue's part of the registry's subschema (merged into it in schema/schema.ts). */
export const eventCatalogueTypeDefs = /* GraphQL */ `
extend type Query {
  "The catalogue: the platform-defined types (platform: true; of agencyCode when given, else owned by '*'), then the declared ones by agency, name and version. Any logged-in caller; deprecated ones only when asked."
  eventTypes(agencyCode: String, includeDeprecated: Boolean = false, includePlatform: Boolean = true): [EventType!]!
  "One version of an agency's event type, the latest when version is omitted; null when not declared."
  eventType(agencyCode: String!, name: String!, version: Int): EventType
  "The grants an agency gave on its event types. Its AGENCY_ADMIN, NATIONAL_ADMIN or AUDITOR."
  eventAccessGrants(agencyCode: String!): [EventAccessGrant!]!
  "What an API client may receive. The client itself, an AGENCY_ADMIN, NATIONAL_ADMIN or AUDITOR."
  eventAccessOf(clientId: String!): [EventAccessGrant!]!
  "Events of the agency the platform refused, newest first, with the reason and who refused them. Its AGENCY_ADMIN and API clients, NATIONAL_ADMIN, AUDITOR; without agencyCode, every agency's (OPERATOR, NATIONAL_ADMIN, AUDITOR)."
  eventRejections(agencyCode: String, first: Int = 50): [EventRejection!]!
}

extend type Mutation {
  "The agency's AGENCY_ADMIN (or a NATIONAL_ADMIN) declares an event type version its systems publish (audited). Versions never change: the same declaration again changes nothing, another is a CONFLICT."
  declareEventType(input: DeclareEventTypeInput!): EventType!
  "Marks a version deprecated (audited). Its events are still accepted and delivered."
  deprecateEventType(agencyCode: String!, name: String!, version: Int!, reason: String): EventType!
  "The owner agency lets an API client receive an event type, every version when version is omitted (audited; granting twice changes nothing)."
  grantEventAccess(agencyCode: String!, eventType: String!, version: Int, clientId: String!): EventAccessGrant!
  "True when a grant was removed (audited); the client receives nothing more of it."
  revokeEventAccess(agencyCode: String!, eventType: String!, version: Int, clientId: String!): Boolean!
  "The client (its own token) or a NATIONAL_ADMIN has its NATS consumer start again from since (ISO 8601, within 30 days); answers the start time."
  replayEventDeliveries(clientId: String!, since: String!): String!
}

input DeclareEventTypeInput {
  agencyCode: String!
  "Lower-case words joined by dots, e.g. sppd.issued: the subject tail after <ns>.ext.<agencyCode>."
  name: String!
  version: Int!
  description: String!
  "JSON Schema (draft 2020-12 by default, or draft-07) of the event's data, as JSON text; it must describe an object."
  schema: String!
}

"An event type an agency publishes, one version of it."
type EventType {
  id: ID!
  ownerAgencyCode: String!
  name: String!
  version: Int!
  description: String!
  "The JSON Schema of the event's data, as JSON text."
  schema: String!
  declaredBy: String!
  "ISO 8601."
  declaredAt: String!
  deprecated: Boolean!
  deprecatedAt: String
  deprecationReason: String
  "The subject an agency system publishes it on, in the platform's namespace (for a type only Simpul publishes, where it is stored)."
  subject: String!
  "Defined by the platform (packages/contracts), not declared by an agency: every agency publishes it for itself (simpeg.*), or Simpul publishes it for the agency (surat.masuk)."
  platform: Boolean!
  "Grants that let a client receive this version (grants of every version included); for a platform type without an agency, over every agency."
  grantCount: Int!
}

"The right of an API client to receive an event type."
type EventAccessGrant {
  id: ID!
  ownerAgencyCode: String!
  eventType: String!
  "Null: every version."
  version: Int
  clientId: String!
  grantedBy: String!
  grantedAt: String!
}

enum EventChannel { NATS HTTP }

"An event the platform refused, and why."
type EventRejection {
  id: ID!
  agencyCode: String!
  eventId: String
  eventType: String
  version: Int
  channel: EventChannel!
  reason: String!
  "registry: refused by the gate (JSON, envelope, catalogue, schema); else the service that refused to act on the accepted event by its rules (personnel)."
  refusedBy: String!
  "The start of what was received."
  excerpt: String!
  receivedAt: String!
}
`;

export const eventCatalogueResolvers = {
  Query: {
    eventTypes: ((_, args, { eventCatalogue, principal }) => eventCatalogue.list(principal, args)) satisfies Resolver<
      unknown,
      { agencyCode?: string | null; includeDeprecated?: boolean | null; includePlatform?: boolean | null }
    >,
    eventType: ((_, args, { eventCatalogue, principal }) => eventCatalogue.get(principal, args)) satisfies Resolver<
      unknown,
      { agencyCode: string; name: string; version?: number | null }
    >,
    eventAccessGrants: ((_, { agencyCode }, { eventAccess, principal }) => eventAccess.grantsOf(principal, agencyCode)) satisfies Resolver<
      unknown,
      { agencyCode: string }
    >,
    eventAccessOf: ((_, { clientId }, { eventAccess, principal }) => eventAccess.grantsTo(principal, clientId)) satisfies Resolver<
      unknown,
      { clientId: string }
    >,
    eventRejections: ((_, { agencyCode, first }, { agencyEvents, principal }) =>
      agencyEvents.rejections(principal, agencyCode ?? null, first ?? 50)) satisfies Resolver<unknown, { agencyCode?: string | null; first?: number | null }>,
  },
  Mutation: {
    declareEventType: ((_, { input }, { eventCatalogue, principal }) => eventCatalogue.declare(principal, input)) satisfies Resolver<
      unknown,
      { input: DeclareEventTypeInput }
    >,
    deprecateEventType: ((_, { reason, ...ref }, { eventCatalogue, principal }) => eventCatalogue.deprecate(principal, ref, reason)) satisfies Resolver<
      unknown,
      EventTypeRef & { reason?: string | null }
    >,
    grantEventAccess: ((_, args, { eventAccess, principal }) => eventAccess.grant(principal, args)) satisfies Resolver<unknown, EventAccessInput>,
    revokeEventAccess: ((_, args, { eventAccess, principal }) => eventAccess.revoke(principal, args)) satisfies Resolver<unknown, EventAccessInput>,
    replayEventDeliveries: ((_, { clientId, since }, { eventAccess, eventDeliveries, principal }) =>
      eventAccess.replay(principal, clientId, since, (id, from) => eventDeliveries.replay(id, from))) satisfies Resolver<
      unknown,
      { clientId: string; since: string }
    >,
  },
  EventType: {
    schema: (t: EventType) => JSON.stringify(t.payloadSchema),
    declaredAt: (t: EventType) => t.createdAt.toISOString(),
    deprecated: (t: EventType) => t.deprecatedAt !== null,
    deprecatedAt: (t: EventType) => iso(t.deprecatedAt),
    deprecationReason: (t: EventType) => t.deprecationNote,
    subject: ((t: EventType, _args, { agencyEvents }) => agencyEvents.catalogueSubject(t)) satisfies Resolver<EventType>,
    platform: (t: EventType) => isPlatformRow(t),
    grantCount: ((t: EventType, _args, { eventAccess }) => eventAccess.grantCount(t)) satisfies Resolver<EventType>,
  },
  EventAccessGrant: {
    eventType: (g: EventAccessGrant) => g.eventName,
    version: (g: EventAccessGrant) => (g.version === 0 ? null : g.version),
    grantedAt: (g: EventAccessGrant) => g.createdAt.toISOString(),
  },
  EventRejection: {
    eventType: (r: EventRejection) => r.eventName,
    receivedAt: (r: EventRejection) => r.receivedAt.toISOString(),
  },
};
