import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetstream } from '@nats-io/jetstream';
import { subjectsFor } from '@simpul/contracts';
import { createLogger } from '@simpul/kit';
import { removeNamespaceStreams, testNatsUrl, uniqueNamespace } from '@simpul/testing';
import { connectBus, type NatsConnection } from '../../src/connection.ts';
import { createEvent, ensureEventStream, publishEvent, type EventConsumer } from '../../src/events.ts';
import { appliedCounts, applyingConsumer, Ticked } from './fault-events.ts';
import { createEventDatabase, eventually, type EventDatabase } from './support.ts';

/**
 * Fault: a consumer's process dies after its transaction committed and before it
 * acknowledged the event (its NATS connection is closed inside the handler, so neither
 * an ack nor a nak is ever sent). A new instance with the same durable name gets the
 * event again once the ack wait ends. Expected: the redelivery changes nothing.
 */
const logger = createLogger('fault-test', 'silent');
const namespace = uniqueNamespace();
const subjects = subjectsFor(namespace);
let database: EventDatabase;
const connections: NatsConnection[] = [];
const consumers: EventConsumer[] = [];

beforeAll(async () => {
  database = await createEventDatabase();
});
afterAll(async () => {
  await Promise.allSettled(consumers.map((c) => c.stop()));
  await Promise.allSettled(connections.map((c) => c.close()));
  await removeNamespaceStreams(namespace);
  await database?.close();
});

async function connect(name: string): Promise<NatsConnection> {
  const nc = await connectBus({ url: testNatsUrl(), name });
  connections.push(nc);
  return nc;
}

describe('a consumer crashes after applying an event and before acknowledging it', () => {
  it('applies the redelivered event no second time', { timeout: 120_000 }, async () => {
    const publisher = await connect('publisher');
    await ensureEventStream(publisher, subjects);
    const durable = 'svc-crash-apply';

    let crash!: () => void;
    const crashed = new Promise<void>((resolve) => (crash = resolve));
    const doomed = await connect('doomed-instance');
    await applyingConsumer({
      nc: doomed,
      subjects,
      durable,
      database,
      logger,
      ackWaitMs: 2_000,
      afterCommit: async () => {
        // The process dies here: the connection goes away, the handler never returns.
        await doomed.close();
        crash();
        await new Promise(() => {});
      },
    });
    const event = createEvent(subjects, Ticked, { aggregate: 'crash', n: 1 });
    await publishEvent(jetstream(publisher), event);
    await crashed;
    expect(await appliedCounts(database, durable)).toEqual({ rows: 1, distinct: 1 });

    // A new instance of the same consumer: the server redelivers the unacknowledged event.
    const deliveries: { id: string; applied: boolean }[] = [];
    consumers.push(
      await applyingConsumer({
        nc: await connect('next-instance'),
        subjects,
        durable,
        database,
        logger,
        ackWaitMs: 2_000,
        afterCommit: async (envelope, applied) => {
          deliveries.push({ id: envelope.id, applied });
        },
      }),
    );
    await eventually(() => deliveries.length > 0, 'the redelivery');
    expect(deliveries[0]).toEqual({ id: event.id, applied: false });
    expect(await appliedCounts(database, durable)).toEqual({ rows: 1, distinct: 1 });

    // And it was acknowledged this time: a later event arrives, the old one does not come again.
    const next = createEvent(subjects, Ticked, { aggregate: 'crash', n: 2 });
    await publishEvent(jetstream(publisher), next);
    await eventually(() => deliveries.some((d) => d.id === next.id), 'the next event');
    expect(deliveries.map((d) => d.id)).toEqual([event.id, next.id]);
    expect(await appliedCounts(database, durable)).toEqual({ rows: 2, distinct: 2 });
  });
});
