import type { PrismaClient } from '../db.ts';
import { EXCHANGE_ROW_BYTES } from '../exchanges/exchange-store.ts';

export interface RetentionPolicy {
  /** Kept traces and exchange records older than this are deleted. */
  maxAgeMs: number;
  /** The store's bound: kept traces (their spans' stored size) plus exchange records. */
  maxBytes: number;
}

export interface RetentionSummary {
  tracesDeleted: number;
  exchangesDeleted: number;
}

/**
 * Bounds the store by age and by size. Age first: traces and records past maxAgeMs go,
 * as do spans received that long ago whatever their trace. Then size: while kept traces
 * and exchange records together exceed maxBytes, the oldest go first (traces and records
 * alike, by time), so a burst of traffic never fills the disk.
 */
export async function applyRetention(prisma: PrismaClient, policy: RetentionPolicy, now = new Date()): Promise<RetentionSummary> {
  const cutoff = new Date(now.getTime() - policy.maxAgeMs);
  let tracesDeleted = await deleteTraces(prisma, await prisma.$queryRaw<{ id: string }[]>`SELECT id FROM trace WHERE started_at < ${cutoff}`);
  await prisma.$executeRaw`DELETE FROM span WHERE received_at < ${cutoff}`;
  let exchangesDeleted = await prisma.$executeRaw`DELETE FROM exchange WHERE at < ${cutoff}`;

  // The newest items whose running total stays under the bound are kept; the rest go.
  const over = await prisma.$queryRaw<{ kind: string; id: string }[]>`
    WITH items AS (
      SELECT 'trace' AS kind, id::text AS id, started_at AS at, bytes::bigint AS bytes FROM trace
      UNION ALL
      SELECT 'exchange', id::text, at, ${EXCHANGE_ROW_BYTES}::bigint FROM exchange
    ),
    running AS (SELECT kind, id, sum(bytes) OVER (ORDER BY at DESC, id) AS total FROM items)
    SELECT kind, id FROM running WHERE total > ${policy.maxBytes}`;
  if (over.length) {
    tracesDeleted += await deleteTraces(
      prisma,
      over.filter((o) => o.kind === 'trace'),
    );
    const exchanges = over.filter((o) => o.kind === 'exchange').map((o) => o.id);
    if (exchanges.length) exchangesDeleted += await prisma.$executeRaw`DELETE FROM exchange WHERE id = ANY(${exchanges}::uuid[])`;
  }
  return { tracesDeleted, exchangesDeleted };
}

async function deleteTraces(prisma: PrismaClient, traces: { id: string }[]): Promise<number> {
  if (traces.length === 0) return 0;
  const ids = traces.map((t) => t.id);
  await prisma.$executeRaw`DELETE FROM span WHERE trace_id = ANY(${ids}::char(32)[])`;
  return prisma.$executeRaw`DELETE FROM trace WHERE id = ANY(${ids}::char(32)[])`;
}

/** What the store holds, for TelemetryStore in the graph. */
export async function storeSize(prisma: PrismaClient) {
  const [row] = await prisma.$queryRaw<{ spans: bigint; traces: bigint; exchanges: bigint; bytes: bigint | null; oldest: Date | null }[]>`
    SELECT (SELECT count(*) FROM span) AS spans,
           (SELECT count(*) FROM trace) AS traces,
           (SELECT count(*) FROM exchange) AS exchanges,
           (SELECT coalesce(sum(bytes), 0) FROM trace) + (SELECT count(*) * ${EXCHANGE_ROW_BYTES} FROM exchange) AS bytes,
           least((SELECT min(started_at) FROM trace), (SELECT min(at) FROM exchange)) AS oldest`;
  return {
    spans: Number(row?.spans ?? 0),
    traces: Number(row?.traces ?? 0),
    exchanges: Number(row?.exchanges ?? 0),
    bytes: Number(row?.bytes ?? 0),
    oldest: row?.oldest ?? null,
  };
}
