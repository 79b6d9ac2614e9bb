import { consumeEvents, type EventConsumer, type NatsConnection } from '@simpul/bus';
import { AgencyCreated, AgencyUpdated, type Subjects } from '@simpul/contracts';
import type { Logger } from '@simpul/kit';
import type { PrismaClient, Transaction } from '../db.ts';

export const AGENCY_CONSUMERS = { created: 'documents-agency-created', updated: 'documents-agency-updated' } as const;

/**
 * The agencies identity has announced (read model). Documents does not own agencies;
 * it keeps their codes so that a letter addressed to an agency or unit names one that
 * exists, instead of going to a mail room nobody reads.
 */
export class KnownAgencyStore {
  constructor(private readonly prisma: PrismaClient) {}

  async apply(db: Transaction | PrismaClient, agency: { code: string; name: string }): Promise<void> {
    await db.knownAgency.upsert({ where: { code: agency.code }, create: { code: agency.code, name: agency.name }, update: { name: agency.name } });
  }

  async known(codes: readonly string[]): Promise<Set<string>> {
    const rows = await this.prisma.knownAgency.findMany({ where: { code: { in: [...codes] } }, select: { code: true } });
    return new Set(rows.map((r) => r.code));
  }
}

/** Follows identity's agency.created and agency.updated. */
export async function consumeAgencyEvents(options: {
  nc: NatsConnection;
  subjects: Subjects;
  prisma: PrismaClient;
  agencies: KnownAgencyStore;
  logger: Logger;
}): Promise<EventConsumer[]> {
  const { nc, subjects, prisma, agencies, logger } = options;
  const common = { nc, subjects, logger: logger.child({ component: 'agency-events' }) };
  return Promise.all(
    (
      [
        [AGENCY_CONSUMERS.created, AgencyCreated],
        [AGENCY_CONSUMERS.updated, AgencyUpdated],
      ] as const
    ).map(([durable, definition]) =>
      consumeEvents({
        ...common,
        durable,
        definition,
        database: prisma,
        apply: (tx, data) => agencies.apply(tx, data),
      }),
    ),
  );
}
