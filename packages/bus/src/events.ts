import { randomUUID } from 'node:crypto';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type JetStreamClient, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { headers as natsHeaders } from '@nats-io/nats-core';
import { EventEnvelope, eventType, type EventData, type EventDefinition, type Subjects } from '@simpul/contracts';
import type { Logger } from '@simpul/kit';
import { currentTraceparent, extractTraceContext, context as otelContext, SpanKind, trace } from '@simpul/telemetry';
import { decodeJson, encodeJson } from './codec.ts';
import { ensureDeadLetterStream, publishDeadLetter, terminate } from './dead-letters.ts';
import { recordProcessedEvent, type RawSql } from './outbox-sql.ts';

const NANOS_PER_MS = 1_000_000;
const CONSUME_PULL_EXPIRES_MS = 10_000;

/**
 * Creates (or updates) the one stream that holds platform events. The duplicate
 * window lets the outbox relay retry a publish without creating a second copy. On a
 * NATS cluster, `replicas` (3 on a three-node cluster) keeps the stream, and its
 * consumers, on that many nodes, so losing the node that leads it loses no event.
 */
export async function ensureEventStream(nc: NatsConnection, subjects: Subjects, options: { replicas?: number } = {}): Promise<void> {
  const jsm = await jetstreamManager(nc);
  const config = {
    name: subjects.eventStream,
    subjects: [subjects.allEvents],
    duplicate_window: 2 * 60 * 1000 * NANOS_PER_MS,
    max_age: 30 * 24 * 60 * 60 * 1000 * NANOS_PER_MS,
    ...(options.replicas ? { num_replicas: options.replicas } : {}),
  };
  try {
    await jsm.streams.info(config.name);
    await jsm.streams.update(config.name, config);
  } catch {
    try {
      await jsm.streams.add(config);
    } catch (error) {
      throw new Error(`Cannot set up the JetStream stream ${config.name}: ${(error as Error).message}. Is JetStream enabled on nats-server (-js)?`, {
        cause: error,
      });
    }
  }
}

/** An event ready to be stored in an outbox and published. */
export interface OutgoingEvent {
  id: string;
  subject: string;
  type: string;
  payload: EventEnvelope;
  traceparent: string | null;
}

/** Builds an event from its definition, validating the data against its schema. */
export function createEvent<D extends EventDefinition>(subjects: Subjects, definition: D, data: EventData<D>): OutgoingEvent {
  const parsed = definition.data.parse(data);
  const id = randomUUID();
  return {
    id,
    subject: subjects.event(definition.service, definition.entity, definition.verb),
    type: eventType(definition),
    payload: {
      id,
      type: eventType(definition),
      version: definition.version,
      occurredAt: new Date().toISOString(),
      source: definition.service,
      data: parsed,
    },
    traceparent: currentTraceparent() ?? null,
  };
}

/** Publishes with the event id as the JetStream message id, so a retry is de-duplicated. */
export async function publishEvent(js: JetStreamClient, event: OutgoingEvent): Promise<void> {
  const h = natsHeaders();
  if (event.traceparent) h.set('traceparent', event.traceparent);
  await js.publish(event.subject, encodeJson(event.payload), { msgID: event.id, headers: h });
}

/**
 * Why an event is not what its subject says, or null when it is. An event is acted on
 * only when the service named in its subject (`<ns>.evt.<service>.…`), the source its
 * envelope declares and the definition the consumer expects all agree, and the type
 * matches: a publisher allowed only its own subjects (NATS permissions) cannot pass its
 * events off as another service's, and on an open server an event that names one
 * service in its subject and another as its source is refused rather than trusted.
 */
export function provenanceMismatch(subjects: Subjects, subject: string, envelope: EventEnvelope, definition: EventDefinition): string | null {
  const prefix = `${subjects.namespace}.evt.`;
  const subjectService = subject.startsWith(prefix) ? subject.slice(prefix.length).split('.')[0] : undefined;
  if (subjectService !== definition.service) return `subject ${subject} is not one of ${definition.service}'s events`;
  if (envelope.source !== subjectService) return `source "${envelope.source}" does not match the service in the subject (${subjectService})`;
  if (envelope.type !== eventType(definition)) return `type "${envelope.type}" is not ${eventType(definition)}`;
  return null;
}

