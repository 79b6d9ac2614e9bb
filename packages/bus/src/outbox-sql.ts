import type { EventEnvelope } from '@simpul/contracts';
import type { OutgoingEvent } from './events.ts';
import type { OutboxStore } from './outbox.ts';

/**
 * The raw-SQL surface every Prisma client (and transaction client) has. The outbox
 * and processed-event tables have the same shape in every service's schema
 * (`OutboxEvent`, `ProcessedEvent`), so one implementation serves them all without
 * knowing any service's generated client.
 */
export interface RawSql {
  $executeRawUnsafe(query: string, ...values: unknown[]): PromiseLike<number>;
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): PromiseLike<T>;
}

/**
 * Stores an event in the outbox inside the caller's transaction, so the event exists
 * exactly when the change that caused it was committed.
 */
export async function writeOutboxEvent(tx: RawSql, event: OutgoingEvent): Promise<void> {
  await tx.$executeRawUnsafe(
    'INSERT INTO "OutboxEvent" (id, subject, type, payload, traceparent) VALUES ($1::uuid, $2, $3, $4::jsonb, $5)',
    event.id,
    event.subject,
    event.type,
    JSON.stringify(event.payload),
    event.traceparent,
  );
}

/**
 * Stores several events in the outbox in one statement, in the given order (the outbox's
 * `seq` follows the array), inside the caller's transaction. For a change that emits many
 * events at once (an import): one round trip instead of one per event.
 */
export async function writeOutboxEvents(tx: RawSql, events: readonly OutgoingEvent[]): Promise<void> {
  if (events.length === 0) return;
  await tx.$executeRawUnsafe(
    `INSERT INTO "OutboxEvent" (id, subject, type, payload, traceparent)
     SELECT id, subject, type, payload, traceparent
     FROM unnest($1::uuid[], $2::text[], $3::text[], $4::jsonb[], $5::text[]) WITH ORDINALITY AS e(id, subject, type, payload, traceparent, position)
     ORDER BY position`,
    events.map((e) => e.id),
    events.map((e) => e.subject),
    events.map((e) => e.type),
    events.map((e) => JSON.stringify(e.payload)),
    events.map((e) => e.traceparent),
  );
}

interface OutboxRow {
  id: string;
  subject: string;
  type: string;
  payload: EventEnvelope;
  traceparent: string | null;
}

/** A service's outbox table, read by the OutboxRelay. */
export class SqlOutboxStore implements OutboxStore {
  constructor(private readonly db: RawSql) {}

  async pending(limit: number): Promise<OutgoingEvent[]> {
    const rows = await this.db.$queryRawUnsafe<OutboxRow[]>(
      'SELECT id::text AS id, subject, type, payload, traceparent FROM "OutboxEvent" WHERE "publishedAt" IS NULL ORDER BY seq LIMIT $1',
      limit,
    );
    return rows.map((row) => ({ ...row }));
  }

  async markPublished(ids: string[]): Promise<void> {
    await this.db.$executeRawUnsafe('UPDATE "OutboxEvent" SET "publishedAt" = now() WHERE id = ANY($1::uuid[])', ids);
  }
}

/**
 * Records that `consumer` handled event `eventId`, inside the transaction that applies
 * it. Returns false when it was handled before: the caller then changes nothing, so a
 * redelivered event is harmless.
 */
export async function recordProcessedEvent(tx: RawSql, consumer: string, eventId: string): Promise<boolean> {
  const inserted = await tx.$executeRawUnsafe('INSERT INTO "ProcessedEvent" (consumer, id) VALUES ($1, $2::uuid) ON CONFLICT DO NOTHING', consumer, eventId);
  return inserted === 1;
}
