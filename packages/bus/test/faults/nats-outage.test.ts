import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetstreamManager } from '@nats-io/jetstream';
import { subjectsFor } from '@simpul/contracts';
import { createLogger } from '@simpul/kit';
import { startNatsServer, uniqueNamespace, type TestNatsServer } from '@simpul/testing';
import { connectBus, type NatsConnection } from '../../src/connection.ts';
import { createEvent, ensureEventStream, type EventConsumer } from '../../src/events.ts';
import { OutboxRelay } from '../../src/outbox.ts';
import { SqlOutboxStore, writeOutboxEvent } from '../../src/outbox-sql.ts';
import { appliedCounts, applyingConsumer, Ticked } from './fault-events.ts';
import { createEventDatabase, eventually, type EventDatabase } from './support.ts';

/**
 * Fault: the nats-server stops (clean shutdown) in the middle of a burst of 1,000 events
 * written through the outbox, stays down while more are written, and comes back.
 * Expected: each of two consumers (two services) applies every event exactly once, and
 * the stream holds each event once, in write order per aggregate.
 */
const logger = createLogger('fault-test', 'silent');
const subjects = subjectsFor(uniqueNamespace());
const TOTAL = 1_000;
const CONSUMERS = ['svc-a-apply', 'svc-b-apply'];

let server: TestNatsServer;
let database: EventDatabase;
const connections: NatsConnection[] = [];
const consumers: EventConsumer[] = [];
let relay: OutboxRelay | undefined;

beforeAll(async () => {
  server = await startNatsServer({ jetstream: true });
  database = await createEventDatabase();
});

afterAll(async () => {
  await relay?.stop();
  await Promise.allSettled(consumers.map((c) => c.stop()));
  await Promise.allSettled(connections.map((c) => c.close()));
  await server?.destroy();
  await database?.close();
});

async function connect(name: string): Promise<NatsConnection> {
  const nc = await connectBus({ url: server.url, name });
  connections.push(nc);
  return nc;
}

describe('NATS stops in the middle of a burst of 1,000 events', () => {
  it('delivers every event to every consumer exactly once after it comes back', { timeout: 240_000 }, async () => {
    const relayConnection = await connect('relay');
    await ensureEventStream(relayConnection, subjects);
    relay = new OutboxRelay({ nc: relayConnection, store: new SqlOutboxStore(database.raw), logger, intervalMs: 200 });
    relay.start();
    for (const durable of CONSUMERS) {
      consumers.push(await applyingConsumer({ nc: await connect(durable), subjects, durable, database, logger, ackWaitMs: 5_000 }));
    }

    const write = async (n: number) => {
      await database.transaction((tx) => writeOutboxEvent(tx, createEvent(subjects, Ticked, { aggregate: `agg-${n % 10}`, n })));
      relay?.nudge();
    };
    let n = 0;
    for (; n < 400; n++) await write(n);
    // Let the relay and the consumers get going, so the stop hits work in flight.
    await eventually(async () => (await appliedCounts(database, CONSUMERS[0]!)).rows >= 100, 'first events applied');

    const atStop = await appliedCounts(database, CONSUMERS[0]!);
    const stoppedAt = n;
    await server.stop();
    for (; n < 700; n++) await write(n); // written while NATS is down: they wait in the outbox
    const { rows } = await database.pool.query<{ pending: string }>('SELECT count(*) AS pending FROM "OutboxEvent" WHERE "publishedAt" IS NULL');
    expect(Number(rows[0]?.pending)).toBeGreaterThan(0);
    console.info(
      `[observed] NATS stopped after ${stoppedAt} of ${TOTAL} writes with ${atStop.rows} applied by ${CONSUMERS[0]}; ${rows[0]?.pending} events waited in the outbox while it was down`,
    );

    await server.start();
    for (; n < TOTAL; n++) await write(n);

    for (const durable of CONSUMERS) {
      await eventually(async () => (await appliedCounts(database, durable)).distinct >= TOTAL, `${durable} applied ${TOTAL}`, 120_000);
    }
    await relay.flush();

    for (const durable of CONSUMERS) expect(await appliedCounts(database, durable)).toEqual({ rows: TOTAL, distinct: TOTAL });
    const unpublished = await database.pool.query('SELECT 1 FROM "OutboxEvent" WHERE "publishedAt" IS NULL');
    expect(unpublished.rowCount).toBe(0);

    // The stream has each event once (the event id is the message id), in write order per aggregate.
    const jsm = await jetstreamManager(relayConnection);
    const info = await jsm.streams.info(subjects.eventStream);
    expect(info.state.messages).toBe(TOTAL);
    const seen = new Map<string, number>();
    const outOfOrder: string[] = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
      const msg = await jsm.streams.getMessage(subjects.eventStream, { seq });
      const { data } = msg!.json<{ data: { aggregate: string; n: number } }>();
      if ((seen.get(data.aggregate) ?? -1) >= data.n) outOfOrder.push(`${data.aggregate}#${data.n}`);
      seen.set(data.aggregate, data.n);
    }
    expect(outOfOrder).toEqual([]);
  });
});
