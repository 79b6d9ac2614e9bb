import type { ExchangeRecord } from '@simpul/contracts';
import type { PrismaClient } from '../db.ts';

const OUTCOMES = new Set(['OK', 'PARTIAL', 'ERROR', 'REFUSED']);
const CLIENT_KINDS = new Set(['USER', 'API_CLIENT', 'ANONYMOUS']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TRACE_ID = /^[0-9a-f]{32}$/;

/** Rough size of one stored record, for the store's size bound. */
export const EXCHANGE_ROW_BYTES = 400;

/**
 * Checks a record that came over NATS (any process on the bus could publish one) and
 * keeps only the fields the store has: null when it is not a record.
 */
export function parseExchangeRecord(value: unknown): ExchangeRecord | null {
  if (typeof value !== 'object' || value === null) return null;
  const r = value as Partial<ExchangeRecord>;
  if (typeof r.id !== 'string' || !UUID.test(r.id) || typeof r.at !== 'string' || Number.isNaN(Date.parse(r.at))) return null;
  if (!OUTCOMES.has(String(r.outcome)) || !CLIENT_KINDS.has(String(r.clientKind)) || typeof r.operationHash !== 'string') return null;
  const text = (v: unknown, max = 200) => (typeof v === 'string' && v ? v.slice(0, max) : null);
  const int = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.min(Math.round(v), 2 ** 31 - 1) : 0);
  const strings = (v: unknown) =>
    Array.isArray(v)
      ? v
          .filter((s): s is string => typeof s === 'string')
          .map((s) => s.slice(0, 100))
          .slice(0, 50)
      : [];
  return {
    id: r.id,
    at: new Date(r.at).toISOString(),
    traceId: typeof r.traceId === 'string' && TRACE_ID.test(r.traceId) ? r.traceId : null,
    gatewayInstance: text(r.gatewayInstance) ?? 'unknown',
    clientKind: r.clientKind!,
    userId: text(r.userId),
    agencyCode: text(r.agencyCode),
    apiClientId: text(r.apiClientId),
    roles: strings(r.roles),
    operationName: text(r.operationName),
    operationType: text(r.operationType, 20),
    operationHash: r.operationHash.slice(0, 64),
    services: Array.isArray(r.services)
      ? r.services
          .filter((s) => typeof s?.service === 'string')
          .slice(0, 20)
          .map((s) => ({ service: s.service.slice(0, 100), requests: int(s.requests), failed: int(s.failed) }))
      : [],
    natsRequests: int(r.natsRequests),
    bytesIn: int(r.bytesIn),
    bytesOut: int(r.bytesOut),
    natsBytesOut: int(r.natsBytesOut),
    natsBytesIn: int(r.natsBytesIn),
    durationMs: typeof r.durationMs === 'number' && r.durationMs >= 0 ? r.durationMs : 0,
    outcome: r.outcome!,
    errorCodes: strings(r.errorCodes),
  };
}

export class ExchangeStore {
  constructor(private readonly prisma: PrismaClient) {}

  /** Stores records; one received twice is stored once. */
  async add(records: ExchangeRecord[]): Promise<number> {
    if (records.length === 0) return 0;
    const { count } = await this.prisma.exchange.createMany({
      data: records.map((r) => ({
        ...r,
        at: new Date(r.at),
        services: r.services.map((s) => s.service),
        serviceCalls: r.services.map((s) => ({ ...s })),
      })),
      skipDuplicates: true,
    });
    return count;
  }
}
