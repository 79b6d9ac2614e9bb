import type { DeadLetter, EventsState, Instance, MetricSeries, PlatformState, Span, Trace } from '../src/api/telemetry-types.ts';

/** Fixtures shaped like the telemetry service's graph (apps/telemetry/src/schema/type-defs.ts). */
const T0 = BigInt(Date.UTC(2026, 11, 3, 14, 0, 0)) * 1_000_000n;

export function span(
  spanId: string,
  parentSpanId: string | null,
  service: string,
  name: string,
  startMs: number,
  durationMs: number,
  extra: Partial<Span> = {},
): Span {
  const nanos = T0 + BigInt(Math.round(startMs * 1_000_000));
  return {
    spanId,
    parentSpanId,
    service,
    name,
    kind: 'INTERNAL',
    startTime: new Date(Number(nanos / 1_000_000n)).toISOString(),
    startTimeUnixNano: nanos.toString(),
    durationMs,
    status: 'UNSET',
    statusMessage: null,
    attributes: [],
    events: [],
    ...extra,
  };
}

/** An appointment as it crosses the platform: gateway → personnel (+ Prisma) → outbox → identity's consumer. */
export function appointmentTrace(): Trace {
  const spans = [
    span('a1', null, 'gateway', 'HTTP POST /graphql', 0, 48, { kind: 'SERVER', attributes: [{ key: 'http.request.method', value: 'POST' }] }),
    span('a2', 'a1', 'gateway', 'mutation AppointEmployee', 1, 45, { attributes: [{ key: 'graphql.operation.name', value: 'AppointEmployee' }] }),
    span('a3', 'a2', 'gateway', 'NATS request simpul.personnel.graphql', 2, 40, { kind: 'CLIENT', attributes: [{ key: 'messaging.system', value: 'nats' }] }),
    span('b1', 'a3', 'personnel', 'graphql mutation AppointEmployee', 4, 35, { kind: 'SERVER' }),
    span('b2', 'b1', 'personnel', 'prisma:client:operation', 6, 12, { attributes: [{ key: 'db.system', value: 'postgresql' }] }),
    span('b3', 'b1', 'personnel', 'prisma:engine:db_query', 20, 0.4, {
      attributes: [
        { key: 'db.system', value: 'postgresql' },
        { key: 'db.query.text', value: 'INSERT INTO "Employee" ...' },
      ],
    }),
    span('c1', 'b1', 'personnel', 'outbox relay publish employee.appointed', 60, 3, { kind: 'PRODUCER' }),
    span('d1', 'c1', 'identity', 'consume employee.appointed', 70, 9, {
      kind: 'CONSUMER',
      status: 'ERROR',
      statusMessage: 'first try failed',
      events: [
        {
          name: 'exception',
          time: '2026-12-03T14:00:00.075Z',
          attributes: [
            { key: 'exception.type', value: 'Error' },
            { key: 'exception.message', value: 'unit not found' },
          ],
        },
      ],
    }),
    // Its parent was never received: still shown, at the top level.
    span('e1', 'missing', 'registry', 'orphan span', 5, 1),
  ];
  return {
    id: '4bf92f3577b34da6a3ce929d0e0e4736',
    rootService: 'gateway',
    rootName: 'HTTP POST /graphql',
    operationName: 'AppointEmployee',
    agencyCode: 'KAB-BANYUWANGI',
    userId: 'u-1',
    startTime: spans[0]!.startTime,
    durationMs: 79,
    status: 'ERROR',
    services: ['gateway', 'personnel', 'identity', 'registry'],
    keptBecause: 'ERROR',
    spans,
    exchange: null,
  };
}

export const NOW = Date.UTC(2026, 11, 3, 14, 15, 0);

export function series(key: string, minutes: number[], count = 60): MetricSeries {
  const point = (minute: string) => ({ minute, count, errors: 1, rate: count / 60, errorRate: 1 / count, p50Ms: 5, p95Ms: 20, p99Ms: 40 });
  return {
    dimension: 'SERVICE',
    key,
    total: point(new Date(NOW - 15 * 60_000).toISOString()),
    points: minutes.map((m) => point(new Date(NOW - m * 60_000).toISOString())),
  };
}

export function instances(): Instance[] {
  const base = {
    host: 'node-1',
    startedAt: '2026-12-03T13:00:00.000Z',
    lastSeen: new Date().toISOString(),
    healthy: true,
    ready: true,
    checks: [{ key: 'database', value: 'ok' }],
  };
  return [
    { ...base, id: 'gateway:node-1:100:1', service: 'gateway', kind: 'GATEWAY', pid: 100 },
    { ...base, id: 'personnel:node-1:101:1', service: 'personnel', kind: 'SERVICE', pid: 101 },
    { ...base, id: 'identity:node-1:102:1', service: 'identity', kind: 'SERVICE', pid: 102 },
  ];
}

export function platformState(): PlatformState {
  return {
    nats: {
      connected: true,
      server: 'nats://127.0.0.1:4222',
      version: '2.9.25',
      rttMs: 0.4,
      jetstream: { streams: 3, consumers: 7, messages: 1200, bytes: 512_000 },
    },
    databases: [
      { service: 'identity', database: 'simpul_identity', reachable: true, sizeBytes: 9_000_000, connections: 4, error: null },
      { service: 'personnel', database: 'simpul_personnel', reachable: false, sizeBytes: null, connections: null, error: 'connection refused' },
    ],
  };
}

export function eventsState(): EventsState {
  return {
    at: '2026-12-03T14:00:00.000Z',
    deadLetterCount: 1,
    streams: [{ name: 'SIMPUL_EVENTS', subjects: ['simpul.events.>'], messages: 1200, bytes: 512_000, firstSeq: 1, lastSeq: 1200, consumerCount: 5 }],
    consumers: [
      {
        stream: 'SIMPUL_EVENTS',
        name: 'identity-employee-events',
        service: 'identity',
        pending: 0,
        ackPending: 0,
        redelivered: 0,
        waiting: 1,
        lastDelivered: null,
        lastAcked: null,
        lastActivity: '2026-12-03T13:59:00.000Z',
      },
    ],
    outboxes: [
      { service: 'personnel', pending: 0, oldestPendingAt: null },
      { service: 'documents', pending: null, oldestPendingAt: null },
    ],
  };
}

export function deadLetter(seq = 7): DeadLetter {
  return {
    seq,
    consumer: 'identity-employee-events',
    subject: 'simpul.events.personnel.employee.appointed',
    reason: 'handler failed 5 times: unit DEP.X not found',
    deliveries: 5,
    streamSeq: 812,
    failedAt: '2026-12-03T13:58:00.000Z',
    eventId: 'evt-1',
    type: 'employee.appointed',
    payload: '{"id":"evt-1","type":"employee.appointed","data":{"nip":"199001012020011001"}}',
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  };
}
