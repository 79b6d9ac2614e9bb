import { createHash } from 'node:crypto';
import type { Prisma, PrismaClient } from '../db.ts';
import type { ReceivedSpan } from '../otlp/received-span.ts';
import { scrubSpan } from './scrub.ts';

export interface KeepPolicy {
  /** Share (0-1) of ordinary traces kept. */
  sampleRate: number;
  /** A trace at least this long is kept. */
  slowMs: number;
  /** A trace is decided once no span of it arrived for this long. */
  settleMs: number;
}

export interface DecisionSummary {
  kept: number;
  dropped: number;
}

/**
 * Spans in, traces out: received spans wait undecided; once a trace has been quiet for
 * `settleMs`, it is kept when it has an error, is slow, or falls in the sample (by a hash
 * of its id, so every instance of this service decides alike), and dropped otherwise.
 * The decision runs in the database, so several instances share it safely.
 */
export class SpanStore {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly policy: KeepPolicy,
  ) {}

  /** Stores scrubbed spans; a span sent twice (an exporter's retry) is stored once. */
  async add(spans: ReceivedSpan[]): Promise<number> {
    if (spans.length === 0) return 0;
    const rows = spans.map(scrubSpan).map((s) => {
      const attributes = s.attributes;
      const events = s.events;
      return {
        traceId: s.traceId,
        spanId: s.spanId,
        parentSpanId: s.parentSpanId,
        service: s.service.slice(0, 200),
        name: s.name,
        kind: s.kind,
        startNs: s.startNs,
        endNs: s.endNs,
        durationMs: Number(s.endNs - s.startNs) / 1e6,
        status: s.status,
        statusMessage: s.statusMessage,
        attributes: attributes as unknown as Prisma.InputJsonValue,
        events: events as unknown as Prisma.InputJsonValue,
        bytes: 120 + s.name.length + (s.statusMessage?.length ?? 0) + JSON.stringify(attributes).length + JSON.stringify(events).length,
      };
    });
    const { count } = await this.prisma.span.createMany({ data: rows, skipDuplicates: true });
    return count;
  }

  /**
   * Decides every trace with undecided spans, the last of which arrived more than
   * settleMs ago: a kept trace gets its TraceRecord, a dropped one loses its spans.
   * Spans arriving for an already kept trace join it (the record is refreshed). Only
   * undecided spans are read (a partial index), so the cost follows the traffic, not
   * the size of the store.
   */
  async decide(now = new Date()): Promise<DecisionSummary> {
    const settledBefore = new Date(now.getTime() - this.policy.settleMs);
    // The sample is a hash of the trace id below the rate: the same answer on every instance.
    const threshold = Math.floor(this.policy.sampleRate * 0xffffffff);
    const summaries = await this.prisma.$queryRaw<{ id: string; keep: string | null }[]>`
      WITH settled AS (
        SELECT trace_id FROM span WHERE NOT decided
        GROUP BY trace_id
        HAVING max(received_at) < ${settledBefore}
        LIMIT 2000
      ),
      summary AS (
        SELECT s.trace_id AS id,
               min(s.start_ns) AS start_ns,
               (max(s.end_ns) - min(s.start_ns)) / 1e6 AS duration_ms,
               count(*)::int AS span_count,
               count(*) FILTER (WHERE s.status = 2)::int AS error_count,
               array_agg(DISTINCT s.service) AS services,
               sum(s.bytes)::int AS bytes
        FROM span s JOIN settled USING (trace_id)
        GROUP BY s.trace_id
      )
      SELECT id,
             CASE WHEN EXISTS (SELECT 1 FROM trace t WHERE t.id = summary.id) THEN (SELECT kept_because FROM trace t WHERE t.id = summary.id)
                  WHEN error_count > 0 THEN 'ERROR'
                  WHEN duration_ms >= ${this.policy.slowMs} THEN 'SLOW'
                  WHEN ('x' || substr(id, 1, 8))::bit(32)::bigint < ${threshold} THEN 'SAMPLED'
                  ELSE NULL END AS keep
      FROM summary`;
    const kept = summaries.filter((s) => s.keep).map((s) => s.id);
    const dropped = summaries.filter((s) => !s.keep).map((s) => s.id);
    if (dropped.length) await this.prisma.$executeRaw`DELETE FROM span WHERE trace_id = ANY(${dropped}::char(32)[])`;
    if (kept.length) {
      const reasons = summaries.filter((s) => s.keep).map((s) => s.keep!);
      await this.prisma.$executeRaw`
        INSERT INTO trace (id, started_at, duration_ms, root_service, root_name, status, span_count, error_count, services, kept_because, bytes, decided_at)
        SELECT s.trace_id,
               to_timestamp(min(s.start_ns) / 1e9),
               (max(s.end_ns) - min(s.start_ns)) / 1e6,
               (array_agg(s.service ORDER BY (s.parent_span_id IS NOT NULL), s.start_ns))[1],
               (array_agg(s.name ORDER BY (s.parent_span_id IS NOT NULL), s.start_ns))[1],
               max(s.status),
               count(*)::int,
               count(*) FILTER (WHERE s.status = 2)::int,
               array_agg(DISTINCT s.service),
               r.reason,
               sum(s.bytes)::int,
               now()
        FROM span s JOIN unnest(${kept}::text[], ${reasons}::text[]) AS r(id, reason) ON r.id = s.trace_id
        GROUP BY s.trace_id, r.reason
        ON CONFLICT (id) DO UPDATE SET
          started_at = EXCLUDED.started_at, duration_ms = EXCLUDED.duration_ms, root_service = EXCLUDED.root_service,
          root_name = EXCLUDED.root_name, status = EXCLUDED.status, span_count = EXCLUDED.span_count,
          error_count = EXCLUDED.error_count, services = EXCLUDED.services, bytes = EXCLUDED.bytes, decided_at = now()`;
      await this.prisma.$executeRaw`UPDATE span SET decided = true WHERE NOT decided AND trace_id = ANY(${kept}::char(32)[])`;
    }
    return { kept: kept.length, dropped: dropped.length };
  }
}

/** A stable, anonymous hash of an operation's document (the exchange record's operationHash). */
export function documentHash(document: string): string {
  return createHash('sha256').update(document).digest('hex');
}
