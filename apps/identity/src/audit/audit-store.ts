import type { AuditEntryData } from '@simpul/contracts';
import type { Prisma, PrismaClient, Transaction } from '../db.ts';
import type { AuditEntry } from '../generated/prisma/client.ts';

export type { AuditEntry };

export interface AuditFilter {
  service?: string | undefined;
  action?: string | undefined;
  outcome?: AuditEntry['outcome'] | undefined;
  actorId?: string | undefined;
  actorName?: string | undefined;
  agencyCode?: string | undefined;
  target?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
}

export interface IncomingAuditEntry extends AuditEntryData {
  /** The event id: an entry is stored once however often its event arrives. */
  id: string;
  service: string;
  occurredAt: Date;
}

/** The audit log table. It only ever grows (the database refuses updates and deletes). */
export class AuditStore {
  constructor(private readonly prisma: PrismaClient) {}

  /** Appends inside the consumer's transaction; false when this entry is already there. */
  async append(tx: Transaction, entry: IncomingAuditEntry): Promise<boolean> {
    const { count } = await tx.auditEntry.createMany({
      data: [{ ...entry, detail: entry.detail as Prisma.InputJsonValue }],
      skipDuplicates: true,
    });
    return count === 1;
  }

  /** Newest first; `beforeSeq` is the cursor (the seq of the last entry of the previous page). */
  page(filter: AuditFilter, beforeSeq: bigint | undefined, take: number): Promise<AuditEntry[]> {
    return this.prisma.auditEntry.findMany({
      where: { ...where(filter), ...(beforeSeq !== undefined ? { seq: { lt: beforeSeq } } : {}) },
      orderBy: { seq: 'desc' },
      take,
    });
  }

  count(filter: AuditFilter): Promise<number> {
    return this.prisma.auditEntry.count({ where: where(filter) });
  }
}

function where(filter: AuditFilter): Prisma.AuditEntryWhereInput {
  return {
    ...(filter.service ? { service: filter.service } : {}),
    ...(filter.action ? { action: filter.action } : {}),
    ...(filter.outcome ? { outcome: filter.outcome } : {}),
    ...(filter.actorId ? { actorId: filter.actorId } : {}),
    ...(filter.actorName ? { actorName: filter.actorName } : {}),
    ...(filter.agencyCode ? { actorAgencyCode: filter.agencyCode } : {}),
    ...(filter.target ? { target: filter.target } : {}),
    ...(filter.from || filter.to ? { occurredAt: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lt: filter.to } : {}) } } : {}),
  };
}
