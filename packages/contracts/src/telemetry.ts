import type { Subjects } from './subjects.ts';

/**
 * What travels between the gateway and the telemetry service (apps/telemetry) over NATS.
 * Exchange records are published fire-and-forget (core NATS, no JetStream): under
 * overload some may be lost, but a GraphQL request never waits for its record.
 */
export interface TelemetrySubjects {
  /** The gateway publishes one ExchangeRecord per GraphQL operation here. */
  readonly exchange: string;
  /** The telemetry service publishes live messages (LiveMessage) here; gateways relay them to SSE clients. */
  readonly live: string;
  /** Every gateway instance answers here (no queue group) with an InstanceReport: discovery. */
  readonly gatewayHealth: string;
}

export function telemetrySubjects(subjects: Pick<Subjects, 'namespace'>): TelemetrySubjects {
  const ns = subjects.namespace;
  return { exchange: `${ns}.telemetry.exchange`, live: `${ns}.telemetry.live`, gatewayHealth: `${ns}.gateway.health` };
}

/** Roles that may read telemetry (the console, the graph's telemetry fields, the live feed). */
export const TELEMETRY_READER_ROLES = ['OPERATOR', 'NATIONAL_ADMIN', 'AUDITOR'] as const;
/** Roles that may replay or discard dead letters (AUDITOR changes nothing). */
export const TELEMETRY_OPERATOR_ROLES = ['OPERATOR', 'NATIONAL_ADMIN'] as const;

export type ClientKind = 'USER' | 'API_CLIENT' | 'ANONYMOUS';
export type ExchangeOutcome = 'OK' | 'PARTIAL' | 'ERROR' | 'REFUSED';

/** Requests the gateway sent to one service within an operation. */
export interface ServiceCalls {
  service: string;
  requests: number;
  /** Requests that got no answer (timeout, no instance). */
  failed: number;
}

/** The gateway's record of one GraphQL operation: who, what, how big, how long, how it ended. Never variables, tokens or answers. */
export interface ExchangeRecord {
  id: string;
  at: string;
  traceId: string | null;
  gatewayInstance: string;
  clientKind: ClientKind;
  userId: string | null;
  agencyCode: string | null;
  apiClientId: string | null;
  roles: string[];
  operationName: string | null;
  operationType: string | null;
  operationHash: string;
  services: ServiceCalls[];
  natsRequests: number;
  bytesIn: number;
  bytesOut: number;
  natsBytesOut: number;
  natsBytesIn: number;
  durationMs: number;
  outcome: ExchangeOutcome;
  errorCodes: string[];
}

/** What a process says about itself when discovered (services on their health subject, gateways on gatewayHealth). */
export interface InstanceInfo {
  id: string;
  host: string;
  pid: number;
  startedAt: string;
}
