import { badUserInput, decodeCursor, encodeCursor, pageSize, requirePrincipal, toConnection, type Connection, type Principal } from '@simpul/kit';
import type { ClassificationCode, Document, PrismaClient } from '../db.ts';
import { visibleTo } from '../visibility/visibility.ts';
import type { Actor } from '../employees/actor.ts';
import { CLASSIFICATION_CODES } from './classification-codes.ts';

export interface RetentionDueInput {
  agencyCode?: string | null;
  /** YYYY-MM-DD; today when omitted. */
  asOf?: string | null;
  first?: number | null;
  after?: string | null;
}

/** Classification codes and the retention schedule of archived documents. */
export class ArchiveManager {
  constructor(private readonly prisma: PrismaClient) {}

  /** The classification list is reference data: written at every start-up, changed only in code. */
  async ensureClassificationCodes(): Promise<void> {
    for (const { code, ...rule } of CLASSIFICATION_CODES) {
      await this.prisma.classificationCode.upsert({ where: { code }, create: { code, ...rule }, update: rule });
    }
  }

  classificationCodes(): Promise<ClassificationCode[]> {
    return this.prisma.classificationCode.findMany({ orderBy: { code: 'asc' } });
  }

  findCodes(codes: readonly string[]): Promise<ClassificationCode[]> {
    return this.prisma.classificationCode.findMany({ where: { code: { in: [...codes] } } });
  }

  async requireCode(code: string, field = 'classificationCode'): Promise<ClassificationCode> {
    const row = await this.prisma.classificationCode.findUnique({ where: { code } });
    if (!row) throw badUserInput(`${field}: unknown classification code "${code}"`, { field });
    return row;
  }

  /**
   * Archived documents whose retention has run out by `asOf`: to be destroyed, or
   * (permanent ones) transferred to ANRI. Oldest first. Only what the caller may see.
   */
  async retentionDue(principal: Principal | null, actor: Actor | null, input: RetentionDueInput): Promise<Connection<Document>> {
    requirePrincipal(principal);
    const take = pageSize(input.first);
    const asOf = input.asOf ? parseDate(input.asOf, 'asOf') : new Date();
    const after = decodeCursor('retention', input.after);
    const where = {
      AND: [visibleTo(actor), { status: 'ARCHIVED' as const, retentionEndsAt: { lte: asOf } }, ...(input.agencyCode ? [{ agencyCode: input.agencyCode }] : [])],
    };
    const [cursorAt, cursorId] = after ? after.split('|') : [];
    const page = cursorAt
      ? { AND: [where, { OR: [{ retentionEndsAt: { gt: new Date(cursorAt) } }, { retentionEndsAt: new Date(cursorAt), id: { gt: cursorId as string } }] }] }
      : where;
    const [rows, total] = await Promise.all([
      this.prisma.document.findMany({ where: page, orderBy: [{ retentionEndsAt: 'asc' }, { id: 'asc' }], take: take + 1 }),
      this.prisma.document.count({ where }),
    ]);
    return toConnection(rows, take, total, (d) => encodeCursor('retention', `${d.retentionEndsAt?.toISOString()}|${d.id}`));
  }
}

export function parseDate(value: string, field: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw badUserInput(`${field}: a date as YYYY-MM-DD`, { field });
  }
  return new Date(`${value}T00:00:00Z`);
}
