import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetstream } from '@nats-io/jetstream';
import { consumeEvents, createEvent, decodeJson, publishEvent, type EventConsumer } from '@simpul/bus';
import { defineEvent, telemetrySubjects } from '@simpul/contracts';
import { createLogger } from '@simpul/kit';
import { z } from 'zod';
import { AUDITOR, errorCodes, eventually, OPERATOR, startTestTelemetry, type TestTelemetry } from './support/telemetry.ts';

/** An identity event that registry's consumer fails on until it is "fixed". */
const Probed = defineEvent({ service: 'identity', entity: 'probe', verb: 'done', version: 1, data: z.object({ n: z.number() }) });
const DURABLE = 'registry-probe-test';

describe('instances, events state, dead letters and the live snapshot', () => {
  let t: TestTelemetry;
  let consumer: EventConsumer;
  let broken = true;
  const handled: number[] = [];

  beforeAll(async () => {
    t = await startTestTelemetry();
    consumer = await consumeEvents({
      nc: t.client,
      subjects: t.service.subjects,
      durable: DURABLE,
      definition: Probed,
      logger: createLogger('test', 'silent'),
      maxDeliveries: 2,
      retryDelayMs: 50,
      handle: async (data) => {
        if (broken) throw new Error(`cannot apply probe ${data.n}`);
        handled.push(data.n);
      },
    });
    const js = jetstream(t.client);
    await publishEvent(js, createEvent(t.service.subjects, Probed, { n: 1 }));
    await publishEvent(js, createEvent(t.service.subjects, Probed, { n: 2 }));
  });
  afterAll(async () => {
    await consumer?.stop();
    await t?.close();
  });

  const letters = async () => (await t.gql('{ deadLetters { seq consumer subject reason deliveries eventId type payload } }', {}, OPERATOR)).data.deadLetters;

  it('lists what a consumer gave up on, with the reason and the payload', async () => {
    const list = await eventually(async () => {
      const l = await letters();
      return l.length === 2 ? l : undefined;
    }, 'two dead letters');
    expect(list[0]).toMatchObject({
      consumer: DURABLE,
      subject: t.service.subjects.event('identity', 'probe', 'done'),
      reason: 'failed 2 times: cannot apply probe 1',
      deliveries: 2,
      type: 'identity.probe.done',
    });
    expect(JSON.parse(list[0].payload).data).toEqual({ n: 1 });
  });

  it('shows the durable consumer with its counts, whose events it reads, and the event edge in the service map', async () => {
    const state = (
      await t.gql(
        '{ eventsState { streams { name messages } consumers { stream name service pending ackPending redelivered lastActivity } outboxes { service pending } deadLetterCount } }',
        {},
        AUDITOR,
      )
    ).data.eventsState;
    expect(state.consumers).toContainEqual(expect.objectContaining({ name: DURABLE, service: 'registry', pending: 0, lastActivity: expect.any(String) }));
    // Redeliveries are shown as JetStream counts them: nats-server 2.9 forgets a message's
    // redeliveries once it is terminated, so the count may be back at 0 here (the dead
    // letters above carry deliveries: 2); only that the count is there is certain.
    expect(state.consumers.find((c: { name: string }) => c.name === DURABLE).redelivered).toEqual(expect.any(Number));
    expect(state.deadLetterCount).toBe(2);
    // The telemetry service itself answers discovery with its outbox backlog.
    await eventually(async () => {
      const outboxes = (await t.gql('{ eventsState { outboxes { service pending } } }', {}, AUDITOR)).data.eventsState.outboxes as {
        service: string;
        pending: number | null;
      }[];
      return outboxes.some((o) => o.service === 'telemetry' && typeof o.pending === 'number') ? true : undefined;
    }, "telemetry's outbox backlog");
    const map = (await t.gql('{ serviceMap { edges { from to kind errors } } }', {}, OPERATOR)).data.serviceMap;
    expect(map.edges).toContainEqual(expect.objectContaining({ from: 'identity', to: 'registry', kind: 'EVENT' }));
    expect(map.edges.find((e: { kind: string; to: string }) => e.kind === 'EVENT' && e.to === 'registry').errors).toBeGreaterThanOrEqual(2);
  });

  it('finds every instance over NATS with health and readiness, and the state of NATS and PostgreSQL', async () => {
    const { instances, platformState } = (
      await t.gql(
        '{ instances { service kind healthy ready pid checks { key value } } platformState { nats { connected rttMs } databases { service reachable sizeBytes } } }',
        {},
        OPERATOR,
      )
    ).data;
    expect(instances).toContainEqual(expect.objectContaining({ service: 'telemetry', kind: 'SERVICE', healthy: true, ready: true, pid: process.pid }));
    expect(platformState.nats.connected).toBe(true);
    expect(platformState.databases).toContainEqual(expect.objectContaining({ service: 'telemetry', reachable: true }));
  });

  it('replays a dead letter (handled again once fixed) and discards another, both audited; AUDITOR may do neither', async () => {
    const [first, second] = await letters();
    expect(errorCodes(await t.gql('mutation ($s: Int!) { replayDeadLetter(seq: $s) { seq } }', { s: first.seq }, AUDITOR))).toEqual(['FORBIDDEN']);
    broken = false;
    const replayed = await t.gql('mutation ($s: Int!) { replayDeadLetter(seq: $s) { seq eventId } }', { s: first.seq }, OPERATOR);
    expect(replayed.data.replayDeadLetter).toEqual({ seq: first.seq, eventId: first.eventId });
    await eventually(() => (handled.includes(1) ? true : undefined), 'the replayed event handled');
    expect((await t.gql('mutation ($s: Int!) { discardDeadLetter(seq: $s) }', { s: second.seq }, OPERATOR)).data.discardDeadLetter).toBe(true);
    expect(await letters()).toEqual([]);
    expect(handled).toEqual([1]);
    expect(errorCodes(await t.gql('mutation { replayDeadLetter(seq: 999999) { seq } }', {}, OPERATOR))).toEqual(['NOT_FOUND']);

    const audit = await t.service.prisma.outboxEvent.findMany({ where: { type: 'telemetry.audit.recorded' }, orderBy: { seq: 'asc' } });
    expect(audit.map((a) => (a.payload as { data: { action: string; actorName: string; target: string } }).data)).toEqual([
      expect.objectContaining({ action: 'dead-letter.replay', actorName: 'operator', target: `dead-letter:${first.seq}` }),
      expect.objectContaining({ action: 'dead-letter.discard', actorName: 'operator', target: `dead-letter:${second.seq}` }),
    ]);
  });

  it('publishes the live snapshot the gateways relay to consoles', async () => {
    const sub = t.client.subscribe(telemetrySubjects(t.service.subjects).live, { max: 1 });
    await t.client.flush();
    await t.service.ticker.tick();
    for await (const msg of sub) {
      const message = decodeJson(msg.data) as {
        event: string;
        data: { instances: { service: string }[]; lastMinute: { count: number }; consumers: { name: string }[] };
      };
      expect(message.event).toBe('snapshot');
      expect(message.data.instances.map((i) => i.service)).toContain('telemetry');
      expect(message.data.consumers.map((c) => c.name)).toContain(DURABLE);
      expect(message.data.lastMinute.count).toBe(0);
    }
  });
});
