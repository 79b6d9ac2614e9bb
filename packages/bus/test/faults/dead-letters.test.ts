import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/nats-core';
import { subjectsFor } from '@simpul/contracts';
import { createLogger } from '@simpul/kit';
import { fileURLToPath } from 'node:url';
import { removeNamespaceStreams, startProcess, testNatsUrl, uniqueNamespace } from '@simpul/testing';
import { connectBus, type NatsConnection } from '../../src/connection.ts';
import { consumeEvents, createEvent, ensureEventStream, publishEvent, type EventConsumer } from '../../src/events.ts';
import { listDeadLetters, replayDeadLetter } from '../../src/dead-letters.ts';
import { Ticked } from './fault-events.ts';
import { eventually } from './support.ts';

/**
 * Faults: an event that fails validation, and one whose handler keeps failing. Expected:
 * after a bounded number of deliveries each is in the dead-letter stream with the
 * reason, subject, consumer and delivery count; the events behind them are handled; an
 * operator's replay (after the fix) hands the event to the consumer again.
 */
const logger = createLogger('fault-test', 'silent');
const namespace = uniqueNamespace();
const subjects = subjectsFor(namespace);
let nc: NatsConnection;
let consumer: EventConsumer | undefined;

beforeAll(async () => {
  nc = await connectBus({ url: testNatsUrl(), name: 'dead-letter-test' });
  await ensureEventStream(nc, subjects);
});
afterAll(async () => {
  await consumer?.stop();
  await nc?.close();
  await removeNamespaceStreams(namespace);
});

describe('dead letters', () => {
  it('moves a malformed event and a repeatedly failing one aside, keeps consuming, and replays on request', { timeout: 120_000 }, async () => {
    const durable = 'svc-dlq-apply';
    const handled: number[] = [];
    const attempts = new Map<number, number>();
    let broken = true; // the "bug" that makes event n=2 fail until an operator fixes it
    consumer = await consumeEvents({
      nc,
      subjects,
      durable,
      definition: Ticked,
      logger,
      maxDeliveries: 3,
      retryDelayMs: 100,
      handle: async (data) => {
        attempts.set(data.n, (attempts.get(data.n) ?? 0) + 1);
        if (data.n === 2 && broken) throw new Error('cannot apply n=2');
        handled.push(data.n);
      },
    });
    const js = jetstream(nc);
    const subject = subjects.event('personnel', 'faulttest', 'ticked');
    await publishEvent(js, createEvent(subjects, Ticked, { aggregate: 'dlq', n: 1 }));
    // Fails validation: n is not a number.
    await js.publish(
      subject,
      JSON.stringify({
        id: crypto.randomUUID(),
        type: 'personnel.faulttest.ticked',
        version: 1,
        occurredAt: new Date().toISOString(),
        source: 'personnel',
        data: { aggregate: 'dlq', n: 'x' },
      }),
      { headers: natsHeaders() },
    );
    const failing = createEvent(subjects, Ticked, { aggregate: 'dlq', n: 2 });
    await publishEvent(js, failing);
    await publishEvent(js, createEvent(subjects, Ticked, { aggregate: 'dlq', n: 3 }));

    await eventually(async () => (await listDeadLetters(nc, subjects)).length === 2 && handled.includes(3), 'two dead letters and n=3 handled');
    expect(handled).toEqual([1, 3]);
    expect(attempts.get(2)).toBe(3);
    const letters = await listDeadLetters(nc, subjects);
    expect(letters).toEqual([
      expect.objectContaining({ consumer: durable, subject, deliveries: 1, reason: expect.stringMatching(/^malformed: .*n/) }),
      expect.objectContaining({ consumer: durable, subject, deliveries: 3, eventId: failing.id, reason: 'failed 3 times: cannot apply n=2' }),
    ]);

    // What an operator sees: npm run dead-letters -- list
    const cli = startProcess(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../../src/cli/dead-letters.ts', import.meta.url)), 'list'], {
      env: { ...process.env, NATS_URL: testNatsUrl(), SIMPUL_NAMESPACE: namespace },
    });
    expect(await cli.exited).toBe(0);
    expect(cli.output()).toContain(`#${letters[1]!.seq}`);
    expect(cli.output()).toContain('reason: failed 3 times: cannot apply n=2');
    expect(cli.output()).toContain(`event ${failing.id}  deliveries 3`);

    broken = false;
    const replayed = await replayDeadLetter(nc, subjects, letters[1]!.seq);
    expect(replayed.eventId).toBe(failing.id);
    await eventually(() => handled.includes(2), 'the replayed event handled');
    expect(handled).toEqual([1, 3, 2]);
    expect((await listDeadLetters(nc, subjects)).map((l) => l.seq)).toEqual([letters[0]!.seq]);
  });

  // nats-server 2.9 ignores a TERM that carries a reason: the event then came back every
  // ack wait and was dead-lettered again, even after an operator discarded it.
  it('terminates a dead-lettered event for good: past the ack wait it is not redelivered, and a discard stays discarded', { timeout: 120_000 }, async () => {
    const durable = 'svc-dlq-once';
    const ackWaitMs = 1_000;
    const seen: number[] = [];
    const once = await consumeEvents({
      nc,
      subjects,
      durable,
      definition: Ticked,
      logger,
      maxDeliveries: 1,
      ackWaitMs,
      handle: async (data) => {
        if (data.aggregate !== 'once') return; // the other test's events
        seen.push(data.n);
        throw new Error('cannot apply');
      },
    });
    try {
      const poisoned = createEvent(subjects, Ticked, { aggregate: 'once', n: 7 });
      await publishEvent(jetstream(nc), poisoned);
      const mine = async () => (await listDeadLetters(nc, subjects, { consumer: durable })).filter((l) => l.eventId === poisoned.id);
      await eventually(async () => (await mine()).length === 1, 'the dead letter');
      await sleep(4 * ackWaitMs);
      expect(seen).toEqual([7]);
      const letters = await mine();
      expect(letters).toHaveLength(1);
      const info = await (await jetstreamManager(nc)).consumers.info(subjects.eventStream, durable);
      expect(info).toMatchObject({ num_ack_pending: 0, num_redelivered: 0 });

      const cli = (...args: string[]) =>
        startProcess(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../../src/cli/dead-letters.ts', import.meta.url)), ...args], {
          env: { ...process.env, NATS_URL: testNatsUrl(), SIMPUL_NAMESPACE: namespace },
        });
      const discard = cli('discard', String(letters[0]!.seq));
      expect(await discard.exited).toBe(0);
      await sleep(4 * ackWaitMs);
      expect(seen).toEqual([7]);
      expect(await mine()).toEqual([]);

      // Discarding what is not there is an error an operator's script can see.
      const again = cli('discard', String(letters[0]!.seq));
      expect(await again.exited).toBe(1);
      expect(again.output()).toContain(`no dead letter #${letters[0]!.seq}`);
    } finally {
      await once.stop();
    }
  });
});
