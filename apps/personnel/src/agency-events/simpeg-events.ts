import { createHash } from 'node:crypto';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type JsMsg } from '@nats-io/jetstream';
import { decodeJson, ensureDeadLetterStream, publishDeadLetter, recordProcessedEvent, terminate, type EventConsumer, type NatsConnection } from '@simpul/bus';
import {
  agencyEventSubjects,
  SimpegAppointment,
  SimpegRetirement,
  SimpegTransfer,
  type AgencyEvent,
  type PlatformAgencyEventType,
  type Subjects,
} from '@simpul/contracts';
import { isExpectedError, type Logger } from '@simpul/kit';
import { ZodError } from 'zod';
import type { Employee, PrismaClient } from '../db.ts';
import type { PersonnelManagers } from '../personnel.ts';
import { agencySystemPrincipal } from '../auth/permissions.ts';
import { reportRefusal } from './refusal-report.ts';

const NANOS_PER_MS = 1_000_000;
/** Failures other than a refusal (identity or the database away) are retried this often, then parked as a dead letter. */
const MAX_DELIVERIES = 10;
const RETRY_DELAY_MS = 1_000;
/** Refusals by the rules, reported to the publisher: the same event again would be refused again. */
const REFUSALS = new Set(['FORBIDDEN', 'BAD_USER_INPUT', 'CONFLICT', 'NOT_FOUND']);
/**
 * A refusal that names something not (yet) known: an employee a transfer or retirement
 * names, a unit. It may exist later (the appointment comes after the transfer, the unit
 * is created), so besides the report the event is parked as a dead letter an operator
 * replays once it does, or discards.
 */
const MAY_APPLY_LATER = 'NOT_FOUND';

