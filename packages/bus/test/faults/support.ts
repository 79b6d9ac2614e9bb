import { createPool } from '@simpul/kit';
import { createTestDatabase, type TestDatabase } from '@simpul/testing';
import type { RawSql } from '../../src/outbox-sql.ts';

/**
 * A service database as far as events go: the outbox and processed-event tables exactly
 * as every service's migration creates them, plus `Applied`, where a test consumer
 * writes one row per event it applies. `Applied` has no unique key on purpose: an event
 * applied twice shows up as two rows.
 */
type Pool = ReturnType<typeof createPool>;
interface Queryable {
  query(text: string, values?: unknown[]): Promise<{ rowCount: number | null; rows: unknown[] }>;
}

export interface EventDatabase {
  db: TestDatabase;
  pool: Pool;
  /** The pool as bus's raw-SQL surface. */
  raw: RawSql;
  /** Runs `work` in one transaction. */
  transaction<T>(work: (tx: RawSql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const SCHEMA = `
CREATE TABLE "OutboxEvent" (
  "id" UUID NOT NULL PRIMARY KEY,
  "seq" BIGSERIAL NOT NULL,
  "subject" TEXT NOT NULL,
  "type" TEXT NOT NULL,
  "payload" JSONB NOT NULL,
  "traceparent" TEXT,
  "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "publishedAt" TIMESTAMP(3)
);
CREATE INDEX "OutboxEvent_publishedAt_seq_idx" ON "OutboxEvent"("publishedAt", "seq");
CREATE TABLE "ProcessedEvent" (
  "id" UUID NOT NULL,
  "consumer" TEXT NOT NULL,
  "handledAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY ("consumer", "id")
);
CREATE TABLE "Applied" (
  "consumer" TEXT NOT NULL,
  "eventId" UUID NOT NULL,
  "aggregate" TEXT NOT NULL,
  "n" INT NOT NULL,
  "at" BIGSERIAL NOT NULL
);
`;

function rawOver(client: Queryable): RawSql {
  return {
    $executeRawUnsafe: async (query, ...values) => (await client.query(query, values)).rowCount ?? 0,
    $queryRawUnsafe: async <T>(query: string, ...values: unknown[]) => (await client.query(query, values)).rows as T,
  };
}

export async function createEventDatabase(): Promise<EventDatabase> {
  const db = await createTestDatabase('bus');
  const pool = createPool(db.url, { max: 6, timeoutMs: 30_000 });
  await pool.query(SCHEMA);
  return {
    db,
    pool,
    raw: rawOver(pool),
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(rawOver(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async close() {
      await pool.end();
      await db.drop();
    },
  };
}

/** Polls `check` until it returns true (generous bound; it is a wait, not a timed assertion). */
export async function eventually(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`gave up waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
