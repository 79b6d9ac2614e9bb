import type { PrismaClient } from '../../db.ts';
import type { EventWebhook, WebhookDeadLetter } from '../../generated/prisma/client.ts';

export type { EventWebhook, WebhookDeadLetter };

/** Webhooks of API clients, their health, and the events they gave up on. */
export class WebhookStore {
  constructor(private readonly prisma: PrismaClient) {}

  find(clientId: string): Promise<EventWebhook | null> {
    return this.prisma.eventWebhook.findUnique({ where: { clientId } });
  }

  all(): Promise<EventWebhook[]> {
    return this.prisma.eventWebhook.findMany();
  }

  set(clientId: string, url: string, secret: string, createdBy: string): Promise<EventWebhook> {
    const fresh = { url, secret, createdBy, lastSuccessAt: null, lastFailureAt: null, lastError: null, consecutiveFailures: 0 };
    return this.prisma.eventWebhook.upsert({ where: { clientId }, create: { clientId, ...fresh }, update: fresh });
  }

  async remove(clientId: string): Promise<boolean> {
    const { count } = await this.prisma.eventWebhook.deleteMany({ where: { clientId } });
    return count > 0;
  }

  succeeded(clientId: string, at: Date): Promise<unknown> {
    return this.prisma.eventWebhook.updateMany({ where: { clientId }, data: { lastSuccessAt: at, consecutiveFailures: 0 } });
  }

  failed(clientId: string, at: Date, error: string): Promise<unknown> {
    return this.prisma.eventWebhook.updateMany({
      where: { clientId },
      data: { lastFailureAt: at, lastError: error.slice(0, 500), consecutiveFailures: { increment: 1 } },
    });
  }

  deadLetter(fields: {
    clientId: string;
    eventId: string;
    eventType: string;
    payload: string;
    attempts: number;
    lastError: string;
  }): Promise<WebhookDeadLetter> {
    return this.prisma.webhookDeadLetter.create({ data: { ...fields, lastError: fields.lastError.slice(0, 500) } });
  }

  deadLetters(clientId: string, includeReplayed: boolean): Promise<WebhookDeadLetter[]> {
    return this.prisma.webhookDeadLetter.findMany({
      where: { clientId, ...(includeReplayed ? {} : { replayedAt: null }) },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
  }

  countDeadLetters(clientId: string): Promise<number> {
    return this.prisma.webhookDeadLetter.count({ where: { clientId, replayedAt: null } });
  }

  /** Dead letters not yet replayed, per client (the operators' list). */
  async deadLetterCounts(): Promise<Map<string, number>> {
    const rows = await this.prisma.webhookDeadLetter.groupBy({ by: ['clientId'], where: { replayedAt: null }, _count: { _all: true } });
    return new Map(rows.map((r) => [r.clientId, r._count._all]));
  }

  replayed(id: string, at: Date): Promise<unknown> {
    return this.prisma.webhookDeadLetter.update({ where: { id }, data: { replayedAt: at } });
  }

  replayFailed(id: string, error: string): Promise<unknown> {
    return this.prisma.webhookDeadLetter.update({ where: { id }, data: { lastError: error.slice(0, 500), attempts: { increment: 1 } } });
  }
}
