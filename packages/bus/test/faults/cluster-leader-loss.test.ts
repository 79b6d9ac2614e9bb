import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetstreamManager } from '@nats-io/jetstream';
import { subjectsFor } from '@simpul/contracts';
import { AdvisoryLock, createLogger } from '@simpul/kit';
import { startNatsCluster, uniqueNamespace, type TestNatsCluster } from '@simpul/testing';
import { connectBus, type NatsConnection } from '../../src/connection.ts';
import { createEvent, ensureEventStream, type EventConsumer } from '../../src/events.ts';
import { OutboxRelay } from '../../src/outbox.ts';
import { SqlOutboxStore, writeOutboxEvent } from '../../src/outbox-sql.ts';
import { appliedCounts, applyingConsumer, Ticked } from './fault-events.ts';
import { createEventDatabase, eventually, type EventDatabase } from './support.ts';

/**
 * Fault: on a three-node NATS cluster (JetStream, the event stream with 3 replicas), the
 * node that leads the event stream is killed (SIGKILL) in the middle of a burst of
 * events written through the outbox. Two instances of the writing service (two relays,
 * one outbox) and two instances of the consuming service (one durable consumer) each
 * connect with the list of every node's URL. Expected: 0 events lost, 0 applied twice
 * (counted at the consumer), each event once in the stream, in order per aggregate.
 */
const logger = createLogger('fault-test', 'silent');
const subjects = subjectsFor(uniqueNamespace());
const TOTAL = 400;
const DURABLE = 'svc-apply';

let cluster: TestNatsCluster | undefined;
let database: EventDatabase | undefined;
const connections: NatsConnection[] = [];
const relays: OutboxRelay[] = [];
const locks: AdvisoryLock[] = [];
const consumers: EventConsumer[] = [];

beforeAll(async () => {
  [cluster, database] = await Promise.all([startNatsCluster(3), createEventDatabase()]);
}, 120_000);

// Everything goes, also when the test failed half-way: processes, temp stores, database.
afterAll(async () => {
  await Promise.allSettled(relays.map((r) => r.stop()));
  await Promise.allSettled(consumers.map((c) => c.stop()));
  await Promise.allSettled(connections.map((c) => c.close()));
  await Promise.allSettled(locks.map((l) => l.close()));
  await cluster?.destroy();
  await database?.close();
}, 120_000);

async function connect(name: string): Promise<NatsConnection> {
  // As a service gets it from NATS_URL: every node, comma-separated.
  const nc = await connectBus({ url: cluster!.url, name, timeoutMs: 15_000 });
  connections.push(nc);
  return nc;
}

describe('the NATS node leading the event stream is killed mid-burst (three-node cluster)', () => {
  it('loses no event and applies none twice', { timeout: 240_000 }, async () => {
    const db = database!;
    const admin = await connect('admin');
    await ensureEventStream(admin, subjects, { replicas: 3 });
    const jsm = await jetstreamManager(admin, { timeout: 15_000 });
    expect((await jsm.streams.info(subjects.eventStream)).config.num_replicas).toBe(3);

    for (const name of ['relay-1', 'relay-2']) {
      const lock = new AdvisoryLock(db.db.url, 'simpul.outbox-relay');
      locks.push(lock);
      const relay = new OutboxRelay({ nc: await connect(name), store: new SqlOutboxStore(db.raw), logger, lock, intervalMs: 200 });
      relays.push(relay);
      relay.start();
    }
    for (const name of ['consumer-1', 'consumer-2']) {
      consumers.push(await applyingConsumer({ nc: await connect(name), subjects, durable: DURABLE, database: db, logger, ackWaitMs: 5_000 }));
    }

    const write = async (n: number) => {
      await db.transaction((tx) => writeOutboxEvent(tx, createEvent(subjects, Ticked, { aggregate: `agg-${n % 10}`, n })));
      relays[n % 2]!.nudge();
    };
    // The burst is written in the background; the kill lands while events are being written, relayed and applied.
    let n = 0;
    const writing = (async () => {
      for (; n < TOTAL; n++) await write(n);
    })();
    await eventually(async () => (await appliedCounts(db, DURABLE)).rows >= 40, 'first events applied');

    const leader = (await jsm.streams.info(subjects.eventStream)).cluster?.leader;
    expect(leader).toMatch(/^n\d$/);
    const atKill = await appliedCounts(db, DURABLE);
    const killedAt = n;
    await cluster!.node(leader!).stop({ hard: true });
    const killedTime = Date.now();
    await writing;

    await eventually(async () => (await appliedCounts(db, DURABLE)).distinct >= TOTAL, `${DURABLE} applied ${TOTAL}`, 150_000);
    const recoveredMs = Date.now() - killedTime;
    // Let redeliveries that were in flight land, so a double application would show.
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    const applied = await appliedCounts(db, DURABLE);
    const info = await jsm.streams.info(subjects.eventStream);
    console.info(
      `[observed] 3-node cluster, stream R3: killed leader ${leader} after ${killedAt} of ${TOTAL} writes (${atKill.rows} applied then); ` +
        `new leader ${info.cluster?.leader}; all applied ${Math.round(recoveredMs / 1000)} s after the kill; ` +
        `lost ${TOTAL - applied.distinct}, applied twice ${applied.rows - applied.distinct}; stream holds ${info.state.messages}`,
    );
    expect(applied).toEqual({ rows: TOTAL, distinct: TOTAL });
    expect(info.state.messages).toBe(TOTAL);
    expect(info.cluster?.leader).not.toBe(leader);

    const last = new Map<string, number>();
    const outOfOrder: string[] = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
      const { data } = (await jsm.streams.getMessage(subjects.eventStream, { seq }))!.json<{ data: { aggregate: string; n: number } }>();
      if ((last.get(data.aggregate) ?? -1) >= data.n) outOfOrder.push(`${data.aggregate}#${data.n}`);
      last.set(data.aggregate, data.n);
    }
    expect(outOfOrder).toEqual([]);
  });
});
