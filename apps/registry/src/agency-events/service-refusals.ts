import { consumeEvents, encodeJson, recordProcessedEvent, type EventConsumer, type NatsConnection } from '@simpul/bus';
import { AGENCY_EVENT_ACTING_SERVICES, AgencyEventRefused, type AgencyEventRefusalData, type AgencyEventVerdict, type Subjects } from '@simpul/contracts';
import type { Logger } from '@simpul/kit';
import type { PrismaClient } from '../db.ts';

export const serviceRefusalConsumer = (service: string) => `registry-agency-event-refusals-${service}`;

/**
 * Refusals by the services that act on accepted agency events (personnel refusing a
 * SIMPEG appointment outside the publisher's agency) reach the publisher as the gate's
 * do: recorded in `eventRejections` (refusedBy: the service), so its administrators, its
 * API clients and the console see them, and sent as a verdict to the reply subject the
 * NATS publisher asked for. Recorded once per refusal event (ProcessedEvent, in the
 * same transaction); the reply is sent after the record, best effort, as the gate's is.
 */
export async function startServiceRefusals(options: { nc: NatsConnection; subjects: Subjects; prisma: PrismaClient; logger: Logger }): Promise<EventConsumer> {
  const { nc, subjects, prisma } = options;
  const consumers = await Promise.all(
    AGENCY_EVENT_ACTING_SERVICES.map((service) => {
      const durable = serviceRefusalConsumer(service);
      return consumeEvents({
        nc,
        subjects,
        durable,
        definition: AgencyEventRefused[service],
        logger: options.logger.child({ consumer: durable }),
        handle: async (data, envelope) => {
          const fresh = await prisma.$transaction(async (tx) => {
            if (!(await recordProcessedEvent(tx, durable, envelope.id))) return false;
            await tx.eventRejection.create({
              data: {
                agencyCode: data.agencyCode,
                eventId: data.eventId,
                eventName: data.eventType,
                version: data.version,
                // Events stored before the channel was recorded came over NATS or HTTP; NATS is the older path.
                channel: data.channel ?? 'NATS',
                reason: data.reason,
                excerpt: data.excerpt,
                refusedBy: service,
              },
            });
            return true;
          });
          const replyTo = verdictSubject(subjects, data);
          if (fresh && replyTo) nc.publish(replyTo, encodeJson(refusalVerdict(data, service)));
        },
      });
    }),
  );
  return { stop: () => Promise.all(consumers.map((c) => c.stop())).then(() => undefined) };
}

/** The publisher's own inbox, only when it is one (the gate checked it too; this keeps a forged subject out). */
function verdictSubject(subjects: Subjects, data: AgencyEventRefusalData): string | null {
  return data.replyTo && data.replyTo.startsWith(`${subjects.externalInboxPrefix(data.agencyCode)}.`) ? data.replyTo : null;
}

export function refusalVerdict(data: AgencyEventRefusalData, service: string): AgencyEventVerdict {
  return { accepted: false, id: data.eventId, type: data.eventType, code: data.code, reason: data.reason, refusedBy: service };
}
