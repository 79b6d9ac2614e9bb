import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { AgencyCreated, subjectsFor } from '@simpul/contracts';
import { createLogger } from '@simpul/kit';
import { testNatsUrl, uniqueNamespace } from '@simpul/testing';
import { connectBus, type NatsConnection } from '../src/connection.ts';
import { consumeEvents, createEvent, ensureEventStream, publishEvent, type OutgoingEvent } from '../src/events.ts';
import { OutboxRelay, type OutboxStore } from '../src/outbox.ts';
import { listDeadLetters } from '../src/dead-letters.ts';

const logger = createLogger('test', 'silent');
let nc: NatsConnection;
const subjects = subjectsFor(uniqueNamespace());

beforeAll(async () => {
  nc = await connectBus({ url: testNatsUrl(), name: 'events-test' });
  await ensureEventStream(nc, subjects);
});
afterAll(async () => {
  const jsm = await jetstreamManager(nc);
  await jsm.streams.delete(subjects.eventStream).catch(() => {});
  await nc.close();
});

const agency = (i: number) => ({ code: `AG-${i}`, name: `Agency ${i}`, kind: 'REGENCY' as const, parentCode: null });

/** An outbox kept in memory: the relay, not the database, is under test here. */
class MemoryOutbox implements OutboxStore {
  rows: (OutgoingEvent & { published: boolean })[] = [];
  failNextPending = 0;
  /** Statements that marked events published. */
  marks = 0;
  add(event: OutgoingEvent) {
    this.rows.push({ ...event, published: false });
  }
  async pending(limit: number) {
    if (this.failNextPending > 0) {
      this.failNextPending--;
      throw new Error('database unavailable');
    }
    return this.rows.filter((r) => !r.published).slice(0, limit);
  }
  async markPublished(ids: string[]) {
    this.marks++;
    for (const r of this.rows) if (ids.includes(r.id)) r.published = true;
  }
}

async function streamSubjects(filter: string): Promise<{ id: string; code: string }[]> {
  const jsm = await jetstreamManager(nc);
  const info = await jsm.streams.info(subjects.eventStream);
  const out: { id: string; code: string }[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
    const msg = await jsm.streams.getMessage(subjects.eventStream, { seq }).catch(() => null);
    if (!msg || msg.subject !== filter) continue;
    const envelope = msg.json<{ id: string; data: { code: string } }>();
    out.push({ id: envelope.id, code: envelope.data.code });
  }
  return out;
}

describe(createEvent.name, () => {
  it('validates the data against the event’s schema', () => {
    expect(() => createEvent(subjects, AgencyCreated, { ...agency(1), code: 'has space' })).toThrow(/Agency code/);
    const event = createEvent(subjects, AgencyCreated, agency(1));
    expect(event.subject).toBe(`${subjects.namespace}.evt.identity.agency.created`);
    expect(event.payload).toMatchObject({ id: event.id, type: 'identity.agency.created', version: 1, source: 'identity', data: agency(1) });
  });
});

