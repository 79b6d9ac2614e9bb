import { createHash } from 'node:crypto';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type JsMsg } from '@nats-io/jetstream';
import { decodeJson, recordProcessedEvent, type EventConsumer, type NatsConnection } from '@simpul/bus';
import { agencyEventSubjects, SimpegAppointment, type AgencyEvent, type Subjects } from '@simpul/contracts';
import { isExpectedError, type Logger } from '@simpul/kit';
import type { PrismaClient } from '../db.ts';
import type { EmployeeManager } from '../employees/employee-manager.ts';
import { agencySystemPrincipal } from '../auth/permissions.ts';

export const SIMPEG_APPOINTMENT_CONSUMER = 'personnel-simpeg-appointment';
const NANOS_PER_MS = 1_000_000;
/** Failures other than a refusal (identity or the database away) are retried this often, then given up (logged). */
const MAX_DELIVERIES = 10;
const RETRY_DELAY_MS = 1_000;
/** Refusals by the rules: final, the same event again would be refused again. */
const REFUSALS = new Set(['FORBIDDEN', 'BAD_USER_INPUT', 'CONFLICT', 'NOT_FOUND']);

export type AppointmentOutcome = { applied: true; nip: string } | { applied: false; code: string; reason: string };

/** ProcessedEvent ids are UUIDs; an agency event is identified by its agency and its own id. */
function processedId(event: Pick<AgencyEvent, 'agencyCode' | 'id'>): string {
  const h = createHash('sha256').update(`${event.agencyCode}:${event.id}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/**
 * Applies a SIMPEG appointment with the rules of `appointEmployee`, through the same
 * manager, as the publishing agency's system: so only within that agency (an
 * appointment into another agency is refused and audited by the manager), and the
 * EmployeeAppointed event it writes makes identity open the account.
 */
export async function applySimpegAppointment(employees: EmployeeManager, event: AgencyEvent): Promise<AppointmentOutcome> {
  const data = SimpegAppointment.data.parse(event.data);
  try {
    const employee = await employees.appoint(agencySystemPrincipal(event.agencyCode, event.publisher), {
      ...data,
      unitCode: data.unitCode ?? null,
      asnStatus: data.asnStatus ?? null,
      effectiveDate: data.effectiveDate ?? null,
      decreeNumber: data.decreeNumber ?? null,
    });
    return { applied: true, nip: employee.nip };
  } catch (error) {
    const code = isExpectedError(error) ? String(error.extensions.code) : null;
    if (code && REFUSALS.has(code)) return { applied: false, code, reason: (error as Error).message };
    throw error;
  }
}

/**
 * Personnel's durable consumer of accepted SIMPEG appointments on `<NS>_AGENCY_EVENTS`
 * (every agency's: `<ns>.agency.*.v1.simpeg.pengangkatan`). Idempotent as the bus's
 * event consumers are: the event (agency and id) is recorded in ProcessedEvent once
 * handled, and a redelivery of a handled one changes nothing; an appointment applied
 * but not yet recorded (a crash in between) comes back as CONFLICT on its NIP, so it is
 * never applied twice. The stream is the registry's: until it exists the consumer
 * waits for it.
 */
export async function consumeSimpegEvents(options: {
  nc: NatsConnection;
  subjects: Subjects;
  prisma: PrismaClient;
  employees: EmployeeManager;
  logger: Logger;
}): Promise<EventConsumer> {
  const { nc, subjects, prisma, employees } = options;
  const logger = options.logger.child({ component: 'simpeg-events' });
  const names = agencyEventSubjects(subjects);
  const jsm = await jetstreamManager(nc);
  let stopped = false;
  let messages: { close(): Promise<void | Error> } | null = null;

  async function handle(msg: JsMsg): Promise<void> {
    let event: AgencyEvent;
    try {
      event = decodeJson(msg.data) as AgencyEvent;
      if (typeof event?.agencyCode !== 'string' || typeof event.id !== 'string') throw new Error('not an agency event');
    } catch (error) {
      // Only the registry's gate writes this stream, after validation: this is a bug, kept in the stream.
      logger.error({ err: error, subject: msg.subject, seq: msg.seq }, 'malformed accepted agency event; skipped');
      msg.term();
      return;
    }
    const id = processedId(event);
    try {
      const seen = await prisma.processedEvent.findUnique({ where: { consumer_id: { consumer: SIMPEG_APPOINTMENT_CONSUMER, id } } });
      if (!seen) {
        const outcome = await applySimpegAppointment(employees, event);
        if (outcome.applied) logger.info({ agencyCode: event.agencyCode, eventId: event.id, nip: outcome.nip }, 'SIMPEG appointment applied');
        else logger.warn({ agencyCode: event.agencyCode, eventId: event.id, code: outcome.code, reason: outcome.reason }, 'SIMPEG appointment refused');
        await prisma.$transaction((tx) => recordProcessedEvent(tx, SIMPEG_APPOINTMENT_CONSUMER, id));
      }
      msg.ack();
    } catch (error) {
      const deliveries = msg.info.deliveryCount;
      if (deliveries >= MAX_DELIVERIES) {
        logger.error({ err: error, agencyCode: event.agencyCode, eventId: event.id, deliveries }, 'SIMPEG appointment failed on every delivery; given up (it stays in the stream)');
        msg.term();
      } else {
        logger.error({ err: error, agencyCode: event.agencyCode, eventId: event.id, deliveries }, 'SIMPEG appointment failed; will retry');
        msg.nak(Math.min(30_000, RETRY_DELAY_MS * 2 ** Math.max(0, deliveries - 1)));
      }
    }
  }

  const loop = (async () => {
    // The registry creates the stream; personnel may start first.
    for (let attempt = 0; !stopped; attempt++) {
      try {
        await jsm.consumers.add(names.acceptedStream, {
          durable_name: SIMPEG_APPOINTMENT_CONSUMER,
          ack_policy: AckPolicy.Explicit,
          deliver_policy: DeliverPolicy.All,
          filter_subject: names.accepted('*', SimpegAppointment.version, SimpegAppointment.name),
          ack_wait: 30_000 * NANOS_PER_MS,
          max_deliver: -1,
        });
        break;
      } catch (error) {
        if (attempt === 0) logger.info({ err: error, stream: names.acceptedStream }, 'agency events stream not there yet; waiting for the registry');
        await new Promise((resolve) => setTimeout(resolve, 2_000));
      }
    }
    if (stopped) return;
    const consumer = await jetstream(nc).consumers.get(names.acceptedStream, SIMPEG_APPOINTMENT_CONSUMER);
    const iterator = await consumer.consume({ expires: 10_000 });
    messages = iterator;
    if (stopped) await iterator.close();
    for await (const msg of iterator) await handle(msg);
  })().catch((error: unknown) => logger.error({ err: error }, 'SIMPEG appointment consumer stopped'));

  return {
    async stop() {
      stopped = true;
      await messages?.close();
      await loop;
    },
  };
}
