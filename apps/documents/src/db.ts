import { PrismaPg } from '@prisma/adapter-pg';
import { createPool, serviceDatabaseUrl } from '@simpul/kit';
import { Prisma, PrismaClient } from './generated/prisma/client.ts';
import type { DocumentsEnvironment } from './environment.ts';

export { Prisma, PrismaClient };
export type { Attachment, ClassificationCode, Disposition, Document, DocumentAuditEntry, Employee, Recipient, ReviewStep } from './generated/prisma/client.ts';
export type { DocumentStatus, DispositionStatus, SecurityClass, Urgency, RecipientKind, FinalDisposition } from './generated/prisma/enums.ts';
export type Transaction = Prisma.TransactionClient;

/** The documents service's own database on the configured server (`simpul_documents` unless the URL names one). */
export function databaseUrl(env: Pick<DocumentsEnvironment, 'DATABASE_URL'>): string {
  return serviceDatabaseUrl(env.DATABASE_URL, 'documents');
}

export interface Database {
  prisma: PrismaClient;
  close(): Promise<void>;
}

/** A Prisma client over kit's pg pool (bounded waits and statement timeout). */
export function openDatabase(url: string, options: { poolSize?: number; timeoutMs?: number } = {}): Database {
  const pool = createPool(url, {
    ...(options.poolSize !== undefined ? { max: options.poolSize } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    prisma,
    async close() {
      await prisma.$disconnect();
      // The adapter leaves a pool it was given open; it is ours to end.
      await pool.end();
    },
  };
}

/** A unique constraint refused the write (a code or name that is taken). */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'P2002';
}
