import { z } from 'zod';
import { defineEvent, type EventEnvelope, type Subjects } from '@simpul/contracts';
import type { Logger } from '@simpul/kit';
import type { NatsConnection } from '../../src/connection.ts';
import { consumeEvents, type EventConsumer, type TransactionRunner } from '../../src/events.ts';
import type { RawSql } from '../../src/outbox-sql.ts';
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
 * A consumer as every service writes one (consumeEvents with `database` and `apply`):
 * the processed-event record and the change in one transaction, acknowledged after
 * commit. `afterCommit` (told whether this delivery applied the event) lets a test crash
 * it between the commit and the acknowledgement.
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
    database: transactionRunner(database),
    apply: async (tx, data, envelope) => {
      await tx.$executeRawUnsafe(
        'INSERT INTO "Applied" (consumer, "eventId", aggregate, n) VALUES ($1, $2::uuid, $3, $4)',
        durable,
        envelope.id,
        data.aggregate,
        data.n,
      );
    },
    afterApply: (_result, _data, envelope) => options.afterCommit?.(envelope, true),
    afterDuplicate: (envelope) => options.afterCommit?.(envelope, false),
  });
}

/** The test database as consumeEvents' TransactionRunner (a service passes its Prisma client). */
export function transactionRunner(database: EventDatabase): TransactionRunner<RawSql> {
  return { $transaction: (work) => database.transaction(work) };
}

export async function appliedCounts(database: EventDatabase, consumer: string): Promise<{ rows: number; distinct: number }> {
  const { rows } = await database.pool.query<{ rows: string; distinct: string }>(
    'SELECT count(*) AS rows, count(DISTINCT "eventId") AS distinct FROM "Applied" WHERE consumer = $1',
    [consumer],
  );
  return { rows: Number(rows[0]?.rows), distinct: Number(rows[0]?.distinct) };
}
