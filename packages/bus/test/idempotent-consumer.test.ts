import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetstream } from '@nats-io/jetstream';
import { subjectsFor, type EventEnvelope } from '@simpul/contracts';
import { createLogger } from '@simpul/kit';
import { removeNamespaceStreams, testNatsUrl, uniqueNamespace } from '@simpul/testing';
import { encodeJson } from '../src/codec.ts';
import { connectBus, type NatsConnection } from '../src/connection.ts';
import { consumeEvents, createEvent, ensureEventStream, publishEvent, type EventConsumer } from '../src/events.ts';
import { appliedCounts, Ticked, transactionRunner } from './faults/fault-events.ts';
import { createEventDatabase, eventually, type EventDatabase } from './faults/support.ts';

/**
 * consumeEvents with `database` and `apply`: the idempotent consumer every service
 * uses, against real NATS and PostgreSQL. `Applied` (see faults/support.ts) has no
 * unique key, so an event applied twice would show as two rows.
 */
const logger = createLogger('idempotent-test', 'silent');
/** Each test's own namespace: a new durable reads its stream from the start. */
const namespaces: string[] = [];
let database: EventDatabase;
let nc: NatsConnection;
const consumers: EventConsumer[] = [];

beforeAll(async () => {
  database = await createEventDatabase();
  nc = await connectBus({ url: testNatsUrl(), name: 'idempotent-consumer-test' });
});
afterAll(async () => {
  await Promise.allSettled(consumers.map((c) => c.stop()));
  for (const namespace of namespaces) await removeNamespaceStreams(namespace);
  await nc?.close();
  await database?.close();
});

async function freshSubjects() {
  const namespace = uniqueNamespace();
  namespaces.push(namespace);
  const subjects = subjectsFor(namespace);
  await ensureEventStream(nc, subjects);
  return subjects;
}

async function processedCount(durable: string): Promise<number> {
  const { rows } = await database.pool.query<{ n: string }>('SELECT count(*) AS n FROM "ProcessedEvent" WHERE consumer = $1', [durable]);
  return Number(rows[0]?.n);
}

function insertApplied(durable: string) {
  return async (tx: Parameters<Parameters<EventDatabase['transaction']>[0]>[0], data: { aggregate: string; n: number }, envelope: EventEnvelope) => {
    await tx.$executeRawUnsafe(
      'INSERT INTO "Applied" (consumer, "eventId", aggregate, n) VALUES ($1, $2::uuid, $3, $4)',
      durable,
      envelope.id,
      data.aggregate,
      data.n,
    );
    return data.n;
  };
}

describe('consumeEvents applying events once', () => {
  it('applies an event delivered twice once, and acknowledges both deliveries', async () => {
    const durable = 'idem-twice';
    const subjects = await freshSubjects();
    const applied: number[] = [];
    const duplicates: string[] = [];
    consumers.push(
      await consumeEvents({
        nc,
        subjects,
        durable,
        definition: Ticked,
        logger,
        database: transactionRunner(database),
        apply: insertApplied(durable),
        afterApply: (n) => void applied.push(n),
        afterDuplicate: (envelope) => void duplicates.push(envelope.id),
      }),
    );
    // The same event twice on the stream (as after a publisher's retry beyond the stream's
    // duplicate window): two message ids, one event id.
    const event = createEvent(subjects, Ticked, { aggregate: 'twice', n: 1 });
    const js = jetstream(nc);
    await js.publish(event.subject, encodeJson(event.payload), { msgID: `${event.id}-first` });
    await js.publish(event.subject, encodeJson(event.payload), { msgID: `${event.id}-again` });

    await eventually(() => duplicates.length === 1, 'the second delivery');
    expect(applied).toEqual([1]);
    expect(duplicates).toEqual([event.id]);
    expect(await appliedCounts(database, durable)).toEqual({ rows: 1, distinct: 1 });
    expect(await processedCount(durable)).toBe(1);
  });

  it('rolls a failed application back, record included, and applies the redelivery', async () => {
    const durable = 'idem-failure';
    const subjects = await freshSubjects();
    let attempts = 0;
    const appliedOnAttempt: number[] = [];
    consumers.push(
      await consumeEvents({
        nc,
        subjects,
        durable,
        definition: Ticked,
        logger,
        retryDelayMs: 200,
        database: transactionRunner(database),
        apply: async (tx, data, envelope) => {
          attempts++;
          await insertApplied(durable)(tx, data, envelope);
          // The change and the processed-event record are written; then the handler fails.
          if (attempts === 1) throw new Error('transient failure after writing');
          return attempts;
        },
        afterApply: (attempt) => void appliedOnAttempt.push(attempt),
      }),
    );
    await publishEvent(jetstream(nc), createEvent(subjects, Ticked, { aggregate: 'failure', n: 1 }));

    await eventually(() => appliedOnAttempt.length > 0, 'the redelivered event applied');
    // Had the first attempt's transaction committed, the redelivery would have been a
    // duplicate (no second attempt applied) or left two rows.
    expect(appliedOnAttempt).toEqual([2]);
    expect(await appliedCounts(database, durable)).toEqual({ rows: 1, distinct: 1 });
    expect(await processedCount(durable)).toBe(1);
  });

  it('keeps each durable to itself: two consumers of one event each apply it once', async () => {
    const durables = ['idem-one', 'idem-two'];
    const subjects = await freshSubjects();
    for (const durable of durables) {
      consumers.push(
        await consumeEvents({ nc, subjects, durable, definition: Ticked, logger, database: transactionRunner(database), apply: insertApplied(durable) }),
      );
    }
    await publishEvent(jetstream(nc), createEvent(subjects, Ticked, { aggregate: 'shared', n: 7 }));
    for (const durable of durables) {
      await eventually(async () => (await appliedCounts(database, durable)).rows > 0, `${durable} applied the event`);
    }
    for (const durable of durables) expect(await appliedCounts(database, durable)).toEqual({ rows: 1, distinct: 1 });
  });
});