describe(OutboxRelay.name, () => {
  it('publishes in order, once, even when a publish is repeated', async () => {
    const outbox = new MemoryOutbox();
    const events = Array.from({ length: 25 }, (_, i) => createEvent(subjects, AgencyCreated, agency(i)));
    events.forEach((e) => outbox.add(e));
    // A relay that crashed after publishing but before marking: the same event goes out twice.
    await publishEvent(jetstream(nc), events[0]!);
    const relay = new OutboxRelay({ nc, store: outbox, logger, intervalMs: 50 });
    relay.start();
    await relay.flush();
    await relay.stop();
    expect(outbox.rows.every((r) => r.published)).toBe(true);
    const published = await streamSubjects(`${subjects.namespace}.evt.identity.agency.created`);
    expect(published.map((p) => p.code)).toEqual(events.map((_, i) => `AG-${i}`));
  });

  it('publishes a round in order and marks it in one statement, not one per event', async () => {
    const outbox = new MemoryOutbox();
    for (let i = 0; i < 30; i++) outbox.add(createEvent(subjects, AgencyCreated, agency(300 + i)));
    const relay = new OutboxRelay({ nc, store: outbox, logger, intervalMs: 60_000, batchSize: 20 });
    await relay.flush();
    expect(outbox.rows.every((r) => r.published)).toBe(true);
    expect(outbox.marks).toBe(2);
    await relay.stop();
  });

  it('stops a round at its first refused publish: marks what came before, publishes nothing after it, tries the rest again', async () => {
    const outbox = new MemoryOutbox();
    const events = [0, 1, 2].map((i) => createEvent(subjects, AgencyCreated, agency(200 + i)));
    // No stream holds this subject: JetStream refuses it.
    events[1] = { ...events[1]!, subject: `${subjects.namespace}.nowhere` };
    events.forEach((e) => outbox.add(e));
    const relay = new OutboxRelay({ nc, store: outbox, logger, intervalMs: 60_000 });
    await expect(relay.flush()).rejects.toThrow();
    expect(outbox.rows.map((r) => r.published)).toEqual([true, false, false]);
    // Nothing after the refused event reached the stream: retried later, it would land
    // after its successors, and consumers would apply them out of order.
    const stored = await streamSubjects(`${subjects.namespace}.evt.identity.agency.created`);
    expect(stored.map((p) => p.code)).toContain(agency(200).code);
    expect(stored.map((p) => p.code)).not.toContain(agency(202).code);
    await relay.stop();
  });

  it('keeps going after the store fails', async () => {
    const outbox = new MemoryOutbox();
    outbox.failNextPending = 1;
    outbox.add(createEvent(subjects, AgencyCreated, agency(100)));
    const relay = new OutboxRelay({ nc, store: outbox, logger, intervalMs: 50 });
    relay.start();
    const deadline = Date.now() + 10_000;
    while (outbox.rows.some((r) => !r.published) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await relay.stop();
    expect(outbox.rows[0]!.published).toBe(true);
  });
});

describe(consumeEvents.name, () => {
  it('hands each valid event to the handler, retries a failure, and skips malformed ones', async () => {
    const ns = subjectsFor(uniqueNamespace());
    await ensureEventStream(nc, ns);
    const js = jetstream(nc);
    const subject = ns.event('identity', 'agency', 'created');
    await js.publish(subject, 'not json');
    await js.publish(subject, JSON.stringify({ id: crypto.randomUUID(), type: 'identity.agency.created', version: 1, occurredAt: new Date().toISOString(), source: 'identity', data: { code: '!!' } }));
    for (const i of [1, 2, 3]) await publishEvent(js, createEvent(ns, AgencyCreated, agency(i)));

    const handled: string[] = [];
    let failOnce = true;
    const consumer = await consumeEvents({
      nc,
      subjects: ns,
      durable: 'test-consumer',
      definition: AgencyCreated,
      logger,
      handle: async (data) => {
        if (data.code === 'AG-2' && failOnce) {
          failOnce = false;
          throw new Error('transient');
        }
        handled.push(data.code);
      },
    });
    const deadline = Date.now() + 15_000;
    while (handled.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await consumer.stop();
    expect(handled.sort()).toEqual(['AG-1', 'AG-2', 'AG-3']);
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete(ns.eventStream);
  });

  it('refuses an event whose declared source or type is not what its subject says, and keeps it as a dead letter', async () => {
    const ns = subjectsFor(uniqueNamespace());
    await ensureEventStream(nc, ns);
    const js = jetstream(nc);
    const subject = ns.event('identity', 'agency', 'created');
    const envelope = (source: string, type = 'identity.agency.created') =>
      JSON.stringify({ id: crypto.randomUUID(), type, version: 1, occurredAt: new Date().toISOString(), source, data: agency(9) });
    // A registry (or anyone) passing its event off as identity's; and a type that is not this subject's.
    await js.publish(subject, envelope('registry'));
    await js.publish(subject, envelope('identity', 'registry.application.registered'));
    await publishEvent(js, createEvent(ns, AgencyCreated, agency(1)));
    const handled: string[] = [];
    const consumer = await consumeEvents({ nc, subjects: ns, durable: 'provenance', definition: AgencyCreated, logger, handle: async (d) => void handled.push(d.code) });
    try {
      const deadline = Date.now() + 15_000;
      while ((await listDeadLetters(nc, ns)).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(handled).toEqual(['AG-1']);
      expect((await listDeadLetters(nc, ns)).map((l) => l.reason)).toEqual([
        'refused: source "registry" does not match the service in the subject (identity)',
        'refused: type "registry.application.registered" is not identity.agency.created',
      ]);
    } finally {
      await consumer.stop();
      const jsm = await jetstreamManager(nc);
      await jsm.streams.delete(ns.eventStream);
      await jsm.streams.delete(ns.deadLetterStream).catch(() => {});
    }
  });
});
