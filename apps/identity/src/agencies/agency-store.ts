import { writeOutboxEvent, type OutgoingEvent } from '@simpul/bus';
import type { AgencyKind } from '@simpul/contracts';
import { isUniqueViolation, type Agency, type PrismaClient } from '../db.ts';

export interface NewAgency {
  code: string;
  name: string;
  kind: AgencyKind;
  parentCode: string | null;
}

export interface AgencyChanges {
  name?: string;
  kind?: AgencyKind;
  parentCode?: string | null;
}

export type CreateAgencyResult = { ok: true; agency: Agency } | { ok: false; error: 'code-taken' };

/** Agencies in identity's database; every change is written with its event. */
export class AgencyStore {
  constructor(private readonly prisma: PrismaClient) {}

  findByCode(code: string): Promise<Agency | null> {
    return this.prisma.agency.findUnique({ where: { code } });
  }

  findByCodes(codes: readonly string[]): Promise<Agency[]> {
    return this.prisma.agency.findMany({ where: { code: { in: [...codes] } } });
  }

  list(kind?: AgencyKind): Promise<Agency[]> {
    return this.prisma.agency.findMany({ where: kind ? { kind } : {}, orderBy: { code: 'asc' } });
  }

  childrenOf(parentCodes: readonly string[]): Promise<Agency[]> {
    return this.prisma.agency.findMany({ where: { parentCode: { in: [...parentCodes] } }, orderBy: { code: 'asc' } });
  }

  async countChildren(code: string): Promise<number> {
    return this.prisma.agency.count({ where: { parentCode: code } });
  }

  async create(agency: NewAgency, event: OutgoingEvent): Promise<CreateAgencyResult> {
    try {
      const created = await this.prisma.$transaction(async (tx) => {
        const row = await tx.agency.create({ data: agency });
        await writeOutboxEvent(tx, event);
        return row;
      });
      return { ok: true, agency: created };
    } catch (error) {
      if (isUniqueViolation(error)) return { ok: false, error: 'code-taken' };
      throw error;
    }
  }

  /** Applies `changes`; `eventFor` builds the event from the row as committed. */
  async update(code: string, changes: AgencyChanges, eventFor: (agency: Agency) => OutgoingEvent): Promise<Agency> {
    return this.prisma.$transaction(async (tx) => {
      const row = await tx.agency.update({ where: { code }, data: changes });
      await writeOutboxEvent(tx, eventFor(row));
      return row;
    });
  }
}
