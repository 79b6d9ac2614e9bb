import { sharedTypeDefs, stitchingDirectivesTypeDefs } from '@simpul/bus';

/**
 * The telemetry service's subschema: what the operators' console (apps/console) and
 * scripts read. Every field (queries and mutations) needs OPERATOR, NATIONAL_ADMIN or
 * AUDITOR; the dead-letter mutations need OPERATOR or NATIONAL_ADMIN (AUDITOR changes
 * nothing). Anybody else gets FORBIDDEN (no token: UNAUTHENTICATED).
 *
 * Times are ISO-8601 strings in UTC with milliseconds. Durations are milliseconds (Float).
 * `from`/`to` arguments are ISO-8601 times; `from` defaults to 15 minutes ago, `to` to now.
 *
 * LIVE FEED (for the console's overview and events pages), served by the gateway:
 *
 *   GET /telemetry/live
 *   Authorization: Bearer <token>      (or, for EventSource which cannot set headers,
 *                                       GET /telemetry/live?access_token=<token>)
 *   -> 401 without a valid token, 403 without OPERATOR / NATIONAL_ADMIN / AUDITOR,
 *      else 200 `text/event-stream`. A comment line `: ping` every 15 s keeps it open.
 *
 *   Messages (`event:` name, `data:` one JSON object):
 *
 *   event: exchange      one per GraphQL operation at any gateway, as it finishes:
 *     { "id": string, "at": ISO, "traceId": string|null, "operationName": string|null,
 *       "operationType": "query"|"mutation"|"subscription"|null, "agencyCode": string|null,
 *       "clientKind": "USER"|"API_CLIENT"|"ANONYMOUS", "services": string[],
 *       "natsRequests": number, "durationMs": number,
 *       "outcome": "OK"|"PARTIAL"|"ERROR"|"REFUSED", "errorCodes": string[] }
 *
 *   event: snapshot      every 5 s from the telemetry service:
 *     { "at": ISO,
 *       "instances": [ { "id", "service", "kind": "SERVICE"|"GATEWAY", "healthy": bool,
 *                        "ready": bool, "lastSeen": ISO } ],
 *       "lastMinute": { "count": number, "errors": number, "p50Ms": number|null,
 *                       "p95Ms": number|null, "p99Ms": number|null },
 *       "consumers": [ { "stream", "name", "pending", "ackPending", "redelivered",
 *                        "lastActivity": ISO|null } ],
 *       "outboxes": [ { "service", "pending", "oldestPendingAt": ISO|null } ],
 *       "deadLetters": number }
 *
 *   event: dead-letter   when a consumer gives up on an event, or one is replayed/discarded:
 *     { "seq": number, "consumer": string, "action": "ADDED"|"REPLAYED"|"DISCARDED",
 *       "reason": string|null, "at": ISO }
 */
