import { badUserInput, decodeCursor, encodeCursor, pageSize, toConnection } from '@simpul/kit';
import { Prisma, type Exchange, type PrismaClient } from '../db.ts';
import { HOUR_MS, MINUTE_MS, parseTime, timeWindow } from '../store/time-window.ts';

export interface ExchangeFilter {
  operationName?: string | null;
  service?: string | null;
  agencyCode?: string | null;
  userId?: string | null;
  apiClientId?: string | null;
  outcome?: string | null;
  errorCode?: string | null;
  minDurationMs?: number | null;
  from?: string | null;
  to?: string | null;
}

export type MetricDimension = 'OPERATION' | 'SERVICE' | 'AGENCY';

export interface MetricPoint {
  minute: Date;
  count: number;
  errors: number;
  rate: number;
  errorRate: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

export interface MetricSeries {
  dimension: MetricDimension;
  key: string;
  total: MetricPoint;
  points: MetricPoint[];
}

/** An exchange that did not end well counts as an error in rates and maps. */
const FAILED = Prisma.sql`outcome <> 'OK'`;

/** The key an exchange counts under in each dimension (SERVICE: once per service it called). */
const DIMENSION_KEY: Record<MetricDimension, Prisma.Sql> = {
  OPERATION: Prisma.sql`coalesce(operation_name, '(anonymous)')`,
  AGENCY: Prisma.sql`coalesce(agency_code, '(none)')`,
  SERVICE: Prisma.sql`unnest(CASE WHEN cardinality(services) > 0 THEN services ELSE ARRAY['(gateway only)'] END)`,
};

/**
 * Reads the gateway's exchange records: the list, RED metrics per minute (computed from
 * the records, so any window and dimension works without pre-aggregated tables; the
 * store's retention bounds the rows), and who calls what for the agency traffic view.
 */
export class ExchangeQueries {
  constructor(private readonly prisma: PrismaClient) {}

  async list(filter: ExchangeFilter = {}, first?: number | null, after?: string | null) {
    const take = pageSize(first);
    const conditions = exchangeConditions(filter);
    const cursor = decodeCursor('exchange', after);
    const page = [...conditions];
    if (cursor) {
      const i = cursor.lastIndexOf('|');
      page.push(Prisma.sql`(at, id) < (${new Date(cursor.slice(0, i))}, ${cursor.slice(i + 1)}::uuid)`);
    }
    const where = (c: Prisma.Sql[]) => (c.length ? Prisma.sql`WHERE ${Prisma.join(c, ' AND ')}` : Prisma.empty);
    const [rows, [count]] = await Promise.all([
      this.prisma.$queryRaw<RawExchange[]>`SELECT * FROM exchange ${where(page)} ORDER BY at DESC, id DESC LIMIT ${take + 1}`,
      this.prisma.$queryRaw<{ count: bigint }[]>`SELECT count(*) FROM exchange ${where(conditions)}`,
    ]);
    return toConnection(rows.map(toExchange), take, Number(count?.count ?? 0), (e) => encodeCursor('exchange', `${e.at.toISOString()}|${e.id}`));
  }

  get(id: string): Promise<Exchange | null> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return Promise.resolve(null);
    return this.prisma.exchange.findUnique({ where: { id } });
  }

  byTrace(traceId: string): Promise<Exchange | null> {
    return this.prisma.exchange.findFirst({ where: { traceId } });
  }

