import type { AgencyCreated, EventData } from '@simpul/contracts';
import type { PrismaClient, Transaction } from '../db.ts';

/**
 * The agencies identity has announced. The registry does not own agencies; it keeps
 * their codes so that Application.owner is an Agency only when identity can complete it
 * (the national aplikasi umum may belong to agencies identity does not hold yet).
 */
export class AgencyStore {
  constructor(private readonly prisma: PrismaClient) {}

  async apply(tx: Transaction, agency: EventData<typeof AgencyCreated>): Promise<void> {
    const data = { name: agency.name, kind: agency.kind, parentCode: agency.parentCode };
    await tx.knownAgency.upsert({ where: { code: agency.code }, create: { code: agency.code, ...data }, update: data });
  }

  async known(codes: readonly string[]): Promise<Set<string>> {
    const rows = await this.prisma.knownAgency.findMany({ where: { code: { in: [...codes] } }, select: { code: true } });
    return new Set(rows.map((r) => r.code));
  }
}