interface ConsumeSettings<D extends EventDefinition> {
  nc: NatsConnection;
  subjects: Subjects;
  /** Durable consumer name: one per consuming service and purpose (also the processed-event record's consumer). */
  durable: string;
  definition: D;
  logger: Logger;
  /** Deliveries after which a failing event goes to the dead-letter stream (default 10). */
  maxDeliveries?: number;
  /** First redelivery delay after a failure; it doubles per delivery up to 30 s (default 1 s). */
  retryDelayMs?: number;
  /** How long the server waits for an acknowledgement before redelivering (default 30 s). */
  ackWaitMs?: number;
}

/** A consumer that handles each delivery itself (and makes a redelivery harmless itself). */
export interface HandlingConsumeOptions<D extends EventDefinition> extends ConsumeSettings<D> {
  handle: (data: EventData<D>, envelope: EventEnvelope) => Promise<void>;
}

/** What runs a function in one database transaction: a service's Prisma client. */
export interface TransactionRunner<Tx extends RawSql> {
  $transaction<T>(work: (tx: Tx) => Promise<T>): PromiseLike<T>;
}

/**
 * An idempotent consumer: each event is applied once per durable, however often it is
 * delivered. `apply` runs in one transaction with the record of the event id in the
 * service's `ProcessedEvent` table (`(durable, event id)`); a redelivery of an event
 * already recorded commits nothing and is acknowledged. A failure rolls back both the
 * change and the record, and the event is redelivered.
 */
export interface ApplyingConsumeOptions<D extends EventDefinition, Tx extends RawSql, R> extends ConsumeSettings<D> {
  database: TransactionRunner<Tx>;
  apply: (tx: Tx, data: EventData<D>, envelope: EventEnvelope) => Promise<R>;
  /** After the commit, only when this delivery applied the event (e.g. nudge the outbox relay, log). */
  afterApply?: (result: R, data: EventData<D>, envelope: EventEnvelope) => void | Promise<void>;
  /** After a delivery of an event this durable had applied already (acknowledged, nothing changed). */
  afterDuplicate?: (envelope: EventEnvelope) => void | Promise<void>;
}

export type ConsumeOptions<D extends EventDefinition, Tx extends RawSql = RawSql, R = unknown> = HandlingConsumeOptions<D> | ApplyingConsumeOptions<D, Tx, R>;

/** The handler of an applying consumer: check-and-record the event id, apply, commit; then afterApply. */
function applyOnce<D extends EventDefinition, Tx extends RawSql, R>(
  options: ApplyingConsumeOptions<D, Tx, R>,
): (data: EventData<D>, envelope: EventEnvelope) => Promise<void> {
  return async (data, envelope) => {
    const outcome = await options.database.$transaction(async (tx): Promise<{ applied: false } | { applied: true; result: R }> => {
      if (!(await recordProcessedEvent(tx, options.durable, envelope.id))) return { applied: false };
      return { applied: true, result: await options.apply(tx, data, envelope) };
    });
    if (outcome.applied) await options.afterApply?.(outcome.result, data, envelope);
    else await options.afterDuplicate?.(envelope);
  };
}

export interface EventConsumer {
  stop(): Promise<void>;
}

/**
 * A durable consumer for one event type. With `database` and `apply` it is idempotent
 * (see ApplyingConsumeOptions): the way every service consumes another's events. With
 * `handle`, the handler is on its own. A message is acknowledged only after the
 * handler succeeded; a failure is redelivered after a growing delay. An event that
 * fails validation, or still fails on its last allowed delivery, is put in the
 * dead-letter stream (`<ns>.dlq.<durable>`, with the reason, original subject and
 * delivery count) and terminated, so it cannot block the ones behind it; operators
 * list and replay dead letters (see dead-letters.ts and `npm run dead-letters`).
 */
