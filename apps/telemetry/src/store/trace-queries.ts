import { badUserInput, decodeCursor, encodeCursor, pageSize, toConnection } from '@simpul/kit';
import { Prisma, type PrismaClient, type Span, type TraceRecord } from '../db.ts';
import { parseTime } from './time-window.ts';

export interface TraceFilter {
  service?: string | null;
  operation?: string | null;
  agencyCode?: string | null;
  userId?: string | null;
  status?: 'UNSET' | 'OK' | 'ERROR' | null;
  minDurationMs?: number | null;
  from?: string | null;
  to?: string | null;
}

/** A kept trace with what its gateway exchange record says (operation, caller). */
export interface TraceRow extends TraceRecord {
  operationName: string | null;
  agencyCode: string | null;
  userId: string | null;
}

const STATUS = { UNSET: 0, OK: 1, ERROR: 2 } as const;

/** Trace search and one trace's spans, over kept traces only. */
export class TraceQueries {
  constructor(private readonly prisma: PrismaClient) {}

  async search(filter: TraceFilter = {}, first?: number | null, after?: string | null) {
    const take = pageSize(first);
    const conditions: Prisma.Sql[] = [];
    if (filter.service) conditions.push(Prisma.sql`${filter.service} = ANY(t.services)`);
    if (filter.operation) conditions.push(Prisma.sql`(e.operation_name = ${filter.operation} OR t.root_name = ${filter.operation})`);
    if (filter.agencyCode) conditions.push(Prisma.sql`e.agency_code = ${filter.agencyCode}`);
    if (filter.userId) conditions.push(Prisma.sql`e.user_id = ${filter.userId}`);
    if (filter.status) conditions.push(Prisma.sql`t.status = ${STATUS[filter.status]}`);
    if (filter.minDurationMs !== null && filter.minDurationMs !== undefined) {
      if (filter.minDurationMs < 0) throw badUserInput('minDurationMs: must not be negative', { field: 'minDurationMs' });
      conditions.push(Prisma.sql`t.duration_ms >= ${filter.minDurationMs}`);
    }
    if (filter.from) conditions.push(Prisma.sql`t.started_at >= ${parseTime(filter.from, 'from')}`);
    if (filter.to) conditions.push(Prisma.sql`t.started_at <= ${parseTime(filter.to, 'to')}`);
    const where = conditions.length ? Prisma.sql`WHERE ${Prisma.join(conditions, ' AND ')}` : Prisma.empty;
    const cursor = decodeCursor('trace', after);
    const page: Prisma.Sql[] = [...conditions];
    if (cursor) {
      const [at, id] = splitCursor(cursor);
      page.push(Prisma.sql`(t.started_at, t.id) < (${new Date(at)}, ${id})`);
    }
    const pageWhere = page.length ? Prisma.sql`WHERE ${Prisma.join(page, ' AND ')}` : Prisma.empty;
    const from = Prisma.sql`FROM trace t LEFT JOIN LATERAL (SELECT operation_name, agency_code, user_id FROM exchange x WHERE x.trace_id = t.id LIMIT 1) e ON true`;
    const [rows, [count]] = await Promise.all([
      this.prisma.$queryRaw<
        RawTrace[]
      >`SELECT t.*, e.operation_name, e.agency_code, e.user_id ${from} ${pageWhere} ORDER BY t.started_at DESC, t.id DESC LIMIT ${take + 1}`,
      this.prisma.$queryRaw<{ count: bigint }[]>`SELECT count(*) ${from} ${where}`,
    ]);
    return toConnection(rows.map(toTraceRow), take, Number(count?.count ?? 0), (t) => encodeCursor('trace', `${t.startedAt.toISOString()}|${t.id}`));
  }

  async get(id: string): Promise<TraceRow | null> {
    const rows = await this.prisma.$queryRaw<RawTrace[]>`
      SELECT t.*, e.operation_name, e.agency_code, e.user_id
      FROM trace t LEFT JOIN LATERAL (SELECT operation_name, agency_code, user_id FROM exchange x WHERE x.trace_id = t.id LIMIT 1) e ON true
      WHERE t.id = ${id.toLowerCase()}`;
    return rows[0] ? toTraceRow(rows[0]) : null;
  }

  /** Oldest first, parents before their children when they start at the same time. */
  async spans(traceId: string): Promise<Span[]> {
    const spans = await this.prisma.span.findMany({ where: { traceId }, orderBy: [{ startNs: 'asc' }, { endNs: 'desc' }] });
    return spans;
  }
}

interface RawTrace {
  id: string;
  started_at: Date;
  duration_ms: number;
  root_service: string;
  root_name: string;
  status: number;
  span_count: number;
  error_count: number;
  services: string[];
  kept_because: string;
  bytes: number;
  decided_at: Date;
  operation_name: string | null;
  agency_code: string | null;
  user_id: string | null;
}

function toTraceRow(r: RawTrace): TraceRow {
  return {
    id: r.id,
    startedAt: r.started_at,
    durationMs: r.duration_ms,
    rootService: r.root_service,
    rootName: r.root_name,
    status: r.status,
    spanCount: r.span_count,
    errorCount: r.error_count,
    services: r.services,
    keptBecause: r.kept_because,
    bytes: r.bytes,
    decidedAt: r.decided_at,
    operationName: r.operation_name,
    agencyCode: r.agency_code,
    userId: r.user_id,
  };
}

function splitCursor(cursor: string): [string, string] {
  const i = cursor.lastIndexOf('|');
  return [cursor.slice(0, i), cursor.slice(i + 1)];
}
