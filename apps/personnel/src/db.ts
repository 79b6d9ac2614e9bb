import { openPrismaDatabase, serviceDatabaseUrl, type Database as KitDatabase, type OpenDatabaseOptions } from '@simpul/kit';
import { Prisma, PrismaClient } from './generated/prisma/client.ts';
import type { PersonnelEnvironment } from './environment.ts';

export { Prisma, PrismaClient };
export { isUniqueViolation } from '@simpul/kit';
export type { CareerEvent, Employee, TransferRequest } from './generated/prisma/client.ts';
export type Transaction = Prisma.TransactionClient;

/** Personnel's own database on the configured server (`<SIMPUL_NAMESPACE>_personnel`, `simpul_personnel` by default, unless the URL names one). */
export function databaseUrl(env: Pick<PersonnelEnvironment, 'DATABASE_URL' | 'SIMPUL_NAMESPACE'>): string {
  return serviceDatabaseUrl(env.DATABASE_URL, 'personnel', env.SIMPUL_NAMESPACE);
}

export type Database = KitDatabase<PrismaClient>;

/** A Prisma client of this service over kit's pg pool. */
export function openDatabase(url: string, options: OpenDatabaseOptions = {}): Database {
  return openPrismaDatabase(url, (adapter, transactionOptions) => new PrismaClient({ adapter, transactionOptions }), options);
}
