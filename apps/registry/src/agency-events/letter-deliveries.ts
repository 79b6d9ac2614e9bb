import { headers as natsHeaders } from '@nats-io/nats-core';
import { jetstream } from '@nats-io/jetstream';
import { consumeEvents, encodeJson, recordProcessedEvent, type EventConsumer, type NatsConnection } from '@simpul/bus';
import { agencyEventSubjects, DocumentSent, LetterReceived, type AgencyEvent, type Subjects } from '@simpul/contracts';
import type { Logger } from '@simpul/kit';
import type { PrismaClient } from '../db.ts';

export const LETTER_CONSUMER = 'registry-letters-to-agencies';

/**
 * A letter sent through Simpul to another agency becomes that agency's `surat.masuk`
 * event on the accepted stream (`<ns>.agency.<recipient>.v1.surat.masuk`), so the usual
 * fan-out delivers it to the e-office systems the agency granted it to, and to nobody
 * else. One event per receiving agency, its id derived from the document's, so a
 * redelivered documents event is a duplicate on the stream, not a second letter.
 */
export async function deliverLettersToAgencies(options: {
  nc: NatsConnection;
  subjects: Subjects;
  prisma: PrismaClient;
  logger: Logger;
}): Promise<EventConsumer> {
  const { nc, subjects, prisma, logger } = options;
  const names = agencyEventSubjects(subjects);
  const js = jetstream(nc);
  return consumeEvents({
    nc,
    subjects,
    durable: LETTER_CONSUMER,
    definition: DocumentSent,
    logger: logger.child({ consumer: LETTER_CONSUMER }),
    handle: async (data, envelope) => {
      if (await prisma.processedEvent.findUnique({ where: { consumer_id: { consumer: LETTER_CONSUMER, id: envelope.id } } })) return;
      const receiving = [...new Set(data.recipients.map((r) => r.agencyCode))].filter((code) => code !== data.agencyCode);
      for (const agencyCode of receiving) {
        const event: AgencyEvent = {
          id: `surat-${data.id}`,
          type: LetterReceived.name,
          version: LetterReceived.version,
          agencyCode,
          publisher: null,
          occurredAt: data.sentAt,
          receivedAt: new Date().toISOString(),
          data: LetterReceived.data.parse({
            documentId: data.id,
            number: data.number,
            fromAgencyCode: data.agencyCode,
            securityClass: data.securityClass,
            sentAt: data.sentAt,
            recipients: data.recipients.filter((r) => r.agencyCode === agencyCode).map((r) => ({ kind: r.kind, unitCode: r.unitCode, nip: r.nip })),
          }),
        };
        const h = natsHeaders();
        h.set('Simpul-Event-Type', event.type);
        h.set('Simpul-Event-Version', String(event.version));
        await js.publish(names.accepted(agencyCode, event.version, event.type), encodeJson(event), { msgID: `${agencyCode}:${event.id}`, headers: h });
      }
      await prisma.$transaction((tx) => recordProcessedEvent(tx, LETTER_CONSUMER, envelope.id));
    },
  });
}