export async function consumeEvents<D extends EventDefinition, Tx extends RawSql, R>(options: ApplyingConsumeOptions<D, Tx, R>): Promise<EventConsumer>;
export async function consumeEvents<D extends EventDefinition>(options: HandlingConsumeOptions<D>): Promise<EventConsumer>;
export async function consumeEvents<D extends EventDefinition, Tx extends RawSql, R>(options: ConsumeOptions<D, Tx, R>): Promise<EventConsumer> {
  const { nc, subjects, durable, definition, logger } = options;
  const handler = 'handle' in options ? options.handle : applyOnce(options);
  const jsm = await jetstreamManager(nc);
  const filter = subjects.event(definition.service, definition.entity, definition.verb);
  const maxDeliveries = options.maxDeliveries ?? 10;
  const retryDelayMs = options.retryDelayMs ?? 1_000;
  const js = jetstream(nc);
  let deadLetterStreamReady = false;

  /** True when the message is safely in the dead-letter stream and was terminated. */
  async function deadLetter(msg: JsMsg, reason: string): Promise<boolean> {
    try {
      if (!deadLetterStreamReady) {
        await ensureDeadLetterStream(nc, subjects);
        deadLetterStreamReady = true;
      }
      await publishDeadLetter(js, subjects, durable, msg, reason);
    } catch (error) {
      logger.error({ err: error, subject: msg.subject, seq: msg.seq }, 'cannot store a dead letter; the event will be redelivered');
      msg.nak(retryDelayMs);
      return false;
    }
    terminate(nc, msg, reason);
    logger.error({ subject: msg.subject, seq: msg.seq, consumer: durable, reason }, 'event moved to the dead-letter stream');
    return true;
  }
  // The server redelivers without limit: the bound is enforced here, so that an event
  // is never dropped silently, only moved to the dead-letter stream.
  const limits = { max_deliver: -1, ack_wait: (options.ackWaitMs ?? 30_000) * NANOS_PER_MS };
  try {
    await jsm.consumers.add(subjects.eventStream, {
      durable_name: durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: filter,
      ...limits,
    });
  } catch (error) {
    // A durable created by an earlier version with other limits: adopt the current ones.
    await jsm.consumers.update(subjects.eventStream, durable, limits).catch(() => {
      throw error;
    });
  }
  const consumer = await js.consumers.get(subjects.eventStream, durable);
  // A pull expires after 10 s (the library's default is 30 s), so its heartbeats come
  // every 5 s: when the NATS node serving the pull dies (a cluster losing a node), the
  // missed heartbeats are noticed and the pull is renewed on a survivor within about
  // 10 s instead of 30 to 45 (measured in test/faults/cluster-leader-loss.test.ts).
  const messages = await consumer.consume({ expires: CONSUME_PULL_EXPIRES_MS });
  const tracer = trace.getTracer('simpul.bus');

  async function handle(msg: JsMsg): Promise<void> {
    let envelope: EventEnvelope;
    let data: EventData<D>;
    try {
      envelope = EventEnvelope.parse(decodeJson(msg.data));
      data = definition.data.parse(envelope.data) as EventData<D>;
    } catch (error) {
      await deadLetter(msg, `malformed: ${(error as Error).message}`);
      return;
    }
    const mismatch = provenanceMismatch(subjects, msg.subject, envelope, definition);
    if (mismatch) {
      // Kept as a dead letter, not dropped: it is evidence of a rogue or broken publisher.
      await deadLetter(msg, `refused: ${mismatch}`);
      return;
    }
    const parent = extractTraceContext(msg.headers);
    const span = tracer.startSpan(`consume ${envelope.type}`, { kind: SpanKind.CONSUMER }, parent);
    try {
      await otelContext.with(trace.setSpan(parent, span), () => handler(data, envelope));
      msg.ack();
    } catch (error) {
      const deliveries = msg.info.deliveryCount;
      if (deliveries >= maxDeliveries) {
        await deadLetter(msg, `failed ${deliveries} times: ${(error as Error).message}`);
      } else {
        logger.error({ err: error, eventId: envelope.id, type: envelope.type, deliveries }, 'event handler failed; will retry');
        msg.nak(Math.min(30_000, retryDelayMs * 2 ** Math.max(0, deliveries - 1)));
      }
    } finally {
      span.end();
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