  async metrics(
    dimension: MetricDimension,
    options: { key?: string | null; from?: string | null; to?: string | null; limit?: number | null },
  ): Promise<MetricSeries[]> {
    const { from, to } = timeWindow(options.from, options.to, 15 * MINUTE_MS);
    const limit = options.limit ?? 20;
    if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw badUserInput('limit: must be between 1 and 200', { field: 'limit' });
    const key = DIMENSION_KEY[dimension];
    const keyFilter = options.key ? Prisma.sql`WHERE key = ${options.key}` : Prisma.empty;
    const base = Prisma.sql`SELECT ${key} AS key, date_trunc('minute', at) AS minute, duration_ms, (${FAILED}) AS failed FROM exchange WHERE at >= ${from} AND at <= ${to}`;
    const percentiles = Prisma.sql`count(*)::int AS count, count(*) FILTER (WHERE failed)::int AS errors,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms) AS p50,
      percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) AS p95,
      percentile_cont(0.99) WITHIN GROUP (ORDER BY duration_ms) AS p99`;
    const totals = await this.prisma.$queryRaw<RawPoint[]>`
      SELECT key, ${percentiles} FROM (${base}) b ${keyFilter} GROUP BY key ORDER BY count(*) DESC, key LIMIT ${limit}`;
    if (totals.length === 0) return [];
    const keys = totals.map((t) => t.key);
    const minutes = await this.prisma.$queryRaw<(RawPoint & { minute: Date })[]>`
      SELECT key, minute, ${percentiles} FROM (${base}) b WHERE key = ANY(${keys}::text[]) GROUP BY key, minute ORDER BY minute`;
    const windowSeconds = Math.max(1, (to.getTime() - from.getTime()) / 1000);
    return totals.map((t) => ({
      dimension,
      key: t.key,
      total: toPoint(t, from, windowSeconds),
      points: minutes.filter((m) => m.key === t.key).map((m) => toPoint(m, m.minute, 60)),
    }));
  }

  /** Per caller (an agency's users, or one API client), what they call and how it ends, busiest first. */
  async agencyTraffic(options: { from?: string | null; to?: string | null; agencyCode?: string | null }) {
    const { from, to } = timeWindow(options.from, options.to, 24 * HOUR_MS);
    const agency = options.agencyCode ? Prisma.sql`AND agency_code = ${options.agencyCode}` : Prisma.empty;
    const rows = await this.prisma.$queryRaw<RawTraffic[]>`
      SELECT agency_code, client_kind, api_client_id, operation_name,
             (SELECT array_agg(DISTINCT s) FROM exchange x2, unnest(x2.services) s
               WHERE x2.agency_code IS NOT DISTINCT FROM x.agency_code AND x2.client_kind = x.client_kind
                 AND x2.api_client_id IS NOT DISTINCT FROM x.api_client_id AND x2.operation_name IS NOT DISTINCT FROM x.operation_name
                 AND x2.at >= ${from} AND x2.at <= ${to}) AS services,
             count(*)::int AS count, count(*) FILTER (WHERE ${FAILED})::int AS errors, max(at) AS last_seen,
             percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) AS p95,
             (SELECT coalesce(json_agg(json_build_object('code', code, 'count', n) ORDER BY n DESC), '[]') FROM (
                SELECT code, count(*)::int AS n FROM exchange x3, unnest(x3.error_codes) code
                WHERE x3.agency_code IS NOT DISTINCT FROM x.agency_code AND x3.client_kind = x.client_kind
                  AND x3.api_client_id IS NOT DISTINCT FROM x.api_client_id AND x3.operation_name IS NOT DISTINCT FROM x.operation_name
                  AND x3.at >= ${from} AND x3.at <= ${to}
                GROUP BY code) c) AS error_codes
      FROM exchange x
      WHERE at >= ${from} AND at <= ${to} AND client_kind <> 'ANONYMOUS' ${agency}
      GROUP BY agency_code, client_kind, api_client_id, operation_name`;
    const callers = new Map<
      string,
      { agencyCode: string | null; clientKind: string; apiClientId: string | null; count: number; errors: number; lastSeen: Date; operations: unknown[] }
    >();
    for (const r of rows) {
      const id = `${r.agency_code}|${r.client_kind}|${r.api_client_id}`;
      let caller = callers.get(id);
      if (!caller) {
        caller = {
          agencyCode: r.agency_code,
          clientKind: r.client_kind,
          apiClientId: r.api_client_id,
          count: 0,
          errors: 0,
          lastSeen: r.last_seen,
          operations: [],
        };
        callers.set(id, caller);
      }
      caller.count += r.count;
      caller.errors += r.errors;
      if (r.last_seen > caller.lastSeen) caller.lastSeen = r.last_seen;
      caller.operations.push({
        operationName: r.operation_name,
        services: r.services ?? [],
        count: r.count,
        errors: r.errors,
        errorCodes: r.error_codes,
        p95Ms: r.p95,
      });
    }
    return [...callers.values()]
      .map((c) => ({ ...c, operations: (c.operations as { count: number }[]).sort((a, b) => b.count - a.count) }))
      .sort((a, b) => b.count - a.count);
  }

