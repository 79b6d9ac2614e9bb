import { z } from 'zod';
import { defineEvent, type EventEnvelope, type Subjects } from '@simpul/contracts';
import type { Logger } from '@simpul/kit';
import type { NatsConnection } from '../../src/connection.ts';
import { consumeEvents, type EventConsumer } from '../../src/events.ts';
import { recordProcessedEvent } from '../../src/outbox-sql.ts';
import type { EventDatabase } from './support.ts';

/** An event made for these tests: `n` counts per run, `aggregate` groups them. */
export const Ticked = defineEvent({
  service: 'personnel',
  entity: 'faulttest',
  verb: 'ticked',
  version: 1,
  data: z.object({ aggregate: z.string(), n: z.number().int() }),
  // The relay publishes different aggregates side by side and each one's events in order.
  aggregate: (tick) => tick.aggregate,
});

/**
 * A consumer as every service writes one: the processed-event record and the change
 * in one transaction, acknowledged after commit. `afterCommit` lets a test crash it
 * between the commit and the acknowledgement.
 */
export function applyingConsumer(options: {
  nc: NatsConnection;
  subjects: Subjects;
  durable: string;
  database: EventDatabase;
  logger: Logger;
  ackWaitMs?: number;
  afterCommit?: (envelope: EventEnvelope, applied: boolean) => Promise<void>;
}): Promise<EventConsumer> {
  const { durable, database } = options;
  return consumeEvents({
    nc: options.nc,
    subjects: options.subjects,
    durable,
    definition: Ticked,
    logger: options.logger,
    retryDelayMs: 200,
    ...(options.ackWaitMs ? { ackWaitMs: options.ackWaitMs } : {}),
    handle: async (data, envelope) => {
      const applied = await database.transaction(async (tx) => {
        if (!(await recordProcessedEvent(tx, durable, envelope.id))) return false;
        await tx.$executeRawUnsafe(
          'INSERT INTO "Applied" (consumer, "eventId", aggregate, n) VALUES ($1, $2::uuid, $3, $4)',
          durable,
          envelope.id,
          data.aggregate,
          data.n,
        );
        return true;
      });
      await options.afterCommit?.(envelope, applied);
    },
  });
}

export async function appliedCounts(database: EventDatabase, consumer: string): Promise<{ rows: number; distinct: number }> {
  const { rows } = await database.pool.query<{ rows: string; distinct: string }>(
    'SELECT count(*) AS rows, count(DISTINCT "eventId") AS distinct FROM "Applied" WHERE consumer = $1',
    [consumer],
  );
  return { rows: Number(rows[0]?.rows), distinct: Number(rows[0]?.distinct) };
}
