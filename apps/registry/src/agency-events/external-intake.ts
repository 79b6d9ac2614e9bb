import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type JsMsg } from '@nats-io/jetstream';
import { encodeJson, type EventConsumer, type NatsConnection } from '@simpul/bus';
import { VERDICT_REPLY_HEADER, type Subjects } from '@simpul/contracts';
import type { Logger } from '@simpul/kit';
import type { AgencyEventGate } from './agency-event-gate.ts';

export const INTAKE_CONSUMER = 'registry-agency-events-intake';
const NANOS_PER_MS = 1_000_000;

/**
 * Reads what agency systems publish on `<ns>.ext.<agency>.<type>` (the EXTERNAL stream)
 * and passes each event through the gate. The agency is the subject's, which nats-server
 * lets an agency's credentials publish on for that agency only. A message is acknowledged
 * only after its verdict is durable (accepted and stored, or refused and recorded); when
 * that fails (database or stream away) it is redelivered, so nothing is dropped. A
 * publisher that named a reply subject of its own inbox gets the verdict there.
 */
export async function startExternalIntake(options: { nc: NatsConnection; subjects: Subjects; gate: AgencyEventGate; logger: Logger }): Promise<EventConsumer> {
  const { nc, subjects, gate, logger } = options;
  const jsm = await jetstreamManager(nc);
  try {
    await jsm.consumers.add(subjects.externalStream, {
      durable_name: INTAKE_CONSUMER,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: subjects.allExternal,
      ack_wait: 30_000 * NANOS_PER_MS,
      max_deliver: -1,
    });
  } catch {
    await jsm.consumers.info(subjects.externalStream, INTAKE_CONSUMER);
  }
  const consumer = await jetstream(nc).consumers.get(subjects.externalStream, INTAKE_CONSUMER);
  const messages = await consumer.consume();
  const prefix = `${subjects.namespace}.ext.`;

  async function handle(msg: JsMsg): Promise<void> {
    const rest = msg.subject.slice(prefix.length);
    const dot = rest.indexOf('.');
    const agencyCode = dot > 0 ? rest.slice(0, dot) : rest;
    const eventType = dot > 0 ? rest.slice(dot + 1) : '';
    try {
      const asked = msg.headers?.get(VERDICT_REPLY_HEADER);
      const replyTo = asked && asked.startsWith(`${subjects.externalInboxPrefix(agencyCode)}.`) ? asked : undefined;
      const verdict = await gate.accept({ agencyCode, eventType, channel: 'NATS', publisher: null, body: msg.data }, replyTo);
      if (replyTo) nc.publish(replyTo, encodeJson(verdict));
      if (!verdict.accepted) logger.warn({ agencyCode, eventType, seq: msg.seq, reason: verdict.reason }, 'agency event refused');
      msg.ack();
    } catch (error) {
      const deliveries = msg.info.deliveryCount;
      logger.error({ err: error, agencyCode, eventType, seq: msg.seq, deliveries }, 'cannot take an agency event in; it will be redelivered');
      msg.nak(Math.min(30_000, 500 * 2 ** Math.min(6, deliveries - 1)));
    }
  }

  const loop = (async () => {
    for await (const msg of messages) await handle(msg);
  })();
  return {
    async stop() {
      await messages.close();
      await loop;
    },
  };
}