  /** Call edges for the service map: caller (agency system, API client or the gateway) to gateway, gateway to service. */
  async callEdges(from: Date, to: Date) {
    const callers = await this.prisma.$queryRaw<{ node: string; kind: string; count: number; errors: number }[]>`
      SELECT CASE WHEN client_kind = 'API_CLIENT' THEN 'client:' || coalesce(api_client_id, '?')
                  WHEN agency_code IS NOT NULL THEN 'agency:' || agency_code ELSE 'anonymous' END AS node,
             client_kind AS kind, count(*)::int AS count, count(*) FILTER (WHERE ${FAILED})::int AS errors
      FROM exchange WHERE at >= ${from} AND at <= ${to} GROUP BY 1, 2`;
    const services = await this.prisma.$queryRaw<{ service: string; count: number; errors: number }[]>`
      SELECT c->>'service' AS service, sum((c->>'requests')::int)::int AS count, sum((c->>'failed')::int)::int AS errors
      FROM exchange, jsonb_array_elements(service_calls) c WHERE at >= ${from} AND at <= ${to} GROUP BY 1`;
    return { callers, services };
  }
}

function exchangeConditions(f: ExchangeFilter): Prisma.Sql[] {
  const c: Prisma.Sql[] = [];
  if (f.operationName) c.push(Prisma.sql`operation_name = ${f.operationName}`);
  if (f.service) c.push(Prisma.sql`${f.service} = ANY(services)`);
  if (f.agencyCode) c.push(Prisma.sql`agency_code = ${f.agencyCode}`);
  if (f.userId) c.push(Prisma.sql`user_id = ${f.userId}`);
  if (f.apiClientId) c.push(Prisma.sql`api_client_id = ${f.apiClientId}`);
  if (f.outcome) c.push(Prisma.sql`outcome = ${f.outcome}`);
  if (f.errorCode) c.push(Prisma.sql`${f.errorCode} = ANY(error_codes)`);
  if (f.minDurationMs !== null && f.minDurationMs !== undefined) c.push(Prisma.sql`duration_ms >= ${f.minDurationMs}`);
  if (f.from) c.push(Prisma.sql`at >= ${parseTime(f.from, 'from')}`);
  if (f.to) c.push(Prisma.sql`at <= ${parseTime(f.to, 'to')}`);
  return c;
}

interface RawPoint {
  key: string;
  count: number;
  errors: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

interface RawTraffic {
  agency_code: string | null;
  client_kind: string;
  api_client_id: string | null;
  operation_name: string | null;
  services: string[] | null;
  count: number;
  errors: number;
  last_seen: Date;
  p95: number | null;
  error_codes: { code: string; count: number }[];
}

type RawExchange = Record<string, unknown>;

function toExchange(r: RawExchange): Exchange {
  return {
    id: r.id as string,
    at: r.at as Date,
    traceId: r.trace_id as string | null,
    gatewayInstance: r.gateway_instance as string,
    clientKind: r.client_kind as string,
    userId: r.user_id as string | null,
    agencyCode: r.agency_code as string | null,
    apiClientId: r.api_client_id as string | null,
    roles: r.roles as string[],
    operationName: r.operation_name as string | null,
    operationType: r.operation_type as string | null,
    operationHash: r.operation_hash as string,
    services: r.services as string[],
    serviceCalls: r.service_calls as Exchange['serviceCalls'],
    natsRequests: r.nats_requests as number,
    bytesIn: r.bytes_in as number,
    bytesOut: r.bytes_out as number,
    natsBytesOut: r.nats_bytes_out as number,
    natsBytesIn: r.nats_bytes_in as number,
    durationMs: r.duration_ms as number,
    outcome: r.outcome as string,
    errorCodes: r.error_codes as string[],
  };
}

function toPoint(r: RawPoint, minute: Date, seconds: number): MetricPoint {
  return {
    minute,
    count: r.count,
    errors: r.errors,
    rate: r.count / seconds,
    errorRate: r.count ? r.errors / r.count : 0,
    p50Ms: r.p50,
    p95Ms: r.p95,
    p99Ms: r.p99,
  };
}
