import { z } from 'zod';
import { AgencyCode } from './agency.ts';
import { defineEvent, type EventDefinition } from './events.ts';
import type { ServiceName } from './services.ts';

/**
 * A service refused to act on an accepted agency event by its rules (personnel: a SIMPEG
 * appointment outside the publisher's agency, a rank appointEmployee refuses, …). The
 * gate had accepted it, so the publisher learns the refusal from this event: the
 * registry records it beside the gate's refusals (`eventRejections`, the console) and
 * answers on the publisher's reply subject when it gave one.
 */
export const AgencyEventRefusalData = z.object({
  /** The publishing agency. */
  agencyCode: AgencyCode,
  eventId: z.string().min(1),
  eventType: z.string().min(1),
  version: z.number().int().positive(),
  channel: z.enum(['NATS', 'HTTP']).nullable(),
  /** The GraphQL error code the service's rules gave (FORBIDDEN, BAD_USER_INPUT, CONFLICT, NOT_FOUND). */
  code: z.enum(['FORBIDDEN', 'BAD_USER_INPUT', 'CONFLICT', 'NOT_FOUND']),
  reason: z.string().min(1).max(1_000),
  /** The NATS publisher's own inbox it asked the verdict on (the accepted event's `Simpul-Reply-To`), else null. */
  replyTo: z.string().nullable(),
  /** The start of the event's data, for the publisher to recognise it. */
  excerpt: z.string().max(500),
});
export type AgencyEventRefusalData = z.infer<typeof AgencyEventRefusalData>;

/** The services that act on platform agency events and may refuse them. */
export const AGENCY_EVENT_ACTING_SERVICES = ['personnel'] as const satisfies readonly ServiceName[];
export type AgencyEventActingService = (typeof AGENCY_EVENT_ACTING_SERVICES)[number];

/** `<ns>.evt.<service>.agency-event.refused`, published through the service's outbox. */
export const AgencyEventRefused = Object.fromEntries(
  AGENCY_EVENT_ACTING_SERVICES.map((service) => [
    service,
    defineEvent({ service, entity: 'agency-event', verb: 'refused', version: 1, data: AgencyEventRefusalData }),
  ]),
) as { [S in AgencyEventActingService]: EventDefinition<typeof AgencyEventRefusalData> };
