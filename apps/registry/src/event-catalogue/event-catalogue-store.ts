import { recordAudit } from '@simpul/bus';
import type { AuditEntryData, Subjects } from '@simpul/contracts';
import type { PrismaClient } from '../db.ts';
import type { EventAccessGrant, EventRejection, EventType, Prisma } from '../generated/prisma/client.ts';

export type { EventAccessGrant, EventRejection, EventType };
export type AuditInput = Omit<AuditEntryData, 'detail'> & { detail?: AuditEntryData['detail'] };

export interface EventTypeFields {
  ownerAgencyCode: string;
  name: string;
  version: number;
  description: string;
  payloadSchema: Record<string, unknown>;
  declaredBy: string;
}

export interface GrantKey {
  ownerAgencyCode: string;
  eventName: string;
  /** 0: every version. */
  version: number;
  clientId: string;
}

export interface RejectionFields {
  agencyCode: string;
  eventId: string | null;
  eventName: string | null;
  version: number | null;
  channel: 'NATS' | 'HTTP';
  reason: string;
  excerpt: string;
  /** `registry` (the gate) when omitted, else the service that refused to act on an accepted event. */
  refusedBy?: string;
}

/** The catalogue of agency event types, the grants to receive them, and refused events. */
export class EventCatalogueStore {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly subjects: Subjects,
  ) {}

  find(ownerAgencyCode: string, name: string, version: number): Promise<EventType | null> {
    return this.prisma.eventType.findUnique({ where: { ownerAgencyCode_name_version: { ownerAgencyCode, name, version } } });
  }

  /** The highest declared version (deprecated ones included), or null. */
  latest(ownerAgencyCode: string, name: string): Promise<EventType | null> {
    return this.prisma.eventType.findFirst({ where: { ownerAgencyCode, name }, orderBy: { version: 'desc' } });
  }

  list(filter: { ownerAgencyCode?: string | undefined; includeDeprecated: boolean }): Promise<EventType[]> {
    const where: Prisma.EventTypeWhereInput = {};
    if (filter.ownerAgencyCode) where.ownerAgencyCode = filter.ownerAgencyCode;
    if (!filter.includeDeprecated) where.deprecatedAt = null;
    return this.prisma.eventType.findMany({ where, orderBy: [{ ownerAgencyCode: 'asc' }, { name: 'asc' }, { version: 'asc' }] });
  }

  declare(fields: EventTypeFields, audit: AuditInput): Promise<EventType> {
    return this.prisma.$transaction(async (tx) => {
      const row = await tx.eventType.create({ data: { ...fields, payloadSchema: fields.payloadSchema as Prisma.InputJsonObject } });
      await recordAudit(tx, this.subjects, 'registry', audit);
      return row;
    });
  }

  deprecate(id: string, at: Date, note: string | null, audit: AuditInput): Promise<EventType> {
    return this.prisma.$transaction(async (tx) => {
      const row = await tx.eventType.update({ where: { id }, data: { deprecatedAt: at, deprecationNote: note } });
      await recordAudit(tx, this.subjects, 'registry', audit);
      return row;
    });
  }

  /** Grants idempotently; the audit entry is written only for a new grant. */
  grant(key: GrantKey, grantedBy: string, audit: AuditInput): Promise<{ grant: EventAccessGrant; created: boolean }> {
    return this.prisma.$transaction(async (tx) => {
      const existing = await tx.eventAccessGrant.findUnique({ where: { ownerAgencyCode_eventName_version_clientId: key } });
      if (existing) return { grant: existing, created: false };
      const grant = await tx.eventAccessGrant.create({ data: { ...key, grantedBy } });
      await recordAudit(tx, this.subjects, 'registry', audit);
      return { grant, created: true };
    });
  }

  revoke(key: GrantKey, audit: AuditInput): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const { count } = await tx.eventAccessGrant.deleteMany({ where: key });
      if (count > 0) await recordAudit(tx, this.subjects, 'registry', audit);
      return count > 0;
    });
  }

  grantsOfOwner(ownerAgencyCode: string): Promise<EventAccessGrant[]> {
    return this.prisma.eventAccessGrant.findMany({ where: { ownerAgencyCode }, orderBy: [{ eventName: 'asc' }, { version: 'asc' }, { clientId: 'asc' }] });
  }

  grantsOfClient(clientId: string): Promise<EventAccessGrant[]> {
    return this.prisma.eventAccessGrant.findMany({ where: { clientId }, orderBy: [{ ownerAgencyCode: 'asc' }, { eventName: 'asc' }, { version: 'asc' }] });
  }

  async grantedClients(): Promise<string[]> {
    const rows = await this.prisma.eventAccessGrant.findMany({ select: { clientId: true }, distinct: ['clientId'] });
    return rows.map((r) => r.clientId);
  }

  /** The clients that may receive version `version` of an event type: grants for it and for every version. */
  async recipients(ownerAgencyCode: string, eventName: string, version: number): Promise<string[]> {
    const rows = await this.prisma.eventAccessGrant.findMany({
      where: { ownerAgencyCode, eventName, version: { in: [0, version] } },
      select: { clientId: true },
      distinct: ['clientId'],
      orderBy: { clientId: 'asc' },
    });
    return rows.map((r) => r.clientId);
  }

  recordRejection(fields: RejectionFields): Promise<EventRejection> {
    return this.prisma.eventRejection.create({ data: fields });
  }

  /** An agency's refused events, or every agency's when `agencyCode` is null (the operators' view), newest first. */
  rejections(agencyCode: string | null, limit: number): Promise<EventRejection[]> {
    return this.prisma.eventRejection.findMany({ where: agencyCode ? { agencyCode } : {}, orderBy: [{ receivedAt: 'desc' }, { id: 'asc' }], take: limit });
  }

  /**
   * How many grants let clients receive version `version` of a type (grants of that
   * version and of every version). `ownerAgencyCode` null: over every agency (a
   * platform type, which each agency grants for itself).
   */
  countGrants(ownerAgencyCode: string | null, eventName: string, version: number): Promise<number> {
    return this.prisma.eventAccessGrant.count({ where: { ...(ownerAgencyCode ? { ownerAgencyCode } : {}), eventName, version: { in: [0, version] } } });
  }

  /** Every grant, by client: what the operators' subscriber list is made of. */
  allGrants(): Promise<EventAccessGrant[]> {
    return this.prisma.eventAccessGrant.findMany({ orderBy: [{ clientId: 'asc' }, { ownerAgencyCode: 'asc' }, { eventName: 'asc' }, { version: 'asc' }] });
  }
}
