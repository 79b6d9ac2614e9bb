import { openPrismaDatabase, serviceDatabaseUrl, type Database as KitDatabase, type OpenDatabaseOptions } from '@simpul/kit';
import { Prisma, PrismaClient } from './generated/prisma/client.ts';
import type { DocumentsEnvironment } from './environment.ts';

export { Prisma, PrismaClient };
export { isUniqueViolation } from '@simpul/kit';
export type { Attachment, ClassificationCode, Disposition, Document, DocumentAuditEntry, Employee, Recipient, ReviewStep } from './generated/prisma/client.ts';
export type { DocumentStatus, DispositionStatus, SecurityClass, Urgency, RecipientKind, FinalDisposition } from './generated/prisma/enums.ts';
export type Transaction = Prisma.TransactionClient;

/** The documents service's own database on the configured server (`<SIMPUL_NAMESPACE>_documents`, `simpul_documents` by default, unless the URL names one). */
export function databaseUrl(env: Pick<DocumentsEnvironment, 'DATABASE_URL' | 'SIMPUL_NAMESPACE'>): string {
  return serviceDatabaseUrl(env.DATABASE_URL, 'documents', env.SIMPUL_NAMESPACE);
}

export type Database = KitDatabase<PrismaClient>;

/** A Prisma client of this service over kit's pg pool. */
export function openDatabase(url: string, options: OpenDatabaseOptions = {}): Database {
  return openPrismaDatabase(url, (adapter, transactionOptions) => new PrismaClient({ adapter, transactionOptions }), options);
}
