import { z } from 'zod';
import type { Subjects } from './subjects.ts';

/**
 * Events of agency systems (outside Simpul), exchanged through the platform:
 *
 *   agency system ──<ns>.ext.<agency>.<type>──▶ <NS>_EXTERNAL ──▶ registry validates
 *   gateway POST /events/<type> ──<ns>.registry.events.ingest──▶ registry validates
 *       valid ──▶ <NS>_AGENCY_EVENTS (<ns>.agency.<owner>.v<version>.<type>), de-duplicated by event id
 *       invalid or undeclared ──▶ refused with the reason (reply, HTTP answer, rejection record)
 *   <NS>_AGENCY_EVENTS ──fan-out by grant──▶ <NS>_DELIVERIES (<ns>.deliver.<clientId>.<owner>.v<version>.<type>)
 *       each granted client pulls from its own durable consumer `deliver-<clientId>` there.
 */
export interface AgencyEventSubjects {
  /** Where an agency system publishes an event type: `<ns>.ext.<agency>.<type>`. */
  publish(agencyCode: string, eventType: string): string;
  /** An accepted event, validated against its declared schema. */
  accepted(ownerAgencyCode: string, version: number, eventType: string): string;
  readonly allAccepted: string;
  readonly acceptedStream: string;
  /** A copy of an accepted event for one granted client. */
  delivery(clientId: string, ownerAgencyCode: string, version: number, eventType: string): string;
  /** Everything a client receives (its consumer's filter). */
  deliveriesOf(clientId: string): string;
  /** What a client receives of one event type, every version (purged when the grant goes). */
  deliveriesOfType(clientId: string, ownerAgencyCode: string, eventType: string, version?: number): string;
  readonly allDeliveries: string;
  readonly deliveryStream: string;
  /** The durable consumer a granted client pulls its events from. */
  deliveryConsumer(clientId: string): string;
  /** Request/reply: the gateway hands an event received over HTTP to the registry for validation. */
  readonly ingest: string;
}

export function agencyEventSubjects(subjects: Subjects): AgencyEventSubjects {
  const ns = subjects.namespace;
  const NS = ns.toUpperCase().replace(/-/g, '_');
  return {
    publish: (agencyCode, eventType) => `${ns}.ext.${agencyCode}.${eventType}`,
    accepted: (owner, version, eventType) => `${ns}.agency.${owner}.v${version}.${eventType}`,
    allAccepted: `${ns}.agency.>`,
    acceptedStream: `${NS}_AGENCY_EVENTS`,
    delivery: (clientId, owner, version, eventType) => `${ns}.deliver.${clientId}.${owner}.v${version}.${eventType}`,
    deliveriesOf: (clientId) => `${ns}.deliver.${clientId}.>`,
    deliveriesOfType: (clientId, owner, eventType, version) => `${ns}.deliver.${clientId}.${owner}.${version ? `v${version}` : '*'}.${eventType}`,
    allDeliveries: `${ns}.deliver.>`,
    deliveryStream: `${NS}_DELIVERIES`,
    deliveryConsumer: (clientId) => `deliver-${clientId}`,
    ingest: `${ns}.registry.events.ingest`,
  };
}

/**
 * Header an agency system may set on an event it publishes over NATS: an inbox subject
 * of its own (under its inbox prefix) where the platform answers with an
 * `AgencyEventVerdict` once the event was validated.
 */
export const VERDICT_REPLY_HEADER = 'Simpul-Reply-To';

/** What an agency system sends: its own envelope around the data its schema describes. */
export const AgencyEventInput = z.object({
  /** The idempotency key: the same id again is the same event (within a day). */
  id: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[A-Za-z0-9._:-]+$/, 'id: 1-128 characters of A-Z a-z 0-9 . _ : -'),
  /** Optional; when present it must be the subject's (or URL's) type. */
  type: z.string().optional(),
  /** The declared version; the latest declared when omitted. */
  version: z.number().int().positive().optional(),
  occurredAt: z.iso.datetime({ offset: true }).optional(),
  data: z.record(z.string(), z.unknown()),
});
export type AgencyEventInput = z.infer<typeof AgencyEventInput>;

/** An accepted agency event, as stored and delivered. */
export interface AgencyEvent {
  id: string;
  type: string;
  version: number;
  /** The publishing agency, the owner of the event type. */
  agencyCode: string;
  /** The API client that published it, when known (HTTP). */
  publisher: string | null;
  occurredAt: string;
  receivedAt: string;
  /** How the publisher sent it (absent on events stored before it was recorded). */
  channel?: 'NATS' | 'HTTP';
  data: Record<string, unknown>;
}

/** The registry's answer to an ingestion request, and the verdict sent to a NATS publisher's reply subject. */
export type AgencyEventVerdict =
  /** `warning`: the version is deprecated; accepted until it is removed. */
  | { accepted: true; id: string; type: string; version: number; duplicate: boolean; warning?: string }
  /**
   * `refusedBy`: absent (or `registry`) when the gate refused it; the service's name when
   * the event was accepted but the service that acts on it refused it by its rules
   * (sent later, to the same reply subject).
   */
  | {
      accepted: false;
      id: string | null;
      type: string;
      reason: string;
      code: 'BAD_USER_INPUT' | 'NOT_FOUND' | 'FORBIDDEN' | 'CONFLICT' | 'SERVICE_UNAVAILABLE';
      refusedBy?: string;
    };

/** What the gateway sends on `ingest` for an event received over HTTP from an authenticated API client. */
export interface AgencyEventIngestRequest {
  /** The caller's bearer token: the registry verifies it itself. */
  token: string;
  eventType: string;
  /** The request body as received. */
  body: string;
}

/** The gateway's HTTP ingestion of agency events: `POST /events/<type>` with an API client's bearer token. */
export const AGENCY_EVENTS_PATH = '/events/';
