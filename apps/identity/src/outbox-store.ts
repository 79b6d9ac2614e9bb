import type { OutboxStore, OutgoingEvent } from '@simpul/bus';
import type { EventEnvelope } from '@simpul/contracts';
import type { Prisma, PrismaClient, Transaction } from './db.ts';

/**
 * Stores an event in the outbox inside the caller's transaction, so the event exists
 * exactly when the change that caused it was committed.
 */
export async function writeEvent(tx: Transaction, event: OutgoingEvent): Promise<void> {
  await tx.outboxEvent.create({
    data: {
      id: event.id,
      subject: event.subject,
      type: event.type,
      payload: event.payload as unknown as Prisma.InputJsonValue,
      traceparent: event.traceparent,
    },
  });
}

/** Identity's outbox table, read by the bus's OutboxRelay. */
export class PrismaOutboxStore implements OutboxStore {
  constructor(private readonly prisma: PrismaClient) {}

  async pending(limit: number): Promise<OutgoingEvent[]> {
    const rows = await this.prisma.outboxEvent.findMany({
      where: { publishedAt: null },
      orderBy: { seq: 'asc' },
      take: limit,
    });
    return rows.map((row) => ({
      id: row.id,
      subject: row.subject,
      type: row.type,
      payload: row.payload as unknown as EventEnvelope,
      traceparent: row.traceparent,
    }));
  }

  async markPublished(ids: string[]): Promise<void> {
    await this.prisma.outboxEvent.updateMany({ where: { id: { in: ids } }, data: { publishedAt: new Date() } });
  }
}
