import { createHash, randomUUID } from 'node:crypto';
import { getOperationAST, GraphQLError, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { encodeJson, type NatsConnection, type ServiceExchange } from '@simpul/bus';
import type { ExchangeOutcome, ExchangeRecord, ServiceCalls, ServiceName } from '@simpul/contracts';
import type { Principal } from '@simpul/kit';
import { trace } from '@simpul/telemetry';

/** What is known about one HTTP GraphQL request while it runs. */
interface Draft {
  startedAt: number;
  at: string;
  traceId: string | null;
  bytesIn: number;
  query: string | null;
  operationName: string | null;
  operationType: string | null;
  principal: Principal | null;
  executed: boolean;
  calls: Map<string, ServiceCalls>;
  natsRequests: number;
  natsBytesOut: number;
  natsBytesIn: number;
  outcome: ExchangeOutcome;
  errorCodes: Set<string>;
}

export interface ExchangeRecorderOptions {
  nc: NatsConnection;
  /** Where records go (telemetrySubjects().exchange). */
  subject: string;
  gatewayInstance: string;
}

/** The trace id of the span active now, or null when tracing is off (an all-zero id). */
export function activeTraceId(): string | null {
  const id = trace.getActiveSpan()?.spanContext().traceId;
  return id && !/^0+$/.test(id) ? id : null;
}

/**
 * Builds the exchange record of every GraphQL request at the gateway (X-Road's
 * operational monitoring record): the caller, the operation's name and hash, the
 * services called with the number and size of the NATS requests, the sizes in and out,
 * the duration, the outcome and the error codes. Never variables, tokens or answers.
 * The record is published on NATS without waiting (core NATS, no acknowledgement): a
 * request never waits for its record, and under overload some records may be lost.
 */
export function createExchangeRecorder(options: ExchangeRecorderOptions) {
  const drafts = new WeakMap<object, Draft>();
  const hashes = new Map<string, string>();

  /** The draft of a request, from the yoga context the executor passes along. */
  const draftOf = (context: unknown): Draft | undefined => {
    if (typeof context !== 'object' || context === null) return undefined;
    return drafts.get(context) ?? drafts.get((context as { request?: object }).request ?? {});
  };

  function operationHash(query: string | null): string {
    if (!query) return '';
    let hash = hashes.get(query);
    if (!hash) {
      hash = createHash('sha256').update(query).digest('hex');
      if (hashes.size > 1_000) hashes.clear();
      hashes.set(query, hash);
    }
    return hash;
  }

  function publish(draft: Draft, bytesOut: number): void {
    const p = draft.principal;
    const record: ExchangeRecord = {
      id: randomUUID(),
      at: draft.at,
      traceId: draft.traceId,
      gatewayInstance: options.gatewayInstance,
      clientKind: !p ? 'ANONYMOUS' : p.kind === 'client' ? 'API_CLIENT' : 'USER',
      userId: p && p.kind === 'user' ? p.id : null,
      agencyCode: p?.agencyCode ?? null,
      apiClientId: p && p.kind === 'client' ? p.id : null,
      roles: p ? [...p.roles] : [],
      operationName: draft.operationName,
      operationType: draft.operationType,
      operationHash: operationHash(draft.query),
      services: [...draft.calls.values()],
      natsRequests: draft.natsRequests,
      bytesIn: draft.bytesIn,
      bytesOut,
      natsBytesOut: draft.natsBytesOut,
      natsBytesIn: draft.natsBytesIn,
      durationMs: Math.round((performance.now() - draft.startedAt) * 1000) / 1000,
      outcome: draft.executed || draft.outcome !== 'OK' ? draft.outcome : 'REFUSED',
      errorCodes: [...draft.errorCodes],
    };
    try {
      options.nc.publish(options.subject, encodeJson(record));
    } catch {
      /* the bus is closing or away: the record is lost, the request is not */
    }
  }

  const plugin: Plugin = {
    onRequest({ request }) {
      if (request.method === 'OPTIONS') return;
      drafts.set(request, {
        startedAt: performance.now(),
        at: new Date().toISOString(),
        traceId: activeTraceId(),
        bytesIn: Number(request.headers.get('content-length') ?? 0) || 0,
        query: null,
        operationName: null,
        operationType: null,
        principal: null,
        executed: false,
        calls: new Map(),
        natsRequests: 0,
        natsBytesOut: 0,
        natsBytesIn: 0,
        outcome: 'OK',
        errorCodes: new Set(),
      });
    },
    onParams({ params, request }) {
      const draft = drafts.get(request);
      if (!draft) return;
      draft.query = typeof params.query === 'string' ? params.query : null;
      draft.operationName = typeof params.operationName === 'string' ? params.operationName.slice(0, 200) : null;
    },
    onExecute({ args }) {
      const context = args.contextValue as { request?: object; principal?: Principal | null };
      const draft = context.request ? drafts.get(context.request) : undefined;
      if (!draft) return;
      drafts.set(context, draft);
      draft.executed = true;
      draft.principal = context.principal ?? null;
      const operation = getOperationAST(args.document as DocumentNode, args.operationName ?? undefined);
      draft.operationType = operation?.operation ?? null;
      draft.operationName ??= operation?.name?.value ?? null;
    },
    onResultProcess({ request, result }) {
      const draft = drafts.get(request);
      if (!draft) return;
      for (const r of Array.isArray(result) ? result : [result]) {
        const { errors, data } = r as { errors?: unknown[]; data?: unknown };
        if (!Array.isArray(errors) || errors.length === 0) continue;
        for (const error of errors) {
          const code = error instanceof GraphQLError ? error.extensions.code : (error as { extensions?: { code?: unknown } })?.extensions?.code;
          if (typeof code === 'string') draft.errorCodes.add(code);
        }
        draft.outcome = !draft.executed ? 'REFUSED' : data === null || data === undefined ? 'ERROR' : 'PARTIAL';
      }
    },
    onResponse({ request, response }) {
      const draft = drafts.get(request);
      if (!draft) return;
      drafts.delete(request);
      // Only GraphQL requests (not GraphiQL's page or other routes yoga answers).
      if (draft.query === null && draft.errorCodes.size === 0) return;
      publish(draft, Number(response.headers.get('content-length') ?? 0) || 0);
    },
  };

  /** The NATS executor's hook: one call per request to a service, with its sizes. */
  function onServiceRequest(service: ServiceName, exchange: ServiceExchange): void {
    const draft = draftOf(exchange.context);
    if (!draft) return;
    const calls = draft.calls.get(service) ?? { service, requests: 0, failed: 0 };
    calls.requests++;
    if (!exchange.answered) calls.failed++;
    draft.calls.set(service, calls);
    draft.natsRequests++;
    draft.natsBytesOut += exchange.bytesOut;
    draft.natsBytesIn += exchange.bytesIn;
  }

  return { plugin, onServiceRequest };
}
