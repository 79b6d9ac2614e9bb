/**
 * Events from outbox to consumer, with the services' own parts: a personnel database
 * (its migrations, its OutboxEvent table, Prisma over kit's pool), bus's OutboxRelay
 * publishing to JetStream and bus's durable consumer. N events are written in
 * transactions of 100 as fast as the database takes them, each nudging the relay as a
 * service does after a commit (one multi-row INSERT per transaction); lag is the time from an event's write (its occurredAt)
 * until the consumer's handler sees it. Throughput is N over the time from the first
 * write to the last event handled.
 */
import { AgencyCreated, subjectsFor } from '@simpul/contracts';
import { connectBus, consumeEvents, createEvent, ensureEventStream, OutboxRelay, SqlOutboxStore, writeOutboxEvents } from '@simpul/bus';
import { applyMigrations, createLogger } from '@simpul/kit';
import { createTestDatabase, removeNamespaceStreams, testNatsUrl, uniqueNamespace } from '@simpul/testing';
import { openDatabase } from '../../apps/personnel/src/db.ts';
import { MIGRATIONS_DIR } from '../../apps/personnel/src/service.ts';
import { percentile } from './stats.ts';

export interface EventsResult {
  events: number;
  /** Events per second, first write to last handled. */
  perSecond: number;
  p50LagMs: number;
  p99LagMs: number;
  maxLagMs: number;
  /** Events per second written to the outbox (first write to the last commit): the relay cannot go faster. */
  writtenPerSecond: number;
  /** This process's CPU (relay, consumer, writer together) per event, in ms. */
  cpuMsPerEvent: number;
}

const BATCH = 100;

export async function outboxToConsumer(events: number): Promise<EventsResult> {
  const database = await createTestDatabase('events_bench');
  const namespace = uniqueNamespace();
  const subjects = subjectsFor(namespace);
  const logger = createLogger('events-bench', 'warn');
  await applyMigrations(database.url, MIGRATIONS_DIR);
  const db = openDatabase(database.url);
  const nc = await connectBus({ url: testNatsUrl(), name: 'events-bench', logger });
  // Stopped before the connection drains, also after a failure: a consumer still pulling
  // on a draining connection throws outside any await and ends the whole suite.
  const running: { stop(): Promise<void> }[] = [];
  try {
    await ensureEventStream(nc, subjects);
    const lags: number[] = [];
    let lastHandled = 0;
    let resolveDone!: () => void;
    const done = new Promise<void>((r) => (resolveDone = r));
    const consumer = await consumeEvents({
      nc,
      subjects,
      durable: 'bench',
      definition: AgencyCreated,
      logger,
      handle: async (_data, envelope) => {
        lastHandled = Date.now();
        lags.push(lastHandled - Date.parse(envelope.occurredAt));
        if (lags.length === events) resolveDone();
      },
    });
    running.push(consumer);
    const relay = new OutboxRelay({ nc, store: new SqlOutboxStore(db.prisma), logger });
    running.unshift(relay);
    relay.start();
    const cpuBefore = process.cpuUsage();
    const started = Date.now();
    for (let written = 0; written < events; written += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, events - written) }, (_, i) =>
        createEvent(subjects, AgencyCreated, { code: `BENCH-${written + i}`, name: 'Bench agency', kind: 'REGENCY', parentCode: null }),
      );
      // One statement per transaction of 100 (bus's writeOutboxEvents): what is measured is
      // the way to the consumer, not 100 round trips through Prisma per transaction.
      await db.prisma.$transaction((tx) => writeOutboxEvents(tx, batch));
      relay.nudge();
    }
    const lastWritten = Date.now();
    const timeout = setTimeout(() => resolveDone(), 120_000);
    await done;
    clearTimeout(timeout);
    const cpu = process.cpuUsage(cpuBefore);
    await relay.stop();
    await consumer.stop();
    if (lags.length < events) throw new Error(`only ${lags.length} of ${events} events arrived within 120 s`);
    lags.sort((a, b) => a - b);
    return {
      events,
      perSecond: events / ((lastHandled - started) / 1000),
      writtenPerSecond: events / ((lastWritten - started) / 1000),
      p50LagMs: percentile(lags, 50),
      p99LagMs: percentile(lags, 99),
      maxLagMs: lags.at(-1)!,
      cpuMsPerEvent: (cpu.user + cpu.system) / 1000 / events,
    };
  } finally {
    for (const part of running) await part.stop().catch(() => {});
    await nc.drain().catch(() => {});
    await db.close();
    await database.drop();
    await removeNamespaceStreams(namespace);
  }
}
