import { openPrismaDatabase, serviceDatabaseUrl, type Database as KitDatabase, type OpenDatabaseOptions } from '@simpul/kit';
import { Prisma, PrismaClient } from './generated/prisma/client.ts';
import type { IdentityEnvironment } from './environment.ts';

export { Prisma, PrismaClient };
export { isUniqueViolation } from '@simpul/kit';
export type { Agency, ApiClient, Unit, User } from './generated/prisma/client.ts';
export type Transaction = Prisma.TransactionClient;

/** Identity's own database on the configured server (`<SIMPUL_NAMESPACE>_identity`, `simpul_identity` by default, unless the URL names one). */
export function databaseUrl(env: Pick<IdentityEnvironment, 'DATABASE_URL' | 'SIMPUL_NAMESPACE'>): string {
  return serviceDatabaseUrl(env.DATABASE_URL, 'identity', env.SIMPUL_NAMESPACE);
}

export type Database = KitDatabase<PrismaClient>;

/** A Prisma client of this service over kit's pg pool. */
export function openDatabase(url: string, options: OpenDatabaseOptions = {}): Database {
  return openPrismaDatabase(url, (adapter, transactionOptions) => new PrismaClient({ adapter, transactionOptions }), options);
}
