import { PrismaPg } from '@prisma/adapter-pg';
import { createPool } from './database.ts';

/** A service's Prisma client and how to close it with its pool. */
export interface Database<P> {
  prisma: P;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  poolSize?: number;
  timeoutMs?: number;
}

/** How long an interactive transaction may wait for a connection and run (Prisma's own defaults are 2 s and 5 s). */
export interface TransactionOptions {
  maxWait: number;
  timeout: number;
}

/**
 * A Prisma client over kit's pg pool (bounded waits and statement timeout). Each service
 * passes its own generated client's constructor, so this one function serves them all.
 * Interactive transactions get the same bound as every other database wait (timeoutMs):
 * with Prisma's 2 s default, a queue of writers on one row (fifty signatures of one
 * agency) failed with "unable to start a transaction" on a loaded machine.
 */
export function openPrismaDatabase<P extends { $disconnect(): Promise<void> }>(
  url: string,
  createClient: (adapter: PrismaPg, transactionOptions: TransactionOptions) => P,
  options: OpenDatabaseOptions = {},
): Database<P> {
  const pool = createPool(url, {
    ...(options.poolSize !== undefined ? { max: options.poolSize } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
  const bound = options.timeoutMs ?? 5_000;
  const prisma = createClient(new PrismaPg(pool), { maxWait: bound, timeout: bound });
  return {
    prisma,
    async close() {
      await prisma.$disconnect();
      // The adapter leaves a pool it was given open; it is ours to end.
      await pool.end();
    },
  };
}

/** A unique constraint refused the write (a code, name or number that is taken). */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'P2002';
}
