import { print, type DocumentNode, type ExecutionResult } from 'graphql';
import type { ExecutionRequest } from '@graphql-tools/utils';
import type { NatsConnection } from '@nats-io/nats-core';
import type { ServiceName, Subjects } from '@simpul/contracts';
import { serviceUnavailable } from '@simpul/kit';
import { SpanKind, SpanStatusCode, trace } from '@simpul/telemetry';
import { decodeJson, encodeJson } from './codec.ts';
import { isNoResponders } from './connection.ts';
import { outgoingHeaders } from './headers.ts';

/** The part of the gateway's context the executor reads: the caller's bearer token. */
export interface CallerContext {
  token?: string | undefined;
}

export interface NatsExecutorOptions {
  nc: NatsConnection;
  subjects: Subjects;
  service: ServiceName;
  /** How long the service may take before its fields fail with SERVICE_UNAVAILABLE. */
  timeoutMs: number;
  /** Called once per NATS request sent (lets tests and metrics count round trips). */
  onRequest?: (service: ServiceName) => void;
}

/**
 * A stitching executor that sends a (sub)query to a service over NATS, with the
 * caller's token and the trace context in the headers. When the service does not
 * answer in time, or no instance is listening, the result is a SERVICE_UNAVAILABLE
 * error: stitching attaches it to that service's fields and the rest of the response
 * still arrives.
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
    const token = (request.context as CallerContext | undefined)?.token;
    return tracer.startActiveSpan(
      `nats request ${subject}`,
      { kind: SpanKind.CLIENT, attributes: { 'messaging.system': 'nats', 'messaging.destination.name': subject } },
      async (span) => {
        try {
          options.onRequest?.(service);
          const reply = await nc.request(
            subject,
            encodeJson({ query, variables: request.variables ?? null, operationName: request.operationName ?? null }),
            { timeout: timeoutMs, headers: outgoingHeaders(token) },
          );
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
