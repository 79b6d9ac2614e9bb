import { writeOutboxEvent, type OutgoingEvent } from '@simpul/bus';
import { isUniqueViolation, type Prisma, type Application, type ExposedService, type PrismaClient, type Transaction } from '../db.ts';

export type ApplicationKind = 'UMUM' | 'KHUSUS';
export type ApplicationStatus = 'PLANNED' | 'IN_DEVELOPMENT' | 'IN_PRODUCTION' | 'RETIRED';
export type ApplicationHosting = 'NATIONAL_DATA_CENTRE' | 'AGENCY_OWN';

export interface ApplicationFields {
  ownerAgencyCode: string;
  name: string;
  description: string;
  functionCodes: string[];
  status: ApplicationStatus;
  annualCostRupiah: bigint;
  hosting: ApplicationHosting;
  userCount: number;
  dataHeld: string[];
  subsystem: string | null;
}

export interface ServiceFields {
  identifier: string;
  description: string;
}

export interface ApplicationFilter {
  agencyCode?: string;
  functionCode?: string;
  kind?: ApplicationKind;
  status?: ApplicationStatus;
  /** Case-insensitive words in the name or description. */
  search?: string;
}

/** The fields the duplicate analysis reads. */
export type CatalogueRow = Pick<
  Application,
  'id' | 'ownerAgencyCode' | 'name' | 'description' | 'functionCodes' | 'kind' | 'status' | 'annualCostRupiah' | 'userCount' | 'replacedById'
>;

export type WriteResult = { ok: true; application: Application } | { ok: false; error: 'taken'; target: string };

/** Sort key of the catalogue list: name, then id. */
export interface ListPosition {
  name: string;
  id: string;
}

/** Applications and the services they expose; every change is written with its event. */
export class ApplicationStore {
  constructor(private readonly prisma: PrismaClient) {}

  findById(id: string): Promise<Application | null> {
    return this.prisma.application.findUnique({ where: { id } });
  }

  findByIds(ids: readonly string[]): Promise<Application[]> {
    return this.prisma.application.findMany({ where: { id: { in: [...ids] } } });
  }

  listByAgencies(codes: readonly string[]): Promise<Application[]> {
    return this.prisma.application.findMany({ where: { ownerAgencyCode: { in: [...codes] } }, orderBy: [{ name: 'asc' }, { id: 'asc' }] });
  }

  servicesOf(applicationIds: readonly string[]): Promise<ExposedService[]> {
    return this.prisma.exposedService.findMany({ where: { applicationId: { in: [...applicationIds] } }, orderBy: { identifier: 'asc' } });
  }

  private where(filter: ApplicationFilter): Prisma.ApplicationWhereInput {
    const words = (filter.search ?? '').split(/\s+/).filter(Boolean);
    return {
      ...(filter.agencyCode ? { ownerAgencyCode: filter.agencyCode } : {}),
      ...(filter.functionCode ? { functionCodes: { has: filter.functionCode } } : {}),
      ...(filter.kind ? { kind: filter.kind } : {}),
      ...(filter.status ? { status: filter.status } : {}),
      ...(words.length
        ? {
            AND: words.map((w) => ({
              OR: [{ name: { contains: w, mode: 'insensitive' as const } }, { description: { contains: w, mode: 'insensitive' as const } }],
            })),
          }
        : {}),
    };
  }

  async page(filter: ApplicationFilter, take: number, after: ListPosition | undefined): Promise<{ rows: Application[]; totalCount: number }> {
    const where = this.where(filter);
    const rows = await this.prisma.application.findMany({
      where: after ? { AND: [where, { OR: [{ name: { gt: after.name } }, { name: after.name, id: { gt: after.id } }] }] } : where,
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
      take: take + 1,
    });
    return { rows, totalCount: await this.prisma.application.count({ where }) };
  }

  /** Every application the analysis should see (retired ones no longer cost anything). */
  catalogue(): Promise<CatalogueRow[]> {
    return this.prisma.application.findMany({
      where: { status: { not: 'RETIRED' } },
      select: {
        id: true,
        ownerAgencyCode: true,
        name: true,
        description: true,
        functionCodes: true,
        kind: true,
        status: true,
        annualCostRupiah: true,
        userCount: true,
        replacedById: true,
      },
      orderBy: { id: 'asc' },
    });
  }

  /** All applications, retired ones too (reports). */
  all(): Promise<Application[]> {
    return this.prisma.application.findMany({ orderBy: [{ ownerAgencyCode: 'asc' }, { name: 'asc' }] });
  }

  /** How many applications there are and when the latest changed: an analysis of the same stamp is current. */
  async stamp(): Promise<{ count: number; latest: Date }> {
    const result = await this.prisma.application.aggregate({ _count: { _all: true }, _max: { updatedAt: true } });
    return { count: result._count._all, latest: result._max.updatedAt ?? new Date(0) };
  }

  async create(fields: ApplicationFields, services: ServiceFields[], eventFor: (row: Application) => OutgoingEvent): Promise<WriteResult> {
    return this.write(async (tx) => {
      const row = await tx.application.create({ data: { ...fields, kind: 'KHUSUS' } });
      if (services.length) await tx.exposedService.createMany({ data: services.map((s) => ({ ...s, applicationId: row.id })) });
      await writeOutboxEvent(tx, eventFor(row));
      return row;
    });
  }

  /** Applies `changes`; `services`, when given, replaces the exposed services (access rights of kept identifiers stay). */
  async update(
    id: string,
    changes: Partial<ApplicationFields>,
    services: ServiceFields[] | undefined,
    eventFor: (row: Application) => OutgoingEvent,
  ): Promise<WriteResult> {
    return this.write(async (tx) => {
      const row = await tx.application.update({ where: { id }, data: changes });
      if (services) {
        const keep = services.map((s) => s.identifier);
        await tx.exposedService.deleteMany({ where: { applicationId: id, identifier: { notIn: keep } } });
        for (const s of services) {
          await tx.exposedService.upsert({
            where: { identifier: s.identifier },
            create: { ...s, applicationId: id },
            update: { description: s.description },
          });
        }
      }
      await writeOutboxEvent(tx, eventFor(row));
      return row;
    });
  }

  /** Marks an application as aplikasi umum, with its event and audit entry (`audit`) in the same transaction. */
  async designate(
    id: string,
    eventFor: (row: Application) => OutgoingEvent,
    audit: (tx: Transaction, row: Application) => Promise<void>,
  ): Promise<Application> {
    return this.prisma.$transaction(async (tx) => {
      const row = await tx.application.update({ where: { id }, data: { kind: 'UMUM', designatedAt: new Date() } });
      await writeOutboxEvent(tx, eventFor(row));
      await audit(tx, row);
      return row;
    });
  }

  private async write(work: (tx: Transaction) => Promise<Application>): Promise<WriteResult> {
    try {
      return { ok: true, application: await this.prisma.$transaction(work) };
    } catch (error) {
      if (isUniqueViolation(error)) {
        const target = String((error as { meta?: { target?: unknown } }).meta?.target ?? '');
        return { ok: false, error: 'taken', target };
      }
      throw error;
    }
  }
}