/** ProcessedEvent ids are UUIDs; an agency event is identified by its agency and its own id. */
function processedId(event: Pick<AgencyEvent, 'agencyCode' | 'id'>): string {
  const h = createHash('sha256').update(`${event.agencyCode}:${event.id}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export type SimpegOutcome =
  | { applied: true; nip: string }
  | { applied: false; code: 'FORBIDDEN' | 'BAD_USER_INPUT' | 'CONFLICT' | 'NOT_FOUND'; reason: string }
  /** The data does not fit the type's definition although the gate accepted it: no delivery will ever apply it. */
  | { applied: false; code: 'UNUSABLE'; reason: string };

interface SimpegHandler {
  type: PlatformAgencyEventType;
  /** One durable consumer per type: nats-server 2.9 allows one filter per consumer. */
  durable: string;
  apply(managers: PersonnelManagers, event: AgencyEvent): Promise<Employee>;
}

/**
 * Each type is applied through the same manager call as its GraphQL mutation, as the
 * publishing agency's system: so only within that agency (anything else is refused
 * and audited by the manager), and the employee events it writes make identity open,
 * move or disable the account as for the mutation.
 */
export const SIMPEG_HANDLERS: readonly SimpegHandler[] = [
  {
    type: SimpegAppointment,
    durable: 'personnel-simpeg-appointment',
    apply(managers, event) {
      const data = SimpegAppointment.data.parse(event.data);
      return managers.employees.appoint(agencySystemPrincipal(event.agencyCode, event.publisher), {
        ...data,
        unitCode: data.unitCode ?? null,
        asnStatus: data.asnStatus ?? null,
        effectiveDate: data.effectiveDate ?? null,
        decreeNumber: data.decreeNumber ?? null,
      });
    },
  },
  {
    type: SimpegTransfer,
    durable: 'personnel-simpeg-transfer',
    apply(managers, event) {
      const data = SimpegTransfer.data.parse(event.data);
      // Within the publishing agency only: a move to another agency is that agency's decision (transferEmployee).
      return managers.transfers.transfer(agencySystemPrincipal(event.agencyCode, event.publisher), {
        nip: data.nip,
        toAgencyCode: event.agencyCode,
        toUnitCode: data.toUnitCode ?? null,
        effectiveDate: data.effectiveDate ?? null,
        decreeNumber: data.decreeNumber ?? null,
      });
    },
  },
  {
    type: SimpegRetirement,
    durable: 'personnel-simpeg-retirement',
    apply(managers, event) {
      const data = SimpegRetirement.data.parse(event.data);
      return managers.employees.retire(agencySystemPrincipal(event.agencyCode, event.publisher), {
        nip: data.nip,
        effectiveDate: data.effectiveDate ?? null,
        decreeNumber: data.decreeNumber ?? null,
        reason: data.reason ?? null,
      });
    },
  },
];

/** Applies one accepted event; a refusal by the rules is an outcome, anything else throws (retried). */
export async function applySimpegEvent(handler: SimpegHandler, managers: PersonnelManagers, event: AgencyEvent): Promise<SimpegOutcome> {
  try {
    const employee = await handler.apply(managers, event);
    return { applied: true, nip: employee.nip };
  } catch (error) {
    if (error instanceof ZodError)
      return {
        applied: false,
        code: 'UNUSABLE',
        reason: `data unusable as ${handler.type.name}@${handler.type.version}: ${error.issues.map((i) => `${i.path.join('.') || 'data'}: ${i.message}`).join('; ')}`,
      };
    const code = isExpectedError(error) ? String(error.extensions.code) : null;
    if (code && REFUSALS.has(code)) return { applied: false, code: code as 'FORBIDDEN', reason: (error as Error).message };
    throw error;
  }
}

/**
 * Personnel's durable consumers of the accepted SIMPEG events on `<NS>_AGENCY_EVENTS`,
 * one per type, over every agency (`<ns>.agency.*.v1.simpeg.pengangkatan`, …).
 * Idempotent as the bus's event consumers are: the event (agency and id) is recorded
 * in ProcessedEvent once handled, and a redelivery of a handled one changes nothing.
 * The change and that record are two transactions: after a crash in between, an
 * appointment comes back as CONFLICT on its NIP and a retirement as a refusal of a
 * retired employee (never applied twice); a transfer would be recorded again. The
 * stream is the registry's: until it exists the consumers wait for it.
 *
 * A refusal by the rules is reported to the publisher (refusal-report.ts). An event that
 * cannot be applied now is never dropped: it is parked on the platform's dead-letter
 * stream (the console's Events page replays or discards it), when it is unreadable or
 * its data unusable (at once), names what is not known (NOT_FOUND, also reported), or
 * failed MAX_DELIVERIES times. A replay publishes it again on its subject, and only this
 * consumer acts on it again (the others recorded it as handled; the fan-out to
 * subscribers de-duplicates by event id).
 */
export async function consumeSimpegEvents(options: {
  nc: NatsConnection;
  subjects: Subjects;
  prisma: PrismaClient;
  managers: PersonnelManagers;
  logger: Logger;
}): Promise<EventConsumer> {
  const consumers = await Promise.all(SIMPEG_HANDLERS.map((handler) => consumeOne(handler, options)));
  return { stop: () => Promise.all(consumers.map((c) => c.stop())).then(() => undefined) };
}

async function consumeOne(
  handler: SimpegHandler,
  options: { nc: NatsConnection; subjects: Subjects; prisma: PrismaClient; managers: PersonnelManagers; logger: Logger },
): Promise<EventConsumer> {
  const { nc, subjects, prisma, managers } = options;
  const logger = options.logger.child({ component: 'simpeg-events', eventType: handler.type.name });
  const names = agencyEventSubjects(subjects);
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  await ensureDeadLetterStream(nc, subjects);
  let stopped = false;

  /** Parks the message on the dead-letter stream, then terminates it (the dead letter is what an operator acts on). */
  async function park(msg: JsMsg, reason: string): Promise<void> {
    await publishDeadLetter(js, subjects, handler.durable, msg, reason);
    terminate(nc, msg, reason);
  }
  let messages: { close(): Promise<void | Error> } | null = null;

  async function handle(msg: JsMsg): Promise<void> {
    let event: AgencyEvent;
    try {
      event = decodeJson(msg.data) as AgencyEvent;
      if (typeof event?.agencyCode !== 'string' || typeof event.id !== 'string') throw new Error('not an agency event');
    } catch (error) {
      // Only the registry's gate writes this stream, after validation: a bug, parked for an operator to see.
      logger.error({ err: error, subject: msg.subject, seq: msg.seq }, 'malformed accepted agency event; parked as a dead letter');
      await park(msg, `not an agency event: ${(error as Error).message}`).catch((parkError: unknown) => {
        logger.error({ err: parkError, seq: msg.seq }, 'cannot park the malformed event; it will be redelivered');
        msg.nak(RETRY_DELAY_MS);
      });
      return;
    }
    const id = processedId(event);
    try {
      const seen = await prisma.processedEvent.findUnique({ where: { consumer_id: { consumer: handler.durable, id } } });
      if (seen) return msg.ack();
      const outcome = await applySimpegEvent(handler, managers, event);
      const facts = { agencyCode: event.agencyCode, eventId: event.id };
      if (outcome.applied) {
        logger.info({ ...facts, nip: outcome.nip }, 'SIMPEG event applied');
        await prisma.$transaction((tx) => recordProcessedEvent(tx, handler.durable, id));
      } else if (outcome.code === 'UNUSABLE') {
        logger.error({ ...facts, reason: outcome.reason }, 'SIMPEG event unusable; parked as a dead letter');
        await park(msg, outcome.reason);
        return;
      } else if (outcome.code === MAY_APPLY_LATER) {
        // Reported now; parked (not recorded as handled) so that a replay applies it once what it names exists.
        logger.warn({ ...facts, reason: outcome.reason }, 'SIMPEG event names what is not known; reported and parked as a dead letter');
        await prisma.$transaction((tx) => reportRefusal(tx, subjects, event, msg, outcome));
        await park(msg, `${outcome.code}: ${outcome.reason}`);
        return;
      } else {
        logger.warn({ ...facts, code: outcome.code, reason: outcome.reason }, 'SIMPEG event refused; reported to the publisher');
        await prisma.$transaction(async (tx) => {
          if (await recordProcessedEvent(tx, handler.durable, id)) await reportRefusal(tx, subjects, event, msg, outcome);
        });
      }
      msg.ack();
    } catch (error) {
      const deliveries = msg.info.deliveryCount;
      if (deliveries >= MAX_DELIVERIES) {
        logger.error(
          { err: error, agencyCode: event.agencyCode, eventId: event.id, deliveries },
          'SIMPEG event failed on every delivery; parked as a dead letter',
        );
        await park(msg, `failed ${deliveries} times: ${(error as Error).message}`).catch((parkError: unknown) => {
          logger.error({ err: parkError, eventId: event.id }, 'cannot park the event; it will be redelivered');
          msg.nak(RETRY_DELAY_MS);
        });
      } else {
        logger.error({ err: error, agencyCode: event.agencyCode, eventId: event.id, deliveries }, 'SIMPEG event failed; will retry');
        msg.nak(Math.min(30_000, RETRY_DELAY_MS * 2 ** Math.max(0, deliveries - 1)));
      }
    }
  }

  const loop = (async () => {
    // The registry creates the stream; personnel may start first.
    for (let attempt = 0; !stopped; attempt++) {
      try {
        await jsm.consumers.add(names.acceptedStream, {
          durable_name: handler.durable,
          ack_policy: AckPolicy.Explicit,
          deliver_policy: DeliverPolicy.All,
          filter_subject: names.accepted('*', handler.type.version, handler.type.name),
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
    const consumer = await jetstream(nc).consumers.get(names.acceptedStream, handler.durable);
    const iterator = await consumer.consume({ expires: 10_000 });
    messages = iterator;
    if (stopped) await iterator.close();
    for await (const msg of iterator) await handle(msg);
  })().catch((error: unknown) => logger.error({ err: error }, 'SIMPEG event consumer stopped'));

  return {
    async stop() {
      stopped = true;
      await messages?.close();
      await loop;
    },
  };
}
