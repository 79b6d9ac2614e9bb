import { randomUUID } from 'node:crypto';
import type { ExchangeRecord } from '@simpul/contracts';

/** An exchange record as a gateway would publish it. */
export function exchangeRecord(at: Date, overrides: Partial<ExchangeRecord> = {}): ExchangeRecord {
  return {
    id: randomUUID(),
    at: at.toISOString(),
    traceId: null,
    gatewayInstance: 'test',
    clientKind: 'USER' as const,
    userId: 'user-1',
    agencyCode: 'KOMINFO',
    apiClientId: null,
    roles: ['EMPLOYEE'],
    operationName: 'Me',
    operationType: 'query',
    operationHash: 'abc',
    services: [{ service: 'identity', requests: 1, failed: 0 }],
    natsRequests: 1,
    bytesIn: 100,
    bytesOut: 200,
    natsBytesOut: 120,
    natsBytesIn: 180,
    durationMs: 5,
    outcome: 'OK' as const,
    errorCodes: [],
    ...overrides,
  };
}
