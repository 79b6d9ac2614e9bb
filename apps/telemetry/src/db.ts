import { openPrismaDatabase, serviceDatabaseUrl, type Database as KitDatabase, type OpenDatabaseOptions } from '@simpul/kit';
import { Prisma, PrismaClient } from './generated/prisma/client.ts';
import type { TelemetryEnvironment } from './environment.ts';

export { Prisma, PrismaClient };
export type { Exchange, Span, TraceRecord } from './generated/prisma/client.ts';

/** Telemetry's own database on the configured server (`<SIMPUL_NAMESPACE>_telemetry`, `simpul_telemetry` by default, unless the URL names one). */
export function databaseUrl(env: Pick<TelemetryEnvironment, 'DATABASE_URL' | 'SIMPUL_NAMESPACE'>): string {
  return serviceDatabaseUrl(env.DATABASE_URL, 'telemetry', env.SIMPUL_NAMESPACE);
}

export type Database = KitDatabase<PrismaClient>;

/** A Prisma client of this service over kit's pg pool. */
export function openDatabase(url: string, options: OpenDatabaseOptions = {}): Database {
  return openPrismaDatabase(url, (adapter, transactionOptions) => new PrismaClient({ adapter, transactionOptions }), options);
}
