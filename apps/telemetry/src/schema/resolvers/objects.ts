import { isRole } from '@simpul/contracts';
import type { Exchange, Span } from '../../db.ts';
import type { TraceRow } from '../../store/trace-queries.ts';
import type { TelemetryContext } from '../context.ts';

const SPAN_KINDS = ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'];
const STATUSES = ['UNSET', 'OK', 'ERROR'];

function nanosToIso(nanos: bigint | string): string {
  return new Date(Number(BigInt(nanos) / 1_000_000n)).toISOString();
}

const traceFields = {
  startTime: (t: TraceRow) => t.startedAt.toISOString(),
  status: (t: TraceRow) => STATUSES[t.status] ?? 'UNSET',
};

/** Field resolvers of the object types; every way in goes through a root field that checked the caller's role. */
export const objectResolvers = {
  TraceSummary: {
    ...traceFields,
    trace: (t: TraceRow) => t,
  },
  Trace: {
    ...traceFields,
    spans: (t: TraceRow, _a: unknown, ctx: TelemetryContext) => ctx.traces.spans(t.id),
    exchange: (t: TraceRow, _a: unknown, ctx: TelemetryContext) => ctx.exchanges.byTrace(t.id),
  },
  Span: {
    kind: (s: Span) => SPAN_KINDS[s.kind] ?? 'UNSPECIFIED',
    status: (s: Span) => STATUSES[s.status] ?? 'UNSET',
    startTime: (s: Span) => nanosToIso(s.startNs),
    startTimeUnixNano: (s: Span) => s.startNs.toString(),
    events: (s: Span) =>
      (s.events as { name: string; timeUnixNano: string; attributes: unknown[] }[]).map((e) => ({
        name: e.name,
        time: nanosToIso(e.timeUnixNano || '0'),
        attributes: e.attributes,
      })),
  },
  Exchange: {
    at: (e: Exchange) => e.at.toISOString(),
    roles: (e: Exchange) => e.roles.filter(isRole),
    trace: (e: Exchange, _a: unknown, ctx: TelemetryContext) => (e.traceId ? ctx.traces.get(e.traceId) : null),
  },
  MetricPoint: {
    minute: (p: { minute: Date }) => p.minute.toISOString(),
  },
  Instance: {
    lastSeen: (i: { lastSeen: Date }) => i.lastSeen.toISOString(),
  },
  AgencyTraffic: {
    lastSeen: (t: { lastSeen: Date }) => t.lastSeen.toISOString(),
  },
  TelemetryStore: {
    oldest: (s: { oldest: Date | null }) => s.oldest?.toISOString() ?? null,
  },
};
