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

/**
 * A Prisma client over kit's pg pool (bounded waits and statement timeout). Each service
 * passes its own generated client's constructor, so this one function serves them all.
 */
export function openPrismaDatabase<P extends { $disconnect(): Promise<void> }>(
  url: string,
  createClient: (adapter: PrismaPg) => P,
  options: OpenDatabaseOptions = {},
): Database<P> {
  const pool = createPool(url, {
    ...(options.poolSize !== undefined ? { max: options.poolSize } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
  const prisma = createClient(new PrismaPg(pool));
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
