import { getOperationAST, print, type DocumentNode, type ExecutionResult } from 'graphql';
import type { ExecutionRequest } from '@graphql-tools/utils';
import type { NatsConnection } from '@nats-io/nats-core';
import type { ServiceName, Subjects } from '@simpul/contracts';
import { serviceUnavailable } from '@simpul/kit';
import { SpanKind, SpanStatusCode, trace } from '@simpul/telemetry';
import { decodeJson, encodeJson } from './codec.ts';
import { isNoResponders } from './connection.ts';
import { outgoingHeaders } from './headers.ts';

/** The part of the gateway's context the executor reads: the caller's bearer token and address. */
export interface CallerContext {
  token?: string | undefined;
  /** The client's network address as the gateway saw it; services put it in audit entries. */
  clientAddress?: string | undefined;
}

export interface NatsExecutorOptions {
  nc: NatsConnection;
  subjects: Subjects;
  service: ServiceName;
  /** How long the service may take before its fields fail with SERVICE_UNAVAILABLE. */
  timeoutMs: number;
  /**
   * Called once per NATS request sent, when it has been answered or has failed (tests
   * count round trips with it; the gateway records each operation's exchanges).
   */
  onRequest?: (service: ServiceName, exchange: ServiceExchange) => void;
  /**
   * A query that got no answer in time is sent once more (default true): the instance
   * that took it may have died, and the queue group gives the retry to another one.
   * Mutations are never repeated.
   */
  retryQueries?: boolean;
}

/** One NATS request to a service, as reported to `onRequest`. */
export interface ServiceExchange {
  service: ServiceName;
  /** Size of the request payload (query, variables, operation name as JSON). */
  bytesOut: number;
  /** Size of the reply; 0 when none came. */
  bytesIn: number;
  /** False when no reply came (timeout, no instance). */
  answered: boolean;
  /** The context of the operation the request belongs to (the gateway's per-request context). */
  context: unknown;
}

/**
 * A stitching executor that sends a (sub)query to a service over NATS, with the
 * caller's token and the trace context in the headers. When the service does not
 * answer in time, or no instance is listening, the result is a SERVICE_UNAVAILABLE
 * error: stitching attaches it to that service's fields and the rest of the response
 * still arrives. A query that timed out is tried once more (see retryQueries), so an
 * instance that dies with the request in flight costs the client time, not an error.
 */
export function createNatsExecutor(options: NatsExecutorOptions) {
  const { nc, subjects, service, timeoutMs } = options;
  const subject = subjects.graphql(service);
  const tracer = trace.getTracer('simpul.bus');
  const printed = new WeakMap<DocumentNode, string>();

  return async function natsExecutor(request: ExecutionRequest): Promise<ExecutionResult> {
    let query = printed.get(request.document);
    if (query === undefined) {
      query = print(request.document);
      printed.set(request.document, query);
    }
    const caller = request.context as CallerContext | undefined;
    const token = caller?.token;
    const operation = request.operationType ?? getOperationAST(request.document, request.operationName)?.operation;
    const retry = options.retryQueries !== false && operation === 'query';
    return tracer.startActiveSpan(
      `nats request ${subject}`,
      { kind: SpanKind.CLIENT, attributes: { 'messaging.system': 'nats', 'messaging.destination.name': subject } },
      async (span) => {
        try {
          const payload = encodeJson({ query, variables: request.variables ?? null, operationName: request.operationName ?? null });
          const send = async () => {
            let answer;
            try {
              answer = await nc.request(subject, payload, { timeout: timeoutMs, headers: outgoingHeaders(token, caller?.clientAddress) });
              return answer;
            } finally {
              const bytesIn = answer?.data.length ?? 0;
              options.onRequest?.(service, { service, bytesOut: payload.length, bytesIn, answered: answer !== undefined, context: request.context });
            }
          };
          let reply;
          try {
            reply = await send();
          } catch (error) {
            if (!retry || isNoResponders(error)) throw error;
            span.addEvent('retry after no answer');
            reply = await send();
          }
          return decodeJson(reply.data) as ExecutionResult;
        } catch (error) {
          span.recordException(error as Error);
          span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
          return unavailable(service, error);
        } finally {
          span.end();
        }
      },
    );
  };
}

function unavailable(service: ServiceName, error: unknown): ExecutionResult {
  const reason = isNoResponders(error) ? 'no instance is running' : 'it did not answer in time';
  // As it would arrive from a service: formatted, so stitching treats both alike.
  return { errors: [serviceUnavailable(`The ${service} service is unavailable: ${reason}`, { service }).toJSON()] } as unknown as ExecutionResult;
}
