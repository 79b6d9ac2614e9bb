/**
 * TypeScript shapes of the telemetry service's graph (apps/telemetry/src/schema/type-defs.ts),
 * as far as the console selects them. Tests build their fixtures from these.
 */
export type SpanKind = 'UNSPECIFIED' | 'INTERNAL' | 'SERVER' | 'CLIENT' | 'PRODUCER' | 'CONSUMER';
export type SpanStatus = 'UNSET' | 'OK' | 'ERROR';
export type ExchangeOutcome = 'OK' | 'PARTIAL' | 'ERROR' | 'REFUSED';
export type ClientKind = 'USER' | 'API_CLIENT' | 'ANONYMOUS';

export interface Attribute {
  key: string;
  value: string;
}

export interface SpanEvent {
  name: string;
  time: string;
  attributes: Attribute[];
}

export interface Span {
  spanId: string;
  parentSpanId: string | null;
  service: string;
  name: string;
  kind: SpanKind;
  startTime: string;
  startTimeUnixNano: string;
  durationMs: number;
  status: SpanStatus;
  statusMessage: string | null;
  attributes: Attribute[];
  events: SpanEvent[];
}

export interface ExchangeRecord {
  id: string;
  at: string;
  traceId: string | null;
  gatewayInstance: string;
  clientKind: ClientKind;
  userId: string | null;
  agencyCode: string | null;
  apiClientId: string | null;
  operationName: string | null;
  operationType: string | null;
  operationHash: string;
  services: string[];
  natsRequests: number;
  bytesIn: number;
  bytesOut: number;
  natsBytesOut: number;
  natsBytesIn: number;
  durationMs: number;
  outcome: ExchangeOutcome;
  errorCodes: string[];
}

export interface Trace {
  id: string;
  rootService: string;
  rootName: string;
  operationName: string | null;
  agencyCode: string | null;
  userId: string | null;
  startTime: string;
  durationMs: number;
  status: SpanStatus;
  services: string[];
  keptBecause: 'ERROR' | 'SLOW' | 'SAMPLED';
  spans: Span[];
  exchange: ExchangeRecord | null;
}

export interface TraceSummary {
  id: string;
  rootService: string;
  rootName: string;
  operationName: string | null;
  agencyCode: string | null;
  userId: string | null;
  startTime: string;
  durationMs: number;
  status: SpanStatus;
  spanCount: number;
  errorCount: number;
  services: string[];
  keptBecause: 'ERROR' | 'SLOW' | 'SAMPLED';
}

export interface MetricPoint {
  minute: string;
  count: number;
  errors: number;
  rate: number;
  errorRate: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

export interface MetricSeries {
  dimension: 'OPERATION' | 'SERVICE' | 'AGENCY';
  key: string;
  total: MetricPoint;
  points: MetricPoint[];
}

export interface Instance {
  id: string;
  service: string;
  kind: 'SERVICE' | 'GATEWAY';
  host: string | null;
  pid: number | null;
  startedAt: string | null;
  lastSeen: string;
  healthy: boolean;
  ready: boolean;
  checks: Attribute[];
}

export interface PlatformState {
  nats: {
    connected: boolean;
    server: string | null;
    version: string | null;
    rttMs: number | null;
    jetstream: { streams: number; consumers: number; messages: number; bytes: number } | null;
  };
  databases: { service: string; database: string; reachable: boolean; sizeBytes: number | null; connections: number | null; error: string | null }[];
}

export interface ServiceMapNode {
  id: string;
  kind: 'GATEWAY' | 'SERVICE' | 'AGENCY_SYSTEM';
  label: string;
}

export interface ServiceMapEdge {
  from: string;
  to: string;
  kind: 'CALL' | 'EVENT';
  label: string | null;
  count: number;
  errors: number;
  rate: number;
}

export interface ServiceMap {
  nodes: ServiceMapNode[];
  edges: ServiceMapEdge[];
}

export interface StreamState {
  name: string;
  subjects: string[];
  messages: number;
  bytes: number;
  firstSeq: number;
  lastSeq: number;
  consumerCount: number;
}

export interface ConsumerState {
  stream: string;
  name: string;
  service: string | null;
  pending: number;
  ackPending: number;
  redelivered: number;
  waiting: number;
  lastDelivered: string | null;
  lastAcked: string | null;
  lastActivity: string | null;
}

export interface OutboxState {
  service: string;
  pending: number | null;
  oldestPendingAt: string | null;
}

export interface EventsState {
  at: string;
  streams: StreamState[];
  consumers: ConsumerState[];
  outboxes: OutboxState[];
  deadLetterCount: number;
}

export interface DeadLetter {
  seq: number;
  consumer: string;
  subject: string;
  reason: string;
  deliveries: number;
  streamSeq: number;
  failedAt: string;
  eventId: string | null;
  type: string | null;
  payload: string;
  traceId: string | null;
}

export interface OperationTraffic {
  operationName: string | null;
  services: string[];
  count: number;
  errors: number;
  errorCodes: { code: string; count: number }[];
  p95Ms: number | null;
}

export interface AgencyTraffic {
  agencyCode: string | null;
  clientKind: ClientKind;
  apiClientId: string | null;
  count: number;
  errors: number;
  lastSeen: string;
  operations: OperationTraffic[];
}

/** The live feed's messages (GET /telemetry/live, text/event-stream). */
export interface LiveSnapshot {
  at: string;
  instances: { id: string; service: string; kind: 'SERVICE' | 'GATEWAY'; healthy: boolean; ready: boolean; lastSeen: string }[];
  lastMinute: { count: number; errors: number; p50Ms: number | null; p95Ms: number | null; p99Ms: number | null };
  consumers: { stream: string; name: string; pending: number; ackPending: number; redelivered: number; lastActivity: string | null }[];
  outboxes: { service: string; pending: number | null; oldestPendingAt: string | null }[];
  deadLetters: number;
}

export interface LiveExchange {
  id: string;
  at: string;
  traceId: string | null;
  operationName: string | null;
  operationType: string | null;
  agencyCode: string | null;
  clientKind: ClientKind;
  services: string[];
  natsRequests: number;
  durationMs: number;
  outcome: ExchangeOutcome;
  errorCodes: string[];
}

export interface LiveDeadLetter {
  seq: number;
  consumer: string;
  action: 'ADDED' | 'REPLAYED' | 'DISCARDED';
  reason: string | null;
  at: string;
}
