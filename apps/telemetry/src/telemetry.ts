import type { NatsConnection } from '@simpul/bus';
import type { Subjects } from '@simpul/contracts';
import type { PrismaClient } from './db.ts';
import { DeadLetterManager } from './events/dead-letter-manager.ts';
import { EventsMonitor } from './events/events-state.ts';
import { ExchangeQueries } from './exchanges/exchange-queries.ts';
import { ExchangeStore } from './exchanges/exchange-store.ts';
import { LiveFeed } from './live/live-feed.ts';
import { InstanceDirectory } from './platform/instances.ts';
import { SpanStore, type KeepPolicy } from './store/span-store.ts';
import { TraceQueries } from './store/trace-queries.ts';

export interface TelemetryStores {
  spans: SpanStore;
  exchanges: ExchangeStore;
}

export interface TelemetryManagers {
  traces: TraceQueries;
  exchanges: ExchangeQueries;
  instances: InstanceDirectory;
  events: EventsMonitor;
  deadLetters: DeadLetterManager;
  live: LiveFeed;
  prisma: PrismaClient;
  nc: NatsConnection;
  /** The database name, for the platform state. */
  database: string;
  settings: { retentionHours: number; maxBytes: number; sampleRate: number; slowTraceMs: number };
}

export interface TelemetryPartsOptions {
  nc: NatsConnection;
  subjects: Subjects;
  database: string;
  policy: KeepPolicy;
  retention: { maxAgeMs: number; maxBytes: number };
  eventsWritten: () => void;
}

/** Wires the telemetry service's stores and managers (tests build them the same way). */
export function createTelemetryParts(prisma: PrismaClient, options: TelemetryPartsOptions): { stores: TelemetryStores; managers: TelemetryManagers } {
  const live = new LiveFeed(options.nc, options.subjects);
  const stores = { spans: new SpanStore(prisma, options.policy), exchanges: new ExchangeStore(prisma) };
  const managers: TelemetryManagers = {
    traces: new TraceQueries(prisma),
    exchanges: new ExchangeQueries(prisma),
    instances: new InstanceDirectory(options.nc, options.subjects),
    events: new EventsMonitor(options.nc, options.subjects),
    deadLetters: new DeadLetterManager(options.nc, options.subjects, prisma, options.eventsWritten, (seq, consumer, action) =>
      live.publish({ event: 'dead-letter', data: { seq, consumer, action, reason: null, at: new Date().toISOString() } }),
    ),
    live,
    prisma,
    nc: options.nc,
    database: options.database,
    settings: {
      retentionHours: options.retention.maxAgeMs / 3_600_000,
      maxBytes: options.retention.maxBytes,
      sampleRate: options.policy.sampleRate,
      slowTraceMs: options.policy.slowMs,
    },
  };
  return { stores, managers };
}
