/** The GraphQL documents the console sends, one per page (the gateway plans each once). */

const POINT = 'minute count errors rate errorRate p50Ms p95Ms p99Ms';

export const OVERVIEW_QUERY = /* GraphQL */ `
  query ConsoleOverview($from: String) {
    instances { id service kind host pid startedAt lastSeen healthy ready checks { key value } }
    platformState {
      nats { connected server version rttMs jetstream { streams consumers messages bytes } }
      databases { service database reachable sizeBytes connections error }
    }
    services: metrics(dimension: SERVICE, from: $from) { dimension key total { ${POINT} } points { ${POINT} } }
    operations: metrics(dimension: OPERATION, from: $from, limit: 8) { dimension key total { ${POINT} } points { ${POINT} } }
  }
`;

export const TRACES_QUERY = /* GraphQL */ `
  query ConsoleTraces($filter: TraceFilter, $first: Int, $after: String) {
    traces(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id rootService rootName operationName agencyCode userId startTime durationMs status spanCount errorCount services keptBecause } }
    }
  }
`;

export const TRACE_QUERY = /* GraphQL */ `
  query ConsoleTrace($id: ID!) {
    trace(id: $id) {
      id rootService rootName operationName agencyCode userId startTime durationMs status services keptBecause
      spans {
        spanId parentSpanId service name kind startTime startTimeUnixNano durationMs status statusMessage
        attributes { key value }
        events { name time attributes { key value } }
      }
      exchange {
        id at traceId gatewayInstance clientKind userId agencyCode apiClientId operationName operationType operationHash
        services natsRequests bytesIn bytesOut natsBytesOut natsBytesIn durationMs outcome errorCodes
      }
    }
  }
`;

export const SERVICE_MAP_QUERY = /* GraphQL */ `
  query ConsoleServiceMap($from: String) {
    serviceMap(from: $from) {
      nodes { id kind label }
      edges { from to kind label count errors rate }
    }
  }
`;

export const EVENTS_QUERY = /* GraphQL */ `
  query ConsoleEvents {
    eventsState {
      at deadLetterCount
      streams { name subjects messages bytes firstSeq lastSeq consumerCount }
      consumers { stream name service pending ackPending redelivered waiting lastDelivered lastAcked lastActivity }
      outboxes { service pending oldestPendingAt }
    }
    deadLetters(first: 100) { seq consumer subject reason deliveries streamSeq failedAt eventId type payload traceId }
  }
`;

export const REPLAY_DEAD_LETTER = /* GraphQL */ `
  mutation ConsoleReplayDeadLetter($seq: Int!) { replayDeadLetter(seq: $seq) { seq consumer subject } }
`;

export const DISCARD_DEAD_LETTER = /* GraphQL */ `
  mutation ConsoleDiscardDeadLetter($seq: Int!) { discardDeadLetter(seq: $seq) }
`;

export const AGENCY_TRAFFIC_QUERY = /* GraphQL */ `
  query ConsoleAgencyTraffic($from: String, $chartFrom: String) {
    agencyTraffic(from: $from) {
      agencyCode clientKind apiClientId count errors lastSeen
      operations { operationName services count errors errorCodes { code count } p95Ms }
    }
    agencies: metrics(dimension: AGENCY, from: $chartFrom, limit: 12) { dimension key total { ${POINT} } points { ${POINT} } }
  }
`;

export const AGENCY_EVENTS_QUERY = /* GraphQL */ `
  query ConsoleAgencyEvents($rejections: Int) {
    eventTypes(includeDeprecated: true) { id ownerAgencyCode name version description subject platform deprecated deprecatedAt deprecationReason grantCount }
    eventSubscribers {
      clientId natsPending
      grants { ownerAgencyCode eventType version }
      webhook { url status lastSuccessAt lastFailureAt lastError consecutiveFailures deadLetters pending }
    }
    eventRejections(first: $rejections) { id agencyCode eventId eventType version channel refusedBy reason excerpt receivedAt }
  }
`;
