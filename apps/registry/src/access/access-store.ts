import { recordAudit } from '@simpul/bus';
import type { AuditEntryData, Subjects } from '@simpul/contracts';
import type { AccessRight, ExposedService, PrismaClient } from '../db.ts';

export type ServiceWithOwner = ExposedService & { application: { ownerAgencyCode: string } };

/** Access rights between systems: which client subsystem may call which exposed service. */
export class AccessStore {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly subjects: Subjects,
  ) {}

  findService(identifier: string): Promise<ServiceWithOwner | null> {
    return this.prisma.exposedService.findUnique({ where: { identifier }, include: { application: { select: { ownerAgencyCode: true } } } });
  }

  /** Grants (idempotently) with its audit entry in the same transaction. */
  async grant(
    serviceId: string,
    clientSubsystem: string,
    grantedBy: string,
    audit: Omit<AuditEntryData, 'detail'> & { detail?: AuditEntryData['detail'] },
  ): Promise<AccessRight> {
    return this.prisma.$transaction(async (tx) => {
      const row = await tx.accessRight.upsert({
        where: { serviceId_clientSubsystem: { serviceId, clientSubsystem } },
        create: { serviceId, clientSubsystem, grantedBy },
        update: {},
      });
      await recordAudit(tx, this.subjects, 'registry', audit);
      return row;
    });
  }

  async revoke(serviceId: string, clientSubsystem: string, audit: Omit<AuditEntryData, 'detail'> & { detail?: AuditEntryData['detail'] }): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const { count } = await tx.accessRight.deleteMany({ where: { serviceId, clientSubsystem } });
      if (count > 0) await recordAudit(tx, this.subjects, 'registry', audit);
      return count > 0;
    });
  }

  servicesCallableBy(clientSubsystem: string): Promise<ExposedService[]> {
    return this.prisma.exposedService.findMany({ where: { accessRights: { some: { clientSubsystem } } }, orderBy: { identifier: 'asc' } });
  }

  rightsOf(serviceIds: readonly string[]): Promise<AccessRight[]> {
    return this.prisma.accessRight.findMany({ where: { serviceId: { in: [...serviceIds] } }, orderBy: { clientSubsystem: 'asc' } });
  }
}
