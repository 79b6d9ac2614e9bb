import { isUniqueViolation, type PrismaClient, type Unit } from '../db.ts';

export interface NewUnit {
  agencyCode: string;
  code: string;
  name: string;
  parentId: string | null;
}

export type CreateUnitResult = { ok: true; unit: Unit } | { ok: false; error: 'code-taken' };

/** Work units (unit organisasi) of agencies. */
export class UnitStore {
  constructor(private readonly prisma: PrismaClient) {}

  findByCode(agencyCode: string, code: string): Promise<Unit | null> {
    return this.prisma.unit.findUnique({ where: { agencyCode_code: { agencyCode, code } } });
  }

  findById(id: string): Promise<Unit | null> {
    return this.prisma.unit.findUnique({ where: { id } });
  }

  /** Every unit of the given agencies, ordered by code. */
  listByAgencies(agencyCodes: readonly string[]): Promise<Unit[]> {
    return this.prisma.unit.findMany({ where: { agencyCode: { in: [...agencyCodes] } }, orderBy: { code: 'asc' } });
  }

  async create(unit: NewUnit): Promise<CreateUnitResult> {
    try {
      return { ok: true, unit: await this.prisma.unit.create({ data: unit }) };
    } catch (error) {
      if (isUniqueViolation(error)) return { ok: false, error: 'code-taken' };
      throw error;
    }
  }
}
