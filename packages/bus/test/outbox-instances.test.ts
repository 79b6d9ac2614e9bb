import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetstreamManager } from '@nats-io/jetstream';
import { subjectsFor } from '@simpul/contracts';
import { AdvisoryLock, createLogger } from '@simpul/kit';
import { testNatsUrl, uniqueNamespace } from '@simpul/testing';
import { connectBus, type NatsConnection } from '../src/connection.ts';
import { createEvent, ensureEventStream } from '../src/events.ts';
import { OutboxRelay, type OutboxStore } from '../src/outbox.ts';
import { SqlOutboxStore, writeOutboxEvent } from '../src/outbox-sql.ts';
import { Ticked } from './faults/fault-events.ts';
import { createEventDatabase, eventually, type EventDatabase } from './faults/support.ts';

/**
 * Two instances of a service share one outbox: two relays, each with its own NATS
 * connection and its own lock connection, as two processes would have. Expected: each
 * row is published by one relay only (counted where a relay marks what it published),
 * the stream holds each event once and in write order per aggregate, also when one
 * instance stops in the middle of the burst.
 */
const logger = createLogger('test', 'silent');
const subjects = subjectsFor(uniqueNamespace());
const TOTAL = 600;

let database: EventDatabase;
const connections: NatsConnection[] = [];
const locks: AdvisoryLock[] = [];
const relays: OutboxRelay[] = [];

beforeAll(async () => {
  database = await createEventDatabase();
});
afterAll(async () => {
  await Promise.allSettled(relays.map((r) => r.stop()));
  await Promise.allSettled(locks.map((l) => l.close()));
  const nc = connections[0];
  if (nc) await (await jetstreamManager(nc)).streams.delete(subjects.eventStream).catch(() => undefined);
  await Promise.allSettled(connections.map((c) => c.close()));
  await database?.close();
});

/** The SQL outbox, counting which relay marked which row published (a relay marks what it published). */
class CountingStore implements OutboxStore {
  constructor(
    private readonly inner: SqlOutboxStore,
    private readonly relay: string,
    private readonly marks: Map<string, string[]>,
  ) {}
  pending(limit: number) {
    return this.inner.pending(limit);
  }
  async markPublished(ids: string[]) {
    for (const id of ids) this.marks.set(id, [...(this.marks.get(id) ?? []), this.relay]);
    await this.inner.markPublished(ids);
  }
}

async function instance(name: string, marks: Map<string, string[]>): Promise<OutboxRelay> {
  const nc = await connectBus({ url: testNatsUrl(), name });
  connections.push(nc);
  const lock = new AdvisoryLock(database.db.url, 'simpul.outbox-relay');
  locks.push(lock);
  // A short interval, so both relays look at the outbox all the time.
  const relay = new OutboxRelay({ nc, store: new CountingStore(new SqlOutboxStore(database.raw), name, marks), logger, lock, intervalMs: 20, batchSize: 25 });
  relays.push(relay);
  relay.start();
  return relay;
}

describe('two outbox relays on one outbox (two instances of a service)', () => {
  it('publish each row once, in order per aggregate, also when one stops mid-burst', { timeout: 240_000 }, async () => {
    const marks = new Map<string, string[]>();
    const first = await instance('relay-1', marks);
    const second = await instance('relay-2', marks);
    await ensureEventStream(connections[0]!, subjects);

    const ids: string[] = [];
    for (let n = 0; n < TOTAL; n++) {
      const event = createEvent(subjects, Ticked, { aggregate: `agg-${n % 7}`, n });
      ids.push(event.id);
      await database.transaction((tx) => writeOutboxEvent(tx, event));
      // Each instance nudges its own relay after the writes it made.
      (n % 2 === 0 ? first : second).nudge();
      if (n === TOTAL / 2) await first.stop(); // an instance shuts down mid-burst; the other carries on
    }
    await eventually(
      async () => {
        const { rows } = await database.pool.query('SELECT 1 FROM "OutboxEvent" WHERE "publishedAt" IS NULL LIMIT 1');
        return rows.length === 0;
      },
      'the outbox drained',
      120_000,
    );

    const twice = ids.filter((id) => (marks.get(id)?.length ?? 0) > 1);
    const byRelay = { 'relay-1': 0, 'relay-2': 0 } as Record<string, number>;
    for (const by of marks.values()) for (const r of by) byRelay[r] = (byRelay[r] ?? 0) + 1;
    console.info(
      `[observed] ${TOTAL} events through two relays: relay-1 published ${byRelay['relay-1']}, relay-2 ${byRelay['relay-2']}; published by both: ${twice.length}`,
    );
    expect(twice).toEqual([]);
    expect(ids.filter((id) => !marks.has(id))).toEqual([]);
    // The second carried on after the first stopped.
    expect(byRelay['relay-2']).toBeGreaterThan(0);

    const jsm = await jetstreamManager(connections[0]!);
    const info = await jsm.streams.info(subjects.eventStream);
    expect(info.state.messages).toBe(TOTAL);
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
