import { MINUTE_MS, timeWindow } from '../../store/time-window.ts';
import { storeSize } from '../../store/retention.ts';
import { platformState } from '../../platform/platform-state.ts';
import { buildServiceMap } from '../../platform/service-map.ts';
import type { ExchangeFilter, MetricDimension } from '../../exchanges/exchange-queries.ts';
import type { TraceFilter } from '../../store/trace-queries.ts';
import type { TelemetryContext } from '../context.ts';

type Args = Record<string, unknown>;

/** Root query fields; the caller's role is checked for each of them in index.ts. */
export const queryResolvers = {
  trace: (_: unknown, { id }: { id: string }, ctx: TelemetryContext) => ctx.traces.get(id),
  traces: (_: unknown, a: { filter?: TraceFilter; first?: number; after?: string }, ctx: TelemetryContext) =>
    ctx.traces.search(a.filter ?? {}, a.first, a.after),
  exchanges: (_: unknown, a: { filter?: ExchangeFilter; first?: number; after?: string }, ctx: TelemetryContext) =>
    ctx.exchanges.list(a.filter ?? {}, a.first, a.after),
  exchange: (_: unknown, { id }: { id: string }, ctx: TelemetryContext) => ctx.exchanges.get(id),
  metrics: (_: unknown, a: { dimension: MetricDimension; key?: string; from?: string; to?: string; limit?: number }, ctx: TelemetryContext) =>
    ctx.exchanges.metrics(a.dimension, a),
  instances: (_: unknown, _a: Args, ctx: TelemetryContext) => ctx.instances.discover(),
  platformState: async (_: unknown, _a: Args, ctx: TelemetryContext) => {
    const [instances, events] = await Promise.all([ctx.instances.discover(), ctx.events.snapshot()]);
    const state = await platformState(ctx.nc, ctx.prisma, ctx.database, instances);
    if (state.nats.jetstream) state.nats.jetstream.messages = events.streams.reduce((sum, s) => sum + s.messages, 0);
    return state;
  },
  serviceMap: async (_: unknown, a: { from?: string; to?: string }, ctx: TelemetryContext) => {
    const { from, to } = timeWindow(a.from, a.to, 15 * MINUTE_MS);
    return buildServiceMap(ctx.exchanges, ctx.events, await ctx.deadLetters.list(null, 500), from, to);
  },
  eventsState: async (_: unknown, _a: Args, ctx: TelemetryContext) => {
    const [snapshot] = await Promise.all([ctx.events.snapshot(), ctx.instances.discover()]);
    const deadLetters = snapshot.streams.find((s) => s.name.endsWith('_DEAD_LETTERS'))?.messages ?? 0;
    return {
      at: snapshot.at.toISOString(),
      streams: snapshot.streams,
      consumers: snapshot.consumers,
      outboxes: ctx.instances.outboxes(),
      deadLetterCount: deadLetters,
    };
  },
  deadLetters: (_: unknown, a: { consumer?: string; first?: number }, ctx: TelemetryContext) => ctx.deadLetters.list(a.consumer, a.first),
  deadLetter: (_: unknown, { seq }: { seq: number }, ctx: TelemetryContext) => ctx.deadLetters.get(seq),
  agencyTraffic: (_: unknown, a: { from?: string; to?: string; agencyCode?: string }, ctx: TelemetryContext) => ctx.exchanges.agencyTraffic(a),
  telemetryStore: async (_: unknown, _a: Args, ctx: TelemetryContext) => ({
    ...(await storeSize(ctx.prisma)),
    retentionHours: ctx.settings.retentionHours,
    maxBytes: ctx.settings.maxBytes,
    sampleRate: ctx.settings.sampleRate,
    slowTraceMs: ctx.settings.slowTraceMs,
  }),
};
