import { consumeEvents, type EventConsumer, type NatsConnection } from '@simpul/bus';
import { AuditRecorded, SERVICES, type Subjects } from '@simpul/contracts';
import type { Logger } from '@simpul/kit';
import type { PrismaClient } from '../db.ts';
import type { AuditStore } from './audit-store.ts';

/** Durable consumer name for one service's audit events. */
export const auditConsumerName = (service: string) => `identity-audit-${service}`;

/**
 * Keeps the platform's audit log: one durable consumer per service's
 * `<service>.audit.recorded` events (identity's own included), each entry stored in
 * the same transaction that records the event as handled.
 */
export async function startAuditConsumers(options: {
  nc: NatsConnection;
  subjects: Subjects;
  prisma: PrismaClient;
  store: AuditStore;
  logger: Logger;
}): Promise<{ stop(): Promise<void> }> {
  const consumers: EventConsumer[] = [];
  try {
    for (const service of SERVICES) {
      const durable = auditConsumerName(service);
      consumers.push(
        await consumeEvents({
          nc: options.nc,
          subjects: options.subjects,
          durable,
          definition: AuditRecorded[service],
          logger: options.logger,
          database: options.prisma,
          apply: (tx, data, envelope) => options.store.append(tx, { ...data, id: envelope.id, service, occurredAt: new Date(envelope.occurredAt) }),
        }),
      );
    }
  } catch (error) {
    await Promise.allSettled(consumers.map((c) => c.stop()));
    throw error;
  }
  return {
    async stop() {
      await Promise.all(consumers.map((c) => c.stop()));
    },
  };
}
