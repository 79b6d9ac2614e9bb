import type { PrismaClient, Transaction } from '../db.ts';
import { DEFAULT_NUMBER_FORMAT } from './number-format.ts';

/**
 * The next number of an agency's year. The counter row is incremented with
 * INSERT ... ON CONFLICT DO UPDATE inside the signing transaction, which locks it until
 * that transaction ends: concurrent signings of one agency queue on it, a rolled-back
 * signing gives its number back (no gaps), and a committed one is never reused.
 */
export async function nextSequence(tx: Transaction, agencyCode: string, year: number): Promise<number> {
  const rows = await tx.$queryRaw<{ lastSeq: number }[]>`
    INSERT INTO "NumberCounter" ("agencyCode", "year", "lastSeq") VALUES (${agencyCode}, ${year}, 1)
    ON CONFLICT ("agencyCode", "year") DO UPDATE SET "lastSeq" = "NumberCounter"."lastSeq" + 1
    RETURNING "lastSeq"`;
  return Number(rows[0]?.lastSeq);
}

export class NumberingStore {
  constructor(private readonly prisma: PrismaClient) {}

  async format(agencyCode: string, db: Transaction | PrismaClient = this.prisma): Promise<string> {
    const row = await db.agencyNumbering.findUnique({ where: { agencyCode } });
    return row?.format ?? DEFAULT_NUMBER_FORMAT;
  }

  async setFormat(agencyCode: string, format: string): Promise<void> {
    await this.prisma.agencyNumbering.upsert({ where: { agencyCode }, create: { agencyCode, format }, update: { format } });
  }
}
