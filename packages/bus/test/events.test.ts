import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetstream, jetstreamManager, type JetStreamClient } from '@nats-io/jetstream';
import { AgencyCreated, AgencyUpdated, eventOrderKey, subjectsFor } from '@simpul/contracts';
import { createLogger } from '@simpul/kit';
import { eventually, testNatsUrl, uniqueNamespace } from '@simpul/testing';
import { connectBus, type NatsConnection } from '../src/connection.ts';
import { consumeEvents, createEvent, ensureEventStream, publishEvent, type OutgoingEvent } from '../src/events.ts';
import { OutboxRelay, publishRound, type OutboxStore } from '../src/outbox.ts';
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

/** The stream's events in stream order, of one subject or (without a filter) all. */
async function streamSubjects(filter?: string): Promise<{ id: string; code: string }[]> {
  const jsm = await jetstreamManager(nc);
  const info = await jsm.streams.info(subjects.eventStream);
  const out: { id: string; code: string }[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
    const msg = await jsm.streams.getMessage(subjects.eventStream, { seq }).catch(() => null);
    if (!msg || (filter !== undefined && msg.subject !== filter)) continue;
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
    // One order key for all: the outbox's order overall (per aggregate, see publishRound's tests).
    const relay = new OutboxRelay({ nc, store: outbox, logger, intervalMs: 50, orderKey: () => 'all' });
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
    const relay = new OutboxRelay({ nc, store: outbox, logger, intervalMs: 60_000, orderKey: () => 'all' });
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

describe(publishRound.name, () => {
  const byAggregate = (e: OutgoingEvent) => eventOrderKey(e.type, e.payload.data);
  /** This test file's JetStream client, with a gate before each publish (by event id) to hold one back or refuse it. */
  function gated(gate: (id: string) => Promise<void>): JetStreamClient {
    const js = jetstream(nc);
    return { publish: async (subject, payload, options) => (await gate(options!.msgID!), js.publish(subject, payload, options)) } as JetStreamClient;
  }
  const ids = (events: OutgoingEvent[]) => events.map((e) => e.id);

  it('publishes other aggregates while one waits for its acknowledgement', { timeout: 120_000 }, async () => {
    const created = createEvent(subjects, AgencyCreated, agency(400));
    const updated = createEvent(subjects, AgencyUpdated, { ...agency(400), name: 'Renamed 400' });
    const others = [401, 402, 403].map((i) => createEvent(subjects, AgencyCreated, agency(i)));
    const stored = new Set<string>();
    // The first event's acknowledgement "takes long" until every other aggregate's event is
    // stored: published one after the other, the round would never finish.
    const js = gated(async (id) => {
      if (id === created.id) await eventually(() => others.every((e) => stored.has(e.id)) || undefined, 'the other aggregates stored first', 60_000);
    });
    const tracking = {
      publish: async (...args: Parameters<JetStreamClient['publish']>) => {
        const ack = await js.publish(...args);
        stored.add(args[2]!.msgID!);
        return ack;
      },
    } as JetStreamClient;
    const round = await publishRound(tracking, [created, updated, ...others], byAggregate);
    expect(round.failure).toBeUndefined();
    expect(new Set(round.published)).toEqual(new Set(ids([created, updated, ...others])));
    // Agency 400's own events are still in the order they were written.
    const inStream = (await streamSubjects()).map((e) => e.id).filter((id) => id === created.id || id === updated.id);
    expect(inStream).toEqual([created.id, updated.id]);
  });

  it('stops an aggregate at its refused event and publishes it first next time: the stream keeps its written order', { timeout: 120_000 }, async () => {
    const a = [
      createEvent(subjects, AgencyCreated, agency(500)),
      createEvent(subjects, AgencyUpdated, { ...agency(500), name: 'A1' }),
      createEvent(subjects, AgencyUpdated, { ...agency(500), name: 'A2' }),
    ];
    const b = [createEvent(subjects, AgencyCreated, agency(501))];
    const outbox = [a[0]!, b[0]!, a[1]!, a[2]!];
    let refused = false;
    // The stream's leader is lost for agency 500's second event, once.
    const js = gated(async (id) => {
      if (id === a[1]!.id && !refused) {
        refused = true;
        throw new Error('no stream leader');
      }
    });
    const first = await publishRound(js, outbox, byAggregate);
    expect((first.failure as Error).message).toBe('no stream leader');
    expect(first.published).toContain(a[0]!.id);
    // Nothing of agency 500 after its refused event went out.
    expect(first.published).not.toContain(a[2]!.id);
    expect((await streamSubjects()).map((e) => e.id)).not.toContain(a[2]!.id);
    // The next round takes the outbox's unpublished rows, in their written order.
    const second = await publishRound(
      js,
      outbox.filter((e) => !first.published.includes(e.id)),
      byAggregate,
    );
    expect(second.failure).toBeUndefined();
    const inStream = (await streamSubjects()).map((e) => e.id);
    expect(inStream.filter((id) => ids(a).includes(id))).toEqual(ids(a));
    expect(inStream.filter((id) => id === b[0]!.id)).toHaveLength(1);
  });
});

describe(consumeEvents.name, () => {
  it('hands each valid event to the handler, retries a failure, and skips malformed ones', async () => {
    const ns = subjectsFor(uniqueNamespace());
    await ensureEventStream(nc, ns);
    const js = jetstream(nc);
    const subject = ns.event('identity', 'agency', 'created');
    await js.publish(subject, 'not json');
    await js.publish(
      subject,
      JSON.stringify({
        id: crypto.randomUUID(),
        type: 'identity.agency.created',
        version: 1,
        occurredAt: new Date().toISOString(),
        source: 'identity',
        data: { code: '!!' },
      }),
    );
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
    const consumer = await consumeEvents({
      nc,
      subjects: ns,
      durable: 'provenance',
      definition: AgencyCreated,
      logger,
      handle: async (d) => void handled.push(d.code),
    });
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