export const typeDefs = /* GraphQL */ `
${stitchingDirectivesTypeDefs}
${sharedTypeDefs}

enum SpanKind { UNSPECIFIED INTERNAL SERVER CLIENT PRODUCER CONSUMER }
enum SpanStatus { UNSET OK ERROR }
"Why a trace was kept: it had an error, it was slow, or it was in the sample of the rest."
enum TraceKeepReason { ERROR SLOW SAMPLED }
enum ClientKind { USER API_CLIENT ANONYMOUS }
"OK: no errors; PARTIAL: data and errors; ERROR: errors and no data; REFUSED: rejected before execution (parse, validation, limits, auth)."
enum ExchangeOutcome { OK PARTIAL ERROR REFUSED }
enum MetricDimension { OPERATION SERVICE AGENCY }
enum InstanceKind { SERVICE GATEWAY }
enum ServiceMapNodeKind { GATEWAY SERVICE AGENCY_SYSTEM }
enum ServiceMapEdgeKind { CALL EVENT }

type Query {
  "One trace with all its spans (every process that took part), oldest first. Null when not kept (sampled out or past retention)."
  trace(id: ID!): Trace
  "Kept traces, newest first. Filters combine."
  traces(filter: TraceFilter, first: Int, after: String): TraceConnection!
  "Exchange records (one per GraphQL operation at the gateway), newest first. Filters combine."
  exchanges(filter: ExchangeFilter, first: Int, after: String): ExchangeConnection!
  "One exchange record; null when unknown or past retention."
  exchange(id: ID!): Exchange
  """
  Per-minute series of one dimension in [from, to] (default: the last 15 minutes), one series
  per key (operation name, service or agency code; key narrows to one). Busiest first.
  """
  metrics(dimension: MetricDimension!, key: String, from: String, to: String, limit: Int): [MetricSeries!]!
  "Every service and gateway instance that answered the last discovery over NATS (and those lost recently)."
  instances: [Instance!]!
  "NATS and each service's PostgreSQL database, as seen now."
  platformState: PlatformState!
  "Services, the gateway and agency systems as nodes; calls and events as edges, over [from, to] (default: 15 minutes)."
  serviceMap(from: String, to: String): ServiceMap!
  "Streams, every durable consumer and each service's outbox backlog, now."
  eventsState: EventsState!
  "Dead letters in arrival order, optionally of one consumer."
  deadLetters(consumer: String, first: Int): [DeadLetter!]!
  "One dead letter with its payload; null when there is none with this sequence."
  deadLetter(seq: Int!): DeadLetter
  "Which agency systems, API clients and agencies' users call what over [from, to] (default: 24 hours), busiest first."
  agencyTraffic(from: String, to: String, agencyCode: String): [AgencyTraffic!]!
  "The store's own state: what is kept, and the retention and sampling settings."
  telemetryStore: TelemetryStore!
}

type Mutation {
  "Publishes the dead letter's event again on its original subject and removes the dead letter (audited). OPERATOR or NATIONAL_ADMIN."
  replayDeadLetter(seq: Int!): DeadLetter!
  "Removes a dead letter without replaying it (audited). OPERATOR or NATIONAL_ADMIN. False when there was none."
  discardDeadLetter(seq: Int!): Boolean!
}

input TraceFilter {
  "A service that has at least one span in the trace (identity, personnel, documents, registry, telemetry, gateway, or an agency system's service.name)."
  service: String
  "GraphQL operation name of the trace's exchange, or the root span's name."
  operation: String
  agencyCode: String
  "User id (the token's subject) of the caller."
  userId: String
  status: SpanStatus
  minDurationMs: Float
  from: String
  to: String
}

input ExchangeFilter {
  operationName: String
  service: String
  agencyCode: String
  userId: String
  apiClientId: String
  outcome: ExchangeOutcome
  "An error code found in the answer (FORBIDDEN, NOT_FOUND, ...)."
  errorCode: String
  minDurationMs: Float
  from: String
  to: String
}

type TraceConnection {
  edges: [TraceEdge!]!
  pageInfo: PageInfo!
  totalCount: Int!
}
type TraceEdge { cursor: String! node: TraceSummary! }

"A trace as listed in a search: enough for a row with a duration bar."
type TraceSummary {
  id: ID!
  "Service and name of the root span (or of the earliest span when the root was not received)."
  rootService: String!
  rootName: String!
  "GraphQL operation name when the trace is a gateway operation."
  operationName: String
  agencyCode: String
  userId: String
  startTime: String!
  durationMs: Float!
  status: SpanStatus!
  spanCount: Int!
  errorCount: Int!
  services: [String!]!
  keptBecause: TraceKeepReason!
  "The full trace."
  trace: Trace
}

type Trace {
  id: ID!
  rootService: String!
  rootName: String!
  operationName: String
  agencyCode: String
  userId: String
  startTime: String!
  durationMs: Float!
  status: SpanStatus!
  services: [String!]!
  keptBecause: TraceKeepReason!
  "Oldest first; parents before children when they start together."
  spans: [Span!]!
  "The gateway's exchange record of this operation, when there is one."
  exchange: Exchange
}

type Span {
  spanId: ID!
  "Null for a root span."
  parentSpanId: ID
  "The resource's service.name: identity, personnel, documents, registry, telemetry, gateway, or an agency system."
  service: String!
  name: String!
  kind: SpanKind!
  startTime: String!
  "Start in nanoseconds since the epoch, as a decimal string (startTime loses the sub-millisecond part)."
  startTimeUnixNano: String!
  durationMs: Float!
  status: SpanStatus!
  statusMessage: String
  "Span attributes; values as text (arrays as JSON). Secret-looking attributes are never stored."
  attributes: [Attribute!]!
  "Span events (exceptions included: exception.type, exception.message, exception.stacktrace)."
  events: [SpanEvent!]!
}

type Attribute { key: String! value: String! }
type SpanEvent { name: String! time: String! attributes: [Attribute!]! }

type ExchangeConnection {
  edges: [ExchangeEdge!]!
  pageInfo: PageInfo!
  totalCount: Int!
}
type ExchangeEdge { cursor: String! node: Exchange! }

"X-Road style record of one GraphQL operation at the gateway. Never holds variables, tokens or answers."
type Exchange {
  id: ID!
  at: String!
  traceId: ID
  gatewayInstance: String!
  clientKind: ClientKind!
  "The token's subject: a user id, or the API client's id."
  userId: String
  agencyCode: String
  apiClientId: String
  roles: [Role!]!
  operationName: String
  operationType: String
  "SHA-256 of the operation's document (hex)."
  operationHash: String!
  "Services the gateway sent requests to, in first-call order."
  services: [String!]!
  natsRequests: Int!
  "Bytes of the HTTP request body and of the answer."
  bytesIn: Int!
  bytesOut: Int!
  "Bytes sent to and received from services over NATS."
  natsBytesOut: Int!
  natsBytesIn: Int!
  durationMs: Float!
  outcome: ExchangeOutcome!
  errorCodes: [String!]!
  "The trace, when it was kept."
  trace: TraceSummary
}

type MetricSeries {
  dimension: MetricDimension!
  key: String!
  "Over the whole window."
  total: MetricPoint!
  "One point per minute that had traffic, oldest first."
  points: [MetricPoint!]!
}

type MetricPoint {
  "Start of the minute (for total: the window's start)."
  minute: String!
  count: Int!
  errors: Int!
  "Requests per second over the minute (or the window)."
  rate: Float!
  errorRate: Float!
  p50Ms: Float
  p95Ms: Float
  p99Ms: Float
}

type Instance {
  "Unique per process (service:host:pid:start)."
  id: ID!
  service: String!
  kind: InstanceKind!
  host: String
  pid: Int
  startedAt: String
  lastSeen: String!
  "Answered the last discovery."
  healthy: Boolean!
  "Ready to serve (database and NATS up, started)."
  ready: Boolean!
  "What the instance reported about its parts (database, nats, ...)."
  checks: [Attribute!]!
}

type PlatformState {
  nats: NatsState!
  databases: [DatabaseState!]!
}

type NatsState {
  connected: Boolean!
  server: String
  version: String
  "Round trip to the server from the telemetry service."
  rttMs: Float
  jetstream: JetStreamState
}
type JetStreamState { streams: Int! consumers: Int! messages: Float! bytes: Float! }

type DatabaseState {
  service: String!
  database: String!
  reachable: Boolean!
  sizeBytes: Float
  connections: Int
  error: String
}

type ServiceMap {
  nodes: [ServiceMapNode!]!
  edges: [ServiceMapEdge!]!
}
type ServiceMapNode {
  "gateway, a service name, or agency:<code> / client:<apiClientId>."
  id: ID!
  kind: ServiceMapNodeKind!
  label: String!
}
type ServiceMapEdge {
  from: ID!
  to: ID!
  kind: ServiceMapEdgeKind!
  "Events: the event type's subject family (e.g. personnel.appointment); calls: null."
  label: String
  count: Int!
  errors: Int!
  "Per minute over the window."
  rate: Float!
}

type EventsState {
  at: String!
  streams: [StreamState!]!
  consumers: [ConsumerState!]!
  outboxes: [OutboxState!]!
  deadLetterCount: Int!
}
type StreamState {
  name: String!
  subjects: [String!]!
  messages: Float!
  bytes: Float!
  firstSeq: Float!
  lastSeq: Float!
  consumerCount: Int!
}
type ConsumerState {
  stream: String!
  name: String!
  "The service whose consumer it is, from its name's prefix; null when unknown."
  service: String
  pending: Int!
  ackPending: Int!
  redelivered: Int!
  waiting: Int!
  lastDelivered: String
  lastAcked: String
  "The later of lastDelivered and lastAcked."
  lastActivity: String
}
type OutboxState {
  service: String!
  "Events written but not yet published to JetStream; null when the service did not answer."
  pending: Int
  oldestPendingAt: String
}

type DeadLetter {
  seq: Int!
  consumer: String!
  subject: String!
  reason: String!
  deliveries: Int!
  streamSeq: Float!
  failedAt: String!
  eventId: String
  type: String
  "The event as published (JSON text)."
  payload: String!
  traceId: ID
}

type AgencyTraffic {
  agencyCode: String
  clientKind: ClientKind!
  "The API client's id, or null for the agency's users."
  apiClientId: String
  count: Int!
  errors: Int!
  lastSeen: String!
  operations: [OperationTraffic!]!
}
type OperationTraffic {
  operationName: String
  services: [String!]!
  count: Int!
  errors: Int!
  errorCodes: [ErrorCount!]!
  p95Ms: Float
}
type ErrorCount { code: String! count: Int! }

type TelemetryStore {
  spans: Float!
  traces: Float!
  exchanges: Float!
  bytes: Float!
  oldest: String
  retentionHours: Float!
  maxBytes: Float!
  sampleRate: Float!
  slowTraceMs: Float!
}
`;
